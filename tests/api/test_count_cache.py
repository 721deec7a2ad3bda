"""`totalCount` is kept per content version: counted once, never stale after a change."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.preview import make_preview_token
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

COUNT = "{ articles(first: 1) { totalCount } }"


@pytest.fixture(autouse=True)
def whole_responses_not_cached(settings):
    """Every request runs its resolvers, so only the count cache is at work."""
    settings.GRAPHQL_RESPONSE_CACHE = False


def counted(gql, query=COUNT, variables=None):
    """The data of ``query`` and whether it ran a COUNT."""
    with CaptureQueriesContext(connection) as queries:
        data = gql.query(query, variables)
    return data, any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_a_repeated_list_is_counted_once(gql):
    ArticleFactory.create_batch(3)
    assert counted(gql) == ({"articles": {"totalCount": 3}}, True)
    assert counted(gql) == ({"articles": {"totalCount": 3}}, False)


def test_a_change_is_counted_at_once(gql):
    article = ArticleFactory()
    ArticleFactory()
    assert counted(gql)[0]["articles"]["totalCount"] == 2
    ArticleFactory()
    assert counted(gql) == ({"articles": {"totalCount": 3}}, True)
    article.status = Article.Status.DRAFT
    article.save()
    assert counted(gql)[0]["articles"]["totalCount"] == 2
    article.delete()
    assert counted(gql)[0]["articles"]["totalCount"] == 2


def test_a_scheduled_article_counts_from_its_time(gql):
    ArticleFactory()
    due = timezone.now() + timedelta(hours=2)
    ArticleFactory(published_at=due)
    assert counted(gql)[0]["articles"]["totalCount"] == 1
    assert counted(gql) == ({"articles": {"totalCount": 1}}, False)
    with time_machine.travel(due + timedelta(seconds=1)):
        assert counted(gql) == ({"articles": {"totalCount": 2}}, True)


def test_each_list_keeps_its_own_count(gql):
    news, sport = SectionFactory(slug="news"), SectionFactory(slug="sport")
    ArticleFactory.create_batch(2, section=news)
    ArticleFactory(section=sport)
    query = """query($s: String) {
        articles(section: $s) { totalCount }
        news: section(slug: "news") { articles { totalCount } }
        sport: section(slug: "sport") { articles { totalCount } }
    }"""
    for _ in range(2):  # counted, then from the cache: the same figures
        assert gql.query(query, {"s": "sport"}) == {
            "articles": {"totalCount": 1},
            "news": {"articles": {"totalCount": 2}},
            "sport": {"articles": {"totalCount": 1}},
        }
    assert gql.query(query, {"s": "news"})["articles"] == {"totalCount": 2}
    assert gql.query(query, {"s": None})["articles"] == {"totalCount": 3}


def test_a_previewed_request_is_always_counted(gql):
    ArticleFactory(section=SectionFactory(slug="news"))
    draft = ArticleFactory(
        slug="draft", status=Article.Status.DRAFT, published_at=None, section__slug="sport"
    )
    query = """query($t: String) {
        article(slug: "draft", previewToken: $t) { slug }
        articles { totalCount }
    }"""
    token = make_preview_token(draft)
    for _ in range(2):
        data, ran_count = counted(gql, query, {"t": token})
        assert data["article"] == {"slug": "draft"} and ran_count


def test_counts_are_not_kept_when_switched_off(gql, settings):
    settings.GRAPHQL_COUNT_CACHE = False
    ArticleFactory()
    assert counted(gql)[1] and counted(gql)[1]


def test_a_request_across_a_scheduled_time_keeps_no_stale_count(gql, monkeypatch):
    """An article's scheduled time passes while a request resolves its list: the count it
    takes must not be kept under the version that follows, or pages would show two articles
    and a count of one until the next change."""
    from cms import pagination, response_cache

    start = timezone.now()
    due = start + timedelta(seconds=30)
    ArticleFactory(published_at=start - timedelta(days=1))
    ArticleFactory(published_at=due)
    query = "{ articles { totalCount edges { node { slug } } } }"
    read_version = response_cache.version_or_none
    with time_machine.travel(start, tick=False) as traveller:
        response_cache.current_version()  # its bound is the scheduled time
        traveller.move_to(due - timedelta(milliseconds=5))

        def cross_then_read():
            traveller.move_to(due + timedelta(milliseconds=5))
            return read_version()

        monkeypatch.setattr(pagination.response_cache, "version_or_none", cross_then_read)
        gql.query(query)
        monkeypatch.setattr(pagination.response_cache, "version_or_none", read_version)
        traveller.move_to(due + timedelta(minutes=5))
        page = gql.query(query)["articles"]
    assert (len(page["edges"]), page["totalCount"]) == (2, 2)
