"""Revisions of articles: a snapshot on every save, what changed between two, and revert.

A revision stores the article as JSON (:func:`snapshot`): its editorial fields, body, byline,
tags and corrections, with the names and titles of what it points to, so an old revision reads
well even after a tag was renamed or a photo deleted.

Reverting restores the *content*: headline, standfirst, body, photos, section, byline, tags and
the SEO and syndication fields. It leaves alone what belongs to the workflow and to readers'
record: status, publication, take-down, first-published and display dates, the slug (the
article's address, which links point to) and the corrections log (a correction shown to readers
is not withdrawn by going back to an older text). A revert is itself a new revision.

No lost updates: every save counts ``Article.version`` up in the database (``Article.save``).
A form states the version it was based on; :func:`claim_version` checks it with one conditional
UPDATE that also locks the row until the transaction ends, so of two saves based on the same
version only the first gets through.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from authors.models import Author
from media.models import Image

from . import services
from .body import image_ids
from .models import Article, ArticleAuthor, ArticleRevision, ArticleTag, Section, Tag

#: Bumped when the snapshot's shape changes, so old revisions can be read differently.
SCHEMA = 1

TEXT_FIELDS = [
    "title",
    "standfirst",
    "lead_image_caption",
    "original_publisher",
    "original_url",
    "canonical_url",
    "seo_title",
    "seo_description",
]
DATE_FIELDS = {"published_at", "unpublish_at", "first_published_at", "display_date"}
IMAGE_FIELDS = ["lead_image", "social_image"]

#: The order in which comparisons list fields.
FIELD_ORDER = [
    "title",
    "slug",
    "standfirst",
    "body",
    "lead_image",
    "lead_image_caption",
    "section",
    "bylines",
    "tags",
    "status",
    "published_at",
    "unpublish_at",
    "first_published_at",
    "display_date",
    "original_publisher",
    "original_url",
    "canonical_url",
    "seo_title",
    "seo_description",
    "social_image",
    "corrections",
]


class StaleVersion(Exception):
    """The article was saved by someone else after the version a change was based on."""

    def __init__(self, article, expected_version):
        super().__init__(f"{article} is at version {article.version}, not {expected_version}")
        self.article = article
        self.expected_version = expected_version


# -- Snapshots ---------------------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value is not None else None


def _image(image):
    return {"id": image.pk, "title": image.title} if image is not None else None


def snapshot(article) -> dict:
    """The article's editorial state as JSON-ready data (a few queries: relations in order)."""
    data = {"schema": SCHEMA, "body": article.body}
    for name in [*TEXT_FIELDS, "slug", "status"]:
        data[name] = getattr(article, name)
    for name in DATE_FIELDS:
        data[name] = _date(getattr(article, name))
    for name in IMAGE_FIELDS:
        data[name] = _image(getattr(article, name))
    section = article.section
    data["section"] = {"id": section.pk, "name": section.name} if section else None
    data["bylines"] = [
        {
            "author_id": byline.author_id,
            "name": byline.author.name,
            "role": byline.byline_role,
            "position": byline.position,
        }
        for byline in article.bylines.select_related("author").order_by("position", "id")
    ]
    data["tags"] = [
        {"id": tag_id, "name": name}
        for tag_id, name in article.article_tags.order_by("id").values_list("tag_id", "tag__name")
    ]
    data["corrections"] = [
        {"kind": kind, "date": _date(date), "text": text}
        for kind, date, text in article.corrections.order_by("date", "id").values_list(
            "kind", "date", "text"
        )
    ]
    return data


def record_revision(article, user=None, summary="") -> ArticleRevision:
    """Keep the article as it is now as the revision of its current version.

    Saving twice without a change in between (an admin save with nothing changed still counts
    the version up) records one revision per version; a version already recorded is kept.
    """
    revision, _created = ArticleRevision.objects.get_or_create(
        article=article,
        version=article.version,
        defaults={
            "created_by": user if user is not None and user.is_authenticated else None,
            "summary": str(summary)[:255],
            "data": snapshot(article),
        },
    )
    return revision


