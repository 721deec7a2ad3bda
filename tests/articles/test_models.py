"""Articles, sections, tags, bylines and corrections: the rules the database and models keep."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.body import (
    BulletList,
    Divider,
    Heading,
    Paragraph,
    Quote,
    body_blocks,
    sanitize_body,
)
from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


# -- Publication rules ------------------------------------------------------------------------


def test_published_article_without_publication_time_is_refused_by_the_database():
    section = SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="No date", slug="no-date", section=section, status=Article.Status.PUBLISHED
        )


def test_published_article_without_publication_time_is_refused_by_full_clean():
    article = Article(title="No date", slug="no-date", status=Article.Status.PUBLISHED)
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "A published article needs a publication time." in excinfo.value.messages


def test_draft_needs_no_publication_time():
    article = Article(title="Draft", slug="draft", status=Article.Status.DRAFT)
    article.full_clean()
    article.save()
    assert article.published_at is None


def test_take_down_before_publication_is_refused_by_the_database():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(published_at=now, unpublish_at=now - timedelta(hours=1))


def test_take_down_at_publication_time_is_refused_by_full_clean():
    now = timezone.now()
    article = Article(
        title="Backwards",
        slug="backwards",
        status=Article.Status.PUBLISHED,
        published_at=now,
        unpublish_at=now,
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "The take-down time must be after the publication time." in excinfo.value.messages


def test_article_slugs_are_unique():
    ArticleFactory(slug="budget-vote")
    duplicate = Article(title="Another", slug="budget-vote", status=Article.Status.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "slug" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize("model", [Section, Tag])
def test_section_and_tag_slugs_are_unique(model):
    model.objects.create(name="Science", slug="science")
    with pytest.raises(ValidationError):
        model(name="Science again", slug="science").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(name="Science again", slug="science")


# -- Visibility -------------------------------------------------------------------------------


def test_public_includes_a_due_published_article_and_excludes_every_hidden_kind():
    now = timezone.now()
    hour = timedelta(hours=1)
    due = ArticleFactory(published_at=now - hour)
    due_until_later = ArticleFactory(published_at=now - hour, unpublish_at=now + hour)
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(status=Article.Status.DRAFT, published_at=now - hour),
        ArticleFactory(status=Article.Status.REVIEW, published_at=now - hour),
        ArticleFactory(status=Article.Status.ARCHIVED, published_at=now - hour),
        ArticleFactory(published_at=now + hour),  # scheduled
        ArticleFactory(published_at=now - 2 * hour, unpublish_at=now - hour),  # taken down
    ]

    public = set(Article.objects.public())

    assert public == {due, due_until_later}
    assert all(not article.is_public for article in hidden)
    assert due.is_public


def test_public_follows_the_clock_it_is_given():
    now = timezone.now()
    scheduled = ArticleFactory(published_at=now + timedelta(hours=2))
    assert scheduled not in Article.objects.public(now)
    assert scheduled in Article.objects.public(now + timedelta(hours=3))


def test_newest_first_breaks_ties_on_id():
    when = timezone.now() - timedelta(hours=1)
    first, second = ArticleFactory(published_at=when), ArticleFactory(published_at=when)
    assert list(Article.objects.newest_first()) == [second, first]


# -- Body -------------------------------------------------------------------------------------


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="steal()">Hello <script>alert(1)</script><strong>world</strong></p>'
        '<p><a href="javascript:alert(1)">bad</a> <a href="https://example.org/">good</a></p>'
        '<p style="color:red"><img src="x.png">Text</p><iframe src="https://evil.example/">'
        "</iframe>"
    )
    article.refresh_from_db()
    assert "script" not in article.body and "alert" not in article.body
    assert "onclick" not in article.body and "style" not in article.body
    assert "javascript:" not in article.body
    assert "<img" not in article.body and "iframe" not in article.body
    assert "<strong>world</strong>" in article.body
    assert 'href="https://example.org/"' in article.body


def test_allowed_body_markup_is_kept():
    html = (
        "<p>One <em>two</em> <code>three</code><br>four</p><h2>Heading</h2><h3>Sub</h3>"
        "<ul><li>a</li></ul><ol><li>b</li></ol>"
        '<blockquote class="pull-quote"><p>Quote</p><cite>Someone</cite></blockquote><hr>'
    )
    cleaned = sanitize_body(html)
    for fragment in [
        "<em>two</em>",
        "<code>three</code>",
        "<br>",
        "<h2>Heading</h2>",
        "<h3>Sub</h3>",
        "<ul><li>a</li></ul>",
        "<ol><li>b</li></ol>",
        '<blockquote class="pull-quote">',
        "<cite>Someone</cite>",
        "<hr>",
    ]:
        assert fragment in cleaned


def test_only_the_pull_quote_class_survives():
    cleaned = sanitize_body('<blockquote class="pull-quote big"><p>x</p></blockquote>')
    assert 'class="pull-quote"' in cleaned
    assert "big" not in sanitize_body('<p class="big">x</p>')


# -- Body blocks ------------------------------------------------------------------------------


def test_body_blocks_cut_each_block_type():
    html = sanitize_body(
        '<p>Intro with <a href="https://example.org/">a link</a>.</p>'
        "<h2>Section</h2><h3>Detail</h3>"
        "<ul><li>one</li><li><strong>two</strong></li></ul>"
        "<ol><li>first</li></ol>"
        "<blockquote><p>Said it.</p><cite>— A. Person</cite></blockquote>"
        '<blockquote class="pull-quote"><p>Big words.</p></blockquote>'
        "<hr>"
        "<p>End.</p>"
    )
    blocks = body_blocks(html)
    assert [type(block) for block in blocks] == [
        Paragraph,
        Heading,
        Heading,
        BulletList,
        BulletList,
        Quote,
        Quote,
        Divider,
        Paragraph,
    ]
    intro, h2, h3, bullets, numbered, quote, pull, _, end = blocks
    assert intro.html.startswith('Intro with <a href="https://example.org/"')
    assert (h2.level, h2.text) == (2, "Section")
    assert (h3.level, h3.text) == (3, "Detail")
    assert bullets == BulletList(ordered=False, items=["one", "<strong>two</strong>"])
    assert numbered == BulletList(ordered=True, items=["first"])
    assert quote == Quote(html="Said it.", attribution="A. Person", pull=False)
    assert pull == Quote(html="Big words.", attribution=None, pull=True)
    assert end == Paragraph(html="End.")


def test_body_blocks_join_quote_paragraphs_and_wrap_loose_text():
    blocks = body_blocks(
        "Loose <em>text</em><blockquote><p>One.</p><p>Two.</p><cite>Her</cite></blockquote>"
    )
    assert blocks == [
        Paragraph(html="Loose <em>text</em>"),
        Quote(html="One.<br><br>Two.", attribution="Her", pull=False),
    ]


def test_body_blocks_skip_empty_blocks():
    assert body_blocks("<p> </p><h2></h2><ul></ul><blockquote></blockquote>") == []
    assert body_blocks("") == []


# -- Nothing in use disappears ----------------------------------------------------------------


def test_deleting_a_section_in_use_is_refused():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ProtectedError) as excinfo:
        article.section.delete()
    assert article in excinfo.value.protected_objects


def test_deleting_a_tag_in_use_is_refused():
    tag = TagFactory()
    ArticleFactory(tags=[tag])
    with pytest.raises(ProtectedError):
        tag.delete()


def test_deleting_an_author_on_a_byline_is_refused():
    author = AuthorFactory()
    ArticleFactory(authors=[author], status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ProtectedError):
        author.delete()


def test_unused_section_and_tag_can_be_deleted():
    section, tag = SectionFactory(), TagFactory()
    section.delete()
    tag.delete()
    assert not Section.objects.exists() and not Tag.objects.exists()


def test_deleting_an_article_removes_its_bylines_tags_and_corrections():
    author, tag = AuthorFactory(), TagFactory()
    article = ArticleFactory(authors=[author], tags=[tag])
    CorrectionFactory(article=article)
    article.delete()
    assert not ArticleAuthor.objects.exists()
    assert not ArticleTag.objects.exists()
    assert not Correction.objects.exists()
    assert author.pk and tag.pk  # still there


# -- Bylines ----------------------------------------------------------------------------------


def test_bylines_keep_their_order():
    first, second = AuthorFactory(name="Zed"), AuthorFactory(name="Abe")
    article = ArticleFactory(authors=[first, second])
    assert [b.author for b in article.bylines.all()] == [first, second]
    assert article.bylines.first().byline_role == ArticleAuthor.BylineRole.WRITTEN_BY


def test_an_author_appears_once_on_a_byline():
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleAuthor.objects.create(
            article=article, author=author, byline_role=ArticleAuthor.BylineRole.PHOTOS_BY
        )


# -- Paths and names --------------------------------------------------------------------------


def test_paths_and_urls_follow_the_frontend_settings(settings):
    settings.FRONTEND_URL = "https://news.example.org"
    article = ArticleFactory(slug="budget-vote")
    assert article.path == "/articles/budget-vote/"
    assert article.get_absolute_url() == "https://news.example.org/articles/budget-vote/"
    assert SectionFactory(slug="city").path == "/sections/city/"
    assert TagFactory(slug="transport").get_absolute_url() == (
        "https://news.example.org/tags/transport/"
    )


def test_str_of_each_model():
    author = AuthorFactory(name="Mara Okafor")
    section = SectionFactory(name="City")
    tag = TagFactory(name="Transport")
    article = ArticleFactory(title="Trams every six minutes", section=section)
    byline = ArticleAuthor.objects.create(
        article=article, author=author, byline_role=ArticleAuthor.BylineRole.PHOTOS_BY
    )
    article_tag = ArticleTag.objects.create(article=article, tag=tag)
    correction = Correction.objects.create(
        article=article,
        date=datetime(2025, 3, 4, 12, tzinfo=timezone.get_current_timezone()),
        text="Fixed a date.",
    )

    assert str(section) == "City"
    assert str(tag) == "Transport"
    assert str(article) == "Trams every six minutes"
    assert str(byline) == "Mara Okafor on “Trams every six minutes” (photos by)"
    assert str(article_tag) == "“Trams every six minutes” tagged Transport"
    assert str(correction) == "Correction of 2025-03-04 to “Trams every six minutes”"
