"""Shared fixtures. Tests that need an outside tool (PostgreSQL, Redis, Chromium) call `need()`: it skips with
a printed reason on a developer's machine and fails under CI=true, so CI never passes by skipping."""

import os

import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from tests.smtp import smtp_server  # noqa: F401 - the fixture, for the core's and visits' mail tests

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) the calling test when a tool it needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI needs this tool: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def home_page(db) -> HomePage:
    """A site whose root is a published HomePage, as seed_demo builds it."""
    # A transactional test before this one may have flushed the tree (and the locale) that migrations made.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for old in Page.objects.filter(depth=2):
        old.delete()
    home = root.add_child(
        instance=HomePage(title="Home", slug="home", heading="Welcome", intro="<p>Hello</p>")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (task enqueues) at the end of the block, as a real commit would."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture(autouse=True)
def mail_through_the_outbox(settings):
    """Django's test set-up swaps EMAIL_BACKEND for locmem; put the outbox back in front of it, as in
    production, so every test that checks mail also checks it went through the outbox."""
    settings.EMAIL_BACKEND = "network.mail.OutboxBackend"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and cached values must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

