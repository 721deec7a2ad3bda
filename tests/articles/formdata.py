"""Submit an admin page's form as a browser would: every field with the value it shows."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data: dict[str, list[str]] = {}
        self._textarea = self._select = None
        self._options = []  # (value, selected) of the open select
        self._option = None  # [value, text, selected] of the open option

    def _add(self, name, value):
        if name and "__prefix__" not in name:  # formset templates are not submitted
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._add(attrs.get("name"), attrs.get("value") or default)
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select, self._options = attrs.get("name"), []
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "", "selected" in attrs]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, text, selected = self._option
            self._options.append((text if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None


def form_data(html, form_id="article_form"):
    """The fields of the form ``form_id`` in ``html``, as a dict of lists for the test client."""
    reader = _FormReader(form_id)
    reader.feed(html if isinstance(html, str) else html.decode())
    return reader.data
