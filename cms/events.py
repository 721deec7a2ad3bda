"""Change events: what changed on the public site, written to the outbox with the change.

Signal handlers (wired in ``CmsConfig.ready``) turn saves and deletes of articles, their
bylines, tags and corrections, and of authors, photos, credits, sections and tags into
:class:`~cms.models.ChangeEvent` rows in the same database transaction, so the event commits or
rolls back with the change; the ``deliver_webhooks`` worker sends them afterwards.

The article events follow what readers could see, by ``Article.objects.public()``:
``article.published`` when an article becomes public, ``article.updated`` when a public article
changes, ``article.unpublished`` when it stops being public and ``article.deleted`` when a public
article is deleted. Which articles have been announced as public is kept in
:class:`~cms.models.AnnouncedArticle`, so a draft that never was public produces nothing, and a
scheduled time that passes (:func:`emit_scheduled_events`) produces its event exactly once.
Author, photo, credit, section and tag changes produce events only while the site shows them.

Changes made with ``QuerySet.update()`` or ``bulk_create()`` send no signals and so no events;
the admin and ``articles.services`` save one object at a time.
"""

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from strawberry.relay import to_base64

from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit

from . import cache_tags
from .models import AnnouncedArticle, ChangeEvent, EventType, ScheduleCheckpoint

#: GraphQL type names of the models that are Relay nodes, for global ids.
_NODE_TYPES = {"article": "Article", "author": "Author", "section": "Section", "tag": "Tag"}
_GROUPS = {"article": "articles", "author": "authors", "image": "images", "section": "sections",
           "tag": "tags"}  # fmt: skip


# -- Payloads --------------------------------------------------------------------------------


def _ref(instance):
    """How an event names one object: global id (for API nodes), pk, slug, path and URL."""
    kind = instance._meta.model_name
    ref = {"pk": instance.pk}
    if kind in _NODE_TYPES:
        ref["id"] = to_base64(_NODE_TYPES[kind], instance.pk)
    if hasattr(instance, "slug"):
        ref["slug"] = instance.slug
        ref["path"] = instance.path
        ref["url"] = instance.get_absolute_url()
    if kind == "image":
        ref["title"] = instance.title
    return ref


class Affected:
    """The objects, paths and cache tags an event names; built up, then turned into ``data``.

    Every object named brings its ref and path (for frontends that revalidate pages by path);
    only the changed objects bring cache tags, since a response showing an object is tagged
    with it: purging ``author:3`` reaches every page with that byline, while purging the
    section of an edited article would empty the cache of the whole section.
    """

    def __init__(self):
        self.objects = {group: {} for group in _GROUPS.values()}
        self.paths = set()
        self.tags = set()

    def add(self, *instances, tagged=True, lists=False):
        """Name ``instances``; ``tagged`` adds their cache tags, ``lists`` their list tags too
        (for a change that adds them to lists or takes them off)."""
        for instance in instances:
            if instance is None:
                continue
            ref = _ref(instance)
            self.objects[_GROUPS[instance._meta.model_name]][instance.pk] = ref
            if "path" in ref:
                self.paths.add(ref["path"])
            if tagged:
                self.tags.update(cache_tags.tags_for(instance, lists=lists))
        return self

    def mention(self, *instances):
        """Name ``instances`` with their paths, without cache tags."""
        return self.add(*instances, tagged=False)

    def add_path(self, path):
        self.paths.add(path)
        return self

    def add_tag(self, *tags):
        self.tags.update(tags)
        return self

    def data(self):
        return {
            **{group: sorted(refs.values(), key=_pk) for group, refs in self.objects.items()},
            "paths": sorted(self.paths),
            "cache_tags": sorted(self.tags),
        }


def _pk(ref):
    return ref["pk"]


def merge_data(old, new):
    """One event's ``data`` holding everything two others name (newer refs win)."""
    merged = {}
    for group in _GROUPS.values():
        refs = {ref["pk"]: ref for ref in old.get(group, [])}
        refs.update({ref["pk"]: ref for ref in new.get(group, [])})
        merged[group] = sorted(refs.values(), key=_pk)
    merged["paths"] = sorted(set(old.get("paths", [])) | set(new.get("paths", [])))
    merged["cache_tags"] = sorted(set(old.get("cache_tags", [])) | set(new.get("cache_tags", [])))
    return merged


