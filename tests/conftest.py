import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: responses, counts and APQ documents of an earlier
    test's (rolled back) content must not answer for this one's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def forget_rendition_specs():
    """Rendition specs are remembered per process; tests that pretend the server cannot encode
    a format must not leave their specs to the next test."""
    from media import renditions

    renditions._built_spec.cache_clear()
    yield
    renditions._built_spec.cache_clear()
