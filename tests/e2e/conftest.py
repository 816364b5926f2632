"""Browser fixtures: Playwright's sync API driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.conftest import need

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    # Nothing but the page under test may reach the network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# One Chromium per test, stopped before the test's database teardown: while Playwright's event loop runs in
# this thread, Django hands out a fresh connection object that lacks the serialized migration data, so the
# transactional flush and restore between tests would otherwise leave the next test an empty database.
@pytest.fixture
def browser():
    """One headless Chromium for the browser tests."""
    need(CHROMIUM is not None, "Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM calls from a
    # thread with a running loop; the tests' own ORM calls are plain synchronous ones. Set only while the
    # browser runs, so no other test (or subprocess, such as `check --deploy`) inherits it.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        # Close the connection Django opened for the event loop's context, or PostgreSQL cannot drop the
        # test database at the end of the run.
        connections.close_all()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page per test, 1280 px wide."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def signed_in(context, live_server, user) -> None:
    """Give a browser context `user`'s session, as signing in would (the sign-in form has tests of its own)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "network.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )


def as_member(browser, live_server, user, **options):
    """A page in a new browser context signed in as `user` (1280 px wide, British English)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    signed_in(context, live_server, user)
    return context.new_page()


def emails_to(address: str, *, at_least: int = 1, wait: float = 5.0) -> list:
    """Mail the live server delivered (through the outbox, once its transaction committed) to `address`."""
    import time

    from django.core import mail

    deadline = time.monotonic() + wait
    while True:
        found = [message for message in mail.outbox if address in message.to]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