def article_affected(article, before=None, lists=False):
    """An article, and the section, tag and author pages that list it.

    ``lists`` is for a change to which lists show the article (publish, unpublish, delete,
    a new section or date); a tag becomes visible with its first public article, so tag lists
    change too. ``before`` holds the slug, section and date before this save, so an old path
    and a section the article left are named.
    """
    if before:
        lists = lists or (
            before["section_id"] != article.section_id
            or before["published_at"] != article.published_at
        )
    tags = list(Tag.objects.filter(article_tags__article=article).distinct())
    affected = Affected().add(article, lists=lists)
    affected.mention(article.section, *tags)
    affected.mention(*Author.objects.filter(bylines__article=article).distinct())
    if lists and tags:
        affected.add_tag(cache_tags.LIST_TAGS["tag"])
    if before:
        if before["slug"] != article.slug:
            affected.add_path(settings.FRONTEND_PATHS["article"].format(slug=before["slug"]))
        if before["section_id"] not in (None, article.section_id):
            affected.mention(Section.objects.filter(pk=before["section_id"]).first())
    return affected


# -- Writing events ----------------------------------------------------------------------------


class _PendingEvents(dict):
    """Events written in the current transaction, by (type, subject), so that the several saves
    of one admin form make one event.

    It is registered as an ``on_commit`` callback: Django drops it when the transaction rolls
    back and runs it on commit, which closes it, so it never outlives its transaction.
    """

    closed = False

    def __call__(self):
        self.closed = True


def _pending_events(using):
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _PendingEvents) and not callback.closed:
            return callback
    pending = _PendingEvents()
    transaction.on_commit(pending, using=using)
    return pending


def record_event(event_type, subject, affected, *, merge_into=(), using=None):
    """Write an event to the outbox, or widen one this transaction already wrote about
    ``subject`` (with this type or one of ``merge_into``). Returns the event's id."""
    using = using or router.db_for_write(ChangeEvent)
    data = affected.data() if isinstance(affected, Affected) else affected
    pending = _pending_events(using)
    if pending is not None:
        for pending_type in (event_type, *merge_into):
            found = pending.get((pending_type, subject))
            if found is None:
                continue
            event_id, payload = found
            payload = {**payload, "data": merge_data(payload["data"], data)}
            # A savepoint rolled back since may have taken the row along: then write anew.
            if ChangeEvent.objects.using(using).filter(pk=event_id).update(payload=payload):
                pending[(pending_type, subject)] = (event_id, payload)
                return event_id
    event = ChangeEvent(type=event_type)
    event.payload = {
        "id": str(event.id),
        "type": event_type,
        "occurred_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    event.save(using=using, force_insert=True)
    if pending is not None:
        pending[(event_type, subject)] = (event.id, event.payload)
    return event.id


# -- Articles ------------------------------------------------------------------------------------


def sync_article(article_id, *, changed=True, before=None, also=(), now=None):
    """Compare whether an article is public with what events have announced, and write the event
    the difference calls for: published, unpublished, or (when ``changed``) updated. ``also``
    lists more objects for the event to name.

    The article's row is locked first, so two transactions (an editor's save and the worker's
    schedule check) take turns and never announce the same change twice.
    """
    with transaction.atomic(savepoint=False):
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("section")
            .filter(pk=article_id)
            .first()
        )
        if article is None:
            return None
        is_public = Article.objects.public(now).filter(pk=article_id).exists()
        announced = AnnouncedArticle.objects.filter(article_id=article_id)
        was_public = announced.exists()
        subject = ("article", article_id)
        if is_public and not was_public:
            AnnouncedArticle.objects.create(article_id=article_id)
            event_type, merge_into = EventType.ARTICLE_PUBLISHED, ()
        elif was_public and not is_public:
            announced.delete()
            event_type, merge_into = EventType.ARTICLE_UNPUBLISHED, ()
        elif is_public and changed:
            event_type, merge_into = EventType.ARTICLE_UPDATED, [EventType.ARTICLE_PUBLISHED]
        else:
            return None
        lists = event_type != EventType.ARTICLE_UPDATED or bool(also)
        affected = article_affected(article, before, lists=lists).mention(*also)
        return record_event(event_type, subject, affected, merge_into=merge_into)


@receiver(pre_save, sender=Article, dispatch_uid="cms.events.article_before_save")
def remember_article_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._event_before = (
        Article.objects.filter(pk=instance.pk).values("slug", "section_id", "published_at").first()
    )


@receiver(post_save, sender=Article, dispatch_uid="cms.events.article_saved")
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_article(instance.pk, before=getattr(instance, "_event_before", None))
    instance._event_before = None


@receiver(pre_delete, sender=Article, dispatch_uid="cms.events.article_deleting")
def article_deleting(sender, instance, **kwargs):
    """A public article's deletion is announced while its relations still exist; its bylines
    and tags, deleted along, then announce nothing of their own."""
    with transaction.atomic(savepoint=False):
        announced = AnnouncedArticle.objects.filter(article_id=instance.pk)
        if not announced.exists():
            return
        announced.delete()
        affected = article_affected(instance, lists=True)
        record_event(EventType.ARTICLE_DELETED, ("article", instance.pk), affected)