def save_with_revision(article, user=None, summary="", **save_kwargs) -> ArticleRevision:
    """Save ``article`` and keep the revision of its new version, all or nothing.

    For the workflow steps (publish, unpublish, ...), which save a few fields of the article.
    """
    with transaction.atomic():
        article.save(**save_kwargs)
        return record_revision(article, user, summary)


def record_baseline(article_id):
    """Keep the stored state of an article saved before revisions were kept, before it changes.

    Articles from before the revision history have a version but no revision of it; the first
    save through the form would otherwise lose what they said.
    """
    stored = Article.objects.select_related("section", "lead_image", "social_image").get(
        pk=article_id
    )
    if not ArticleRevision.objects.filter(article=stored, version=stored.version).exists():
        record_revision(stored, None, _("As it was before the revision history"))


# -- No lost updates ---------------------------------------------------------------------------


def claim_version(article, expected_version) -> bool:
    """Whether the stored article is still at ``expected_version``; if so, lock it.

    One conditional UPDATE (changing nothing) checks and locks the row at once, for the rest of
    the current transaction: a second save based on the same version waits, then finds the
    version moved on. Must run inside ``transaction.atomic()``, before the save.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version() must run inside transaction.atomic()")
    return bool(
        Article.objects.filter(pk=article.pk, version=expected_version).update(version=F("version"))
    )


@transaction.atomic
def save_article(article, expected_version, user=None, summary=""):
    """Save ``article`` if nobody saved it since ``expected_version``, and record a revision.

    For callers that change only the article's own fields (an API mutation, a script); the admin
    form does the same in steps, since it saves the byline and tags after the article.
    Raises :class:`StaleVersion`, saving nothing, when the stored version moved on.
    """
    if not claim_version(article, expected_version):
        raise StaleVersion(Article.objects.get(pk=article.pk), expected_version)
    article.save()
    return record_revision(article, user, summary)


def last_save(article):
    """Who saved the article's current version and when: ``(user or None, time, version)``."""
    stored = Article.objects.get(pk=article.pk)
    revision = stored.revisions.filter(version=stored.version).select_related("created_by").first()
    if revision is None:
        return None, stored.modified_at, stored.version
    return revision.created_by, revision.created_at, stored.version


# -- Comparing ---------------------------------------------------------------------------------


@dataclass
class Change:
    """One field that differs between two revisions; ``diff`` is safe HTML to show."""

    name: str
    label: str
    diff: str


def _label(name):
    labels = {
        "bylines": _("Byline"),
        "tags": _("Tags"),
        "corrections": _("Corrections and updates"),
    }
    if name in labels:
        return labels[name]
    return str(Article._meta.get_field(name).verbose_name).capitalize()


_TOKENS = re.compile(r"<[^>]*>\s*|[^\s<]+\s*|\s+")


def word_diff(old: str, new: str) -> str:
    """A word-level diff as HTML: removed words in ``<del>``, added ones in ``<ins>``.

    HTML markup in the text (the body) is shown as markup, escaped, each tag as one word.
    """
    old_tokens, new_tokens = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[i1:i2])))
            continue
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        # Spaces after the changed words stay outside the marks, so they read as words.
        space = (removed or added)[len((removed or added).rstrip()) :]
        if removed:
            parts.append(f"<del>{escape(removed.rstrip())}</del>")
        if added:
            parts.append(f"<ins>{escape(added.rstrip())}</ins>")
        parts.append(escape(space))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _byline_text(byline):
    roles = dict(ArticleAuthor.BylineRole.choices)
    return f"{byline['name']} ({roles.get(byline['role'], byline['role'])})"


def _correction_text(correction):
    kinds = {"correction": _("Correction"), "update": _("Update")}
    return (
        f"{_show_date(correction['date'])} {kinds.get(correction['kind'], '')}: "
        + (correction["text"])
    )


def _show_date(value):
    if not value:
        return "—"
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    return date_format(timezone.localtime(parsed), "DATETIME_FORMAT")


