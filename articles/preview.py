"""Preview links: signed, expiring tokens that show one article's current content, in any status.

The admin's Preview button opens ``PREVIEW_URL`` on the frontend with a token made by
:func:`make_preview_token`; the frontend passes it back as ``article(slug:, previewToken:)``.
A token names one article (by primary key, so renaming the slug keeps it working) and expires
after ``PREVIEW_TOKEN_MAX_AGE`` seconds. Nothing else grants access to hidden articles.
"""

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from graphql import GraphQLError

from .models import Article

SALT = "articles.preview"
#: The API's error code for a wrong, expired or other-article token (DESIGN.md, Errors).
INVALID_PREVIEW_TOKEN = "INVALID_PREVIEW_TOKEN"  # noqa: S105 (an error code)


class InvalidPreviewToken(Exception):
    """A preview token that is malformed, forged, expired or made for another article."""


def _signer():
    return signing.TimestampSigner(salt=SALT)


def make_preview_token(article) -> str:
    """A token that shows ``article`` (whatever its status) until it expires."""
    return _signer().sign(str(article.pk))


def preview_url(article) -> str:
    """The frontend's preview address for ``article``, with a fresh token."""
    return settings.PREVIEW_URL.format(
        slug=quote(article.slug, safe=""),
        path=quote(article.path, safe="/"),
        token=quote(make_preview_token(article), safe=""),
    )


def article_pk_from_token(token: str) -> int:
    """The primary key ``token`` was made for; :class:`InvalidPreviewToken` if it is not valid."""
    try:
        value = _signer().unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidPreviewToken(
            "The preview link has expired. Open the preview again from the admin."
        ) from None
    except signing.BadSignature:
        raise InvalidPreviewToken("The preview token is not valid.") from None
    return int(value)


def article_for_preview(slug: str, token: str):
    """The article at ``slug`` in any status, if ``token`` was made for it and has not expired.

    Raises :class:`InvalidPreviewToken` for a wrong or expired token, or one made for another
    article — including a slug no article has: a token must not tell its holder which other
    slugs exist (a hidden article and a missing one look the same).
    """
    pk = article_pk_from_token(token)
    article = Article.objects.filter(pk=pk, slug=slug).only("pk").first()
    if article is None:
        raise InvalidPreviewToken("The preview token was made for another article.")
    return article


# -- In the API -------------------------------------------------------------------------------


def previewed_article_ids(info) -> frozenset:
    """The articles a valid preview token has granted in this request (usually none).

    The types' ``get_queryset`` add them to what is public, so a previewed draft's own tags and
    nested lists resolve like a published article's.
    """
    request = getattr(getattr(info, "context", None), "request", None)
    return frozenset(getattr(request, "preview_article_ids", ()))


def grant_preview(info, slug: str, token: str):
    """Check ``token`` for the article at ``slug`` and open it to the rest of this request.

    Returns the article's primary key, or ``None`` when no article has that slug. The response
    is marked private first, whatever the outcome: it answers a request that carried a token.
    Raises a GraphQL error coded ``INVALID_PREVIEW_TOKEN`` for a token that is not valid.
    """
    context = info.context
    context.response.headers["Cache-Control"] = "private, no-store"
    context.request.graphql_private = True
    try:
        article = article_for_preview(slug, token)
    except InvalidPreviewToken as error:
        raise GraphQLError(str(error), extensions={"code": INVALID_PREVIEW_TOKEN}) from None
    if article is None:
        return None
    context.request.preview_article_ids = previewed_article_ids(info) | {article.pk}
    return article.pk
