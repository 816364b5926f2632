"""A visitor joins through the browser: sign up, verify the address from the email, land signed in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

# live_server needs a transactional database; serialized_rollback restores what migrations created (the
# Wagtail root page, the role groups) after other transactional tests have flushed the tables.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "ada@example.org"
PASSWORD = "tea-and-time-banks-42"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def test_a_visitor_joins_verifies_their_email_and_is_signed_in(live_server, home_page, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    nav = page.get_by_role("navigation", name="Main")

    page.goto(f"{live_server.url}/")
    nav.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password(?!\s*\(again\))")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("verify your email", re.I))
    (message,) = [message for message in mail.outbox if message.to == [EMAIL]]
    link = CONFIRM_LINK.search(message.body).group()
    assert link.startswith(f"{live_server.url}/")  # built from the request, so it points back here

    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(nav.get_by_role("link", name="Join", exact=True)).to_have_count(0)
    # A new account is asked to apply for membership straight away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to join the network")
    nav.get_by_role("link", name="Account").click()
    main = page.get_by_role("main")
    # The address shows as text, or as the value of the "current email" field when it may be changed.
    expect(main.get_by_text(EMAIL).or_(main.locator(f'input[value="{EMAIL}"]')).first).to_be_visible()
    assert EmailAddress.objects.get(email=EMAIL).verified
    # Everything the pages loaded (styles, icons, scripts) came from the site itself.
    assert requested
    assert [url for url in requested if not url.startswith(f"{live_server.url}/")] == []