def _show(name, value):
    """One field's value as text for people."""
    if value is None or value == "":
        return "—"
    if name in DATE_FIELDS:
        return _show_date(value)
    if name in IMAGE_FIELDS:
        return f"{value['title']} (#{value['id']})"
    if name == "section":
        return value["name"]
    if name == "status":
        return str(dict(Article.Status.choices).get(value, value))
    return str(value)


def _list_diff(old_items, new_items):
    """Two lists side by side as HTML: items only in the old one struck out, new ones marked."""
    matcher = difflib.SequenceMatcher(None, old_items, new_items, autojunk=False)
    rows = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [format_html("<li>{}</li>", item) for item in old_items[i1:i2]]
            continue
        if op in ("delete", "replace"):
            rows += [format_html("<li><del>{}</del></li>", item) for item in old_items[i1:i2]]
        if op in ("insert", "replace"):
            rows += [format_html("<li><ins>{}</ins></li>", item) for item in new_items[j1:j2]]
    return mark_safe('<ul class="revision-list">' + "".join(rows) + "</ul>")  # noqa: S308


def compare(old_data: dict, new_data: dict) -> list[Change]:
    """The fields that differ from ``old_data`` to ``new_data`` (two snapshots), in form order."""
    changes = []
    for name in FIELD_ORDER:
        old, new = old_data.get(name), new_data.get(name)
        if name in IMAGE_FIELDS or name == "section":
            # Compare what they point to, not a title or name changed since.
            same = (old or {}).get("id") == (new or {}).get("id")
        elif name == "bylines":
            key = ("author_id", "role")
            same = [[b.get(k) for k in key] for b in old or []] == [
                [b.get(k) for k in key] for b in new or []
            ]
        elif name == "tags":
            same = [t["id"] for t in old or []] == [t["id"] for t in new or []]
        else:
            same = old == new
        if same:
            continue
        if name == "bylines":
            diff = _list_diff(
                [_byline_text(b) for b in old or []], [_byline_text(b) for b in new or []]
            )
        elif name == "tags":
            diff = _list_diff([t["name"] for t in old or []], [t["name"] for t in new or []])
        elif name == "corrections":
            diff = _list_diff(
                [_correction_text(c) for c in old or []], [_correction_text(c) for c in new or []]
            )
        elif name in TEXT_FIELDS or name == "body":
            diff = word_diff(old, new)
        else:
            diff = format_html("<del>{}</del> → <ins>{}</ins>", _show(name, old), _show(name, new))
        changes.append(Change(name, _label(name), diff))
    return changes


def _plain_list(items):
    rows = "".join(format_html("<li>{}</li>", item) for item in items)
    return mark_safe(f'<ul class="revision-list">{rows}</ul>')  # noqa: S308 - items escaped


def describe(data: dict) -> list[tuple[str, str]]:
    """A snapshot as (label, safe HTML) rows, for showing one revision on its own."""
    rows = []
    for name in FIELD_ORDER:
        value = data.get(name)
        if name == "bylines":
            shown = _plain_list([_byline_text(b) for b in value or []])
        elif name == "tags":
            shown = _plain_list([t["name"] for t in value or []])
        elif name == "corrections":
            shown = _plain_list([_correction_text(c) for c in value or []])
        elif name == "body":
            shown = format_html('<pre class="revision-body">{}</pre>', value or "")
        else:
            shown = escape(_show(name, value))
        rows.append((_label(name), shown))
    return rows


# -- Revert ------------------------------------------------------------------------------------


def can_edit(user, article) -> bool:
    """Whether ``user`` may change ``article``: the workflow's rule, which revert follows too."""
    return services.can_edit(user, article)


@dataclass
class Reverted:
    """What a revert did: the article, its new revision, and what could not be restored."""

    article: Article
    revision: ArticleRevision
    skipped: list = field(default_factory=list)  # messages for the editor


_FIGURE = re.compile(r'<figure data-image-id="(\d+)"[^>]*>.*?</figure>', re.DOTALL)