def _article_part_changed(article_id, *, authors=(), tags=()):
    """A byline, tag or correction changed: the article changed, if it is public. The author or
    tag pages it joined or left (``authors``, ``tags``: primary keys) are named too."""
    if not AnnouncedArticle.objects.filter(article_id=article_id).exists():
        return
    also = [*Author.objects.filter(pk__in=authors), *Tag.objects.filter(pk__in=tags)]
    sync_article(article_id, also=also)


@receiver(post_save, sender=ArticleAuthor, dispatch_uid="cms.events.byline_saved")
@receiver(post_delete, sender=ArticleAuthor, dispatch_uid="cms.events.byline_deleted")
def byline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _article_part_changed(instance.article_id, authors=[instance.author_id])


@receiver(post_save, sender=ArticleTag, dispatch_uid="cms.events.article_tag_saved")
@receiver(post_delete, sender=ArticleTag, dispatch_uid="cms.events.article_tag_deleted")
def article_tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _article_part_changed(instance.article_id, tags=[instance.tag_id])


@receiver(post_save, sender=Correction, dispatch_uid="cms.events.correction_saved")
@receiver(post_delete, sender=Correction, dispatch_uid="cms.events.correction_deleted")
def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _article_part_changed(instance.article_id)


@receiver(m2m_changed, sender=Article.authors.through, dispatch_uid="cms.events.authors_m2m")
@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="cms.events.tags_m2m")
def article_relations_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``article.tags.add(...)`` and friends bypass the through models' signals."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # tag.articles.add(article): the instance is the tag or the author
        article_ids, related_ids = pk_set or (), [instance.pk]
    else:
        article_ids, related_ids = [instance.pk], pk_set or ()
    kind = "authors" if model is Author or isinstance(instance, Author) else "tags"
    for article_id in article_ids:
        _article_part_changed(article_id, **{kind: related_ids})


# -- Scheduled times ---------------------------------------------------------------------------


