"""The article body's rich-text editor in the admin (django-prose-editor, on Tiptap/ProseMirror).

The editor offers exactly the blocks the stored body allows (``articles.body``): paragraphs,
headings h2–h4, bold, italic, code, links, lists, block and pull quotes with an attribution,
horizontal rules, and two kinds of figure — a library photo by reference and an embed by URL.
The newsroom's own blocks are Tiptap extensions in ``articles/static/articles/editor/``, loaded
by the library's configurable preset as an ES module. Every script and style is a static file
of this site: the admin loads nothing from anywhere else.

What the editor submits is only a proposal: ``articles.body.sanitize_body`` cleans it on save.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

#: The newsroom's extensions, exported by name from this module (see ``newsroom.js``).
EDITOR_MODULE = "articles/editor/newsroom.js"
EDITOR_CSS = "articles/editor/newsroom.css"

#: The toolbar, in groups; each item says which groups it belongs to (``menu.defineItem``).
MENU_GROUPS = [
    {"group": "blockType -lists", "type": "dropdown", "minItems": 2},
    {"group": "lists"},
    {"group": "nodes -blockType -lists -figures"},
    {"group": "figures"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "history"},
    {"group": "utility"},
]


def body_extensions(chooser_url: str) -> dict:
    """The editor's extensions and their options (the configurable preset's ``extensions``)."""
    return {
        # Figures only at the top level of the body, as articles.body stores them.
        "Document": False,
        "NewsroomDocument": True,
        "Menu": {"groups": MENU_GROUPS},
        # Reporters rely on the browser's spelling check; the library turns it off by default.
        "NoSpellCheck": False,
        "Heading": {"levels": [2, 3, 4]},
        "Bold": True,
        "Italic": True,
        "Code": True,
        "HardBreak": True,
        "Link": {"enableTarget": False},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "HorizontalRule": True,
        # Newsroom extensions (newsroom.js). The quote keeps the node name "blockquote" and
        # adds the pull-quote style and a <cite> attribution.
        "NewsroomQuote": True,
        "QuoteAttribution": True,
        "FigureCaption": True,
        "LibraryImage": {"chooserUrl": chooser_url},
        "EmbedFigure": True,
    }


class BodyEditorWidget(AdminProseEditorWidget):
    """The prose editor with the newsroom's extensions and the photo chooser's URL."""

    def __init__(self, *args, chooser_url: str, **kwargs):
        kwargs.setdefault("preset", "configurable")
        kwargs["config"] = {"extensions": body_extensions(chooser_url)}
        super().__init__(*args, **kwargs)

    def get_config(self):
        """The library lists the JS modules of extensions registered in settings; ours live with
        the widget instead, so the editor's whole configuration is in this file."""
        config = super().get_config()
        return config | {"js_modules": [*config["js_modules"], static(EDITOR_MODULE)]}

    @property
    def media(self):
        # After the library's styles, so that ours win where both style an element.
        return super().media + Media(css={"all": ["django_prose_editor/overrides.css", EDITOR_CSS]})


def body_help_text():
    return _(
        "Photos come from the library with the photo button: their credit, alt text and sizes "
        "stay with the photo, the caption typed under it is for this article (leave it empty "
        "for the photo’s own). Embeds take a link to a video or post; readers see the "
        "provider’s player, never a script here. The body is cleaned on save."
    )


def body_formfield_kwargs(admin_site_name: str = "admin") -> dict:
    """``formfield_for_dbfield`` arguments for the body: the editor widget and its help."""
    chooser_url = reverse(f"{admin_site_name}:articles_article_image_chooser")
    return {"widget": BodyEditorWidget(chooser_url=chooser_url), "help_text": body_help_text()}