def _without_missing_photos(body, skipped):
    """The body without inline photos deleted from the library since (noted in ``skipped``)."""
    wanted = image_ids(body)
    if not wanted:
        return body
    existing = set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in existing]
    if not missing:
        return body
    for pk in missing:
        skipped.append(
            _("Photo #%(id)s in the body no longer exists; it was left out.") % {"id": pk}
        )
    return _FIGURE.sub(lambda m: "" if int(m.group(1)) in missing else m.group(0), body)


def _restore_image(article, name, value, skipped):
    if value is None:
        setattr(article, name, None)
        return
    image = Image.objects.select_related("credit").filter(pk=value["id"]).first()
    label = _label(name)
    if image is None:
        skipped.append(
            _("%(field)s “%(title)s” no longer exists; the current one was kept.")
            % {"field": label, "title": value["title"]}
        )
        return
    if name == "lead_image" and article.status == Article.Status.PUBLISHED:
        problem = services.lead_image_problem(image)
        if problem is not None:
            skipped.append(f"{problem} " + _("The current lead photo was kept."))
            return
    setattr(article, name, image)


def revert(article, revision, user) -> Reverted:
    """Restore the content of ``revision`` over ``article`` and record that as a new revision.

    All or nothing, in one transaction. Authors, tags, sections and photos deleted since are
    skipped, each with a message in the result; a lead photo that may not lead a published
    article (no alt text or credit) is not restored either. Status, dates, slug and corrections
    stay as they are (see the module's docstring). Raises ``PermissionDenied`` for a user who
    may not edit the article, and ``services.NotPublishable``, changing nothing, when a
    published article's body would show a photo without alt text or credit.
    """
    if revision.article_id != article.pk:
        raise ValueError("The revision belongs to another article.")
    if not can_edit(user, article):
        raise PermissionDenied(_("You may not edit this article, so you may not revert it."))
    data, skipped = revision.data, []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in TEXT_FIELDS:
            if name in data:
                setattr(article, name, data[name] or "")
        if "body" in data:
            article.body = _without_missing_photos(data["body"] or "", skipped)
        for name in IMAGE_FIELDS:
            if name in data:
                _restore_image(article, name, data[name], skipped)
        section = data.get("section")
        if section is None:
            article.section = None
        elif (found := Section.objects.filter(pk=section["id"]).first()) is not None:
            article.section = found
        else:
            skipped.append(
                _("The section “%(name)s” no longer exists; the current one was kept.")
                % {"name": section["name"]}
            )
        if article.status == Article.Status.PUBLISHED:
            services.check_publishable(article)  # the body's photos need alt text and credit
        article.save()

        bylines = data.get("bylines") or []
        authors = Author.objects.in_bulk([b["author_id"] for b in bylines])
        article.bylines.all().delete()
        # Row by row, not bulk_create: each save sends post_save, so whatever follows the
        # article's parts (its change event, naming the author pages it joins) sees them.
        for index, b in enumerate(bylines):
            if b["author_id"] in authors:
                ArticleAuthor.objects.create(
                    article=article,
                    author=authors[b["author_id"]],
                    position=b.get("position", index),
                    byline_role=b.get("role") or ArticleAuthor.BylineRole.WRITTEN_BY,
                )
        skipped += [
            _("The author “%(name)s” no longer exists and is not on the byline.")
            % {"name": b["name"]}
            for b in bylines
            if b["author_id"] not in authors
        ]

        tags = data.get("tags") or []
        found_tags = Tag.objects.in_bulk([t["id"] for t in tags])
        article.article_tags.all().delete()
        for t in tags:
            if t["id"] in found_tags:
                ArticleTag.objects.create(article=article, tag=found_tags[t["id"]])
        skipped += [
            _("The tag “%(name)s” no longer exists and was left out.") % {"name": t["name"]}
            for t in tags
            if t["id"] not in found_tags
        ]
        new = record_revision(
            article, user, _("Reverted to version %(version)d") % {"version": revision.version}
        )
    return Reverted(article, new, skipped)