def emit_scheduled_events(now=None, *, everything=False):
    """Write the events of publish and take-down times that passed since the last check.

    Called by the delivery worker on every loop. The checkpoint row is locked for the whole
    check, so two workers take turns; each article's state is compared with what was announced,
    so nothing is announced twice. With ``everything`` (``deliver_webhooks --reconcile``), or
    without a checkpoint (an emptied database), every article is compared instead, which also
    announces changes that slipped past the signals (``QuerySet.update()``, a process that died
    between an autocommitted save and its event). Returns the ids of the events written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        checkpoint = ScheduleCheckpoint.objects.select_for_update().filter(pk=1).first()
        if checkpoint is None:
            ScheduleCheckpoint.objects.get_or_create(pk=1, defaults={"checked_until": now})
            checkpoint = ScheduleCheckpoint.objects.select_for_update().get(pk=1)
            everything = True
        if everything:
            announced = AnnouncedArticle.objects.values("article_id")
            public = Article.objects.public(now).values("pk")
            candidates = Article.objects.filter(
                (Q(pk__in=public) & ~Q(pk__in=announced))
                | (Q(pk__in=announced) & ~Q(pk__in=public))
            )
        else:
            since = checkpoint.checked_until
            if since >= now:
                return []
            candidates = Article.objects.filter(
                Q(published_at__gt=since, published_at__lte=now)
                | Q(unpublish_at__gt=since, unpublish_at__lte=now)
            )
        written = _announce_vanished_articles() if everything else []
        for article_id in candidates.order_by("pk").values_list("pk", flat=True):
            event_id = sync_article(article_id, changed=False, now=now)
            if event_id is not None:
                written.append(event_id)
        checkpoint.checked_until = now
        checkpoint.save(update_fields=["checked_until"])
        return written


def mark_announced(articles):
    """Record the public ones of ``articles`` (a queryset), written without signals by a bulk
    import, as announced, without an event: a later edit of one is then an update, and the
    worker's comparison of every article does not announce the import article by article.
    Returns how many were recorded."""
    missing = (
        Article.objects.public()
        .filter(pk__in=articles.values("pk"))
        .exclude(pk__in=AnnouncedArticle.objects.values("article_id"))
        .values_list("pk", flat=True)
    )
    created = AnnouncedArticle.objects.bulk_create(
        [AnnouncedArticle(article_id=pk) for pk in missing.iterator()],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(created)


def _announce_vanished_articles():
    """Announced articles deleted without signals (``QuerySet.delete()`` on a raw connection, a
    restore): their deletion, with what is still known of them, the id."""
    gone = AnnouncedArticle.objects.exclude(article_id__in=Article.objects.values("pk"))
    written = []
    for announcement in gone.select_for_update():
        pk = announcement.article_id
        data = Affected().data()
        data["articles"] = [{"pk": pk, "id": to_base64(_NODE_TYPES["article"], pk)}]
        data["cache_tags"] = [cache_tags.tag("article", pk), cache_tags.LIST_ARTICLES]
        written.append(record_event(EventType.ARTICLE_DELETED, ("article", pk), data))
        announcement.delete()
    return written


# -- Authors, photos, sections and tags ---------------------------------------------------------


def _public_articles():
    return Article.objects.public().select_related("section")


def author_changed(author, *, was_active=None, gone=False):
    """An author's page (while active) and the public articles with them on the byline.

    ``was_active`` is ``None`` for a new author; ``gone`` for a deletion. Joining or leaving
    the list of active authors purges the author lists too.
    """
    articles = list(_public_articles().filter(bylines__author=author).distinct())
    if not (author.active or was_active or articles):
        return None
    lists = gone or was_active is None or was_active != author.active
    affected = Affected().add(author, lists=lists).mention(*articles)
    return record_event(EventType.AUTHOR_UPDATED, ("author", author.pk), affected)


def images_changed(images, subject):
    """Photos shown by public articles (lead, social, inline, or a byline's portrait) or on an
    active author's page."""
    images = list(images)
    if not images:
        return None
    articles = list(
        _public_articles()
        .filter(
            Q(lead_image__in=images)
            | Q(social_image__in=images)
            | Q(inline_images__image__in=images)
            | Q(bylines__author__avatar__in=images)
        )
        .distinct()
    )
    authors = list(
        Author.objects.filter(avatar__in=images)
        .filter(Q(active=True) | Q(bylines__article__in=[article.pk for article in articles]))
        .distinct()
    )
    if not (articles or authors):
        return None
    affected = Affected().add(*images).mention(*authors, *articles)
    return record_event(EventType.IMAGE_UPDATED, subject, affected)


def section_changed(section, *, lists=False):
    """Sections are all listed publicly, so every change to one is an event; a new or deleted
    section changes the list of sections."""
    articles = _public_articles().filter(section=section)
    affected = Affected().add(section, lists=lists).mention(*articles)
    return record_event(EventType.SECTION_UPDATED, ("section", section.pk), affected)


def tag_changed(tag):
    """A tag is shown only while a public article carries it."""
    articles = list(_public_articles().filter(tags=tag).distinct())
    if not articles:
        return None
    affected = Affected().add(tag).mention(*articles)
    return record_event(EventType.TAG_UPDATED, ("tag", tag.pk), affected)


def _in_transaction(handler, *args, **kwargs):
    with transaction.atomic(savepoint=False):
        return handler(*args, **kwargs)


@receiver(pre_save, sender=Author, dispatch_uid="cms.events.author_before_save")
def remember_author_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._event_was_active = (
        Author.objects.filter(pk=instance.pk).values_list("active", flat=True).first()
    )


@receiver(post_save, sender=Author, dispatch_uid="cms.events.author_saved")
def author_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        was_active = getattr(instance, "_event_was_active", None)
        _in_transaction(author_changed, instance, was_active=was_active)


@receiver(pre_delete, sender=Author, dispatch_uid="cms.events.author_deleting")
def author_deleting(sender, instance, **kwargs):
    _in_transaction(author_changed, instance, was_active=instance.active, gone=True)


@receiver(post_save, sender=AuthorLink, dispatch_uid="cms.events.author_link_saved")
@receiver(post_delete, sender=AuthorLink, dispatch_uid="cms.events.author_link_deleted")
def author_link_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    author = Author.objects.filter(pk=instance.author_id).first()
    if author is not None:
        _in_transaction(author_changed, author, was_active=author.active)


@receiver(post_save, sender=Image, dispatch_uid="cms.events.image_saved")
@receiver(pre_delete, sender=Image, dispatch_uid="cms.events.image_deleting")
def image_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:  # a new photo is not shown anywhere yet
        _in_transaction(images_changed, [instance], ("image", instance.pk))


@receiver(post_save, sender=ImageCredit, dispatch_uid="cms.events.credit_saved")
def credit_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _in_transaction(images_changed, instance.images.all(), ("credit", instance.pk))


@receiver(post_save, sender=Section, dispatch_uid="cms.events.section_saved")
def section_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        _in_transaction(section_changed, instance, lists=created)


@receiver(pre_delete, sender=Section, dispatch_uid="cms.events.section_deleting")
def section_deleting(sender, instance, **kwargs):
    _in_transaction(section_changed, instance, lists=True)


@receiver(post_save, sender=Tag, dispatch_uid="cms.events.tag_saved")
@receiver(pre_delete, sender=Tag, dispatch_uid="cms.events.tag_deleting")
def tag_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _in_transaction(tag_changed, instance)
