"""Accounts through allauth: email login, mandatory verification, no enumeration, rate limits."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-and-new-passphrase"


def _sign_up(client, run_on_commit, email="new.person@example.org"):
    with run_on_commit():
        return client.post(
            "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )


def _link_in_last_mail() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0)


def test_sign_up_sends_a_verification_link_and_confirming_it_signs_the_person_in(
    client, home_page, run_on_commit
):
    response = _sign_up(client, run_on_commit)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/confirm-email/"
    assert mail.outbox[-1].to == ["new.person@example.org"]
    link = _link_in_last_mail()

    client.post(link.split("testserver", 1)[-1])

    assert EmailAddress.objects.get(email="new.person@example.org").verified
    assert b"Sign out" in client.get("/").content


def test_an_unverified_address_cannot_sign_in(client, home_page, run_on_commit):
    _sign_up(client, run_on_commit)
    client.logout()

    response = client.post("/accounts/login/", {"login": "new.person@example.org", "password": NEW_PASSWORD})

    assert response["Location"] == "/accounts/confirm-email/"
    assert b"Sign out" not in client.get("/").content


def test_signing_up_with_a_taken_address_looks_the_same_and_tells_only_its_owner(
    client, home_page, run_on_commit
):
    owner = MemberFactory(email="taken@example.org")
    fresh = _sign_up(client, run_on_commit, email="fresh@example.org")
    client.logout()

    taken = _sign_up(client, run_on_commit, email="taken@example.org")

    assert taken.status_code == fresh.status_code and taken["Location"] == fresh["Location"]
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[-1].to == [owner.email]
    assert "already" in mail.outbox[-1].body.lower()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, home_page, run_on_commit):
    MemberFactory(email="known@example.org")

    with run_on_commit():
        known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]
    reset_mail = next(m for m in mail.outbox if m.to == ["known@example.org"])
    assert "/accounts/password/reset/key/" in reset_mail.body


def test_a_member_signs_in_with_email_and_password(client, home_page):
    member = MemberFactory(email="amara@example.org")

    response = client.post("/accounts/login/", {"login": "amara@example.org", "password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(member.pk)


def test_repeated_wrong_passwords_are_rate_limited(client, home_page):
    MemberFactory(email="amara@example.org")

    for _ in range(6):
        client.post("/accounts/login/", {"login": "amara@example.org", "password": "wrong-guess"})
    blocked = client.post("/accounts/login/", {"login": "amara@example.org", "password": PASSWORD})

    assert blocked.status_code in (HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS)
    assert "_auth_user_id" not in client.session
    assert b"Too many" in blocked.content or blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_member_changes_their_password(client, home_page):
    member = MemberFactory()
    client.force_login(member)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_sign_up_form_errors_keep_the_typed_email_and_say_what_is_wrong(client, home_page):
    response = client.post(
        "/accounts/signup/", {"email": "keep.me@example.org", "password1": "short", "password2": "other"}
    )

    assert response.status_code == HTTPStatus.OK
    assert b'value="keep.me@example.org"' in response.content
    assert b'aria-invalid="true"' in response.content
    assert not get_user_model().objects.filter(email="keep.me@example.org").exists()


def test_account_pages_use_the_site_layout(client, home_page):
    html = client.get("/accounts/login/").content.decode()

    assert 'class="skip-link"' in html and '<main id="main"' in html
    assert "/static/css/site.css" in html


def test_the_wagtail_admin_sends_visitors_to_the_site_sign_in(client, home_page):
    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_account_pages_link_to_membership_sessions_and_your_data(client, home_page):
    client.force_login(MemberFactory())

    html = client.get("/accounts/email/").content.decode()

    for url in [
        "/accounts/password/change/",
        "/accounts/sessions/",
        "/network/membership/",
        "/network/my-data/",
    ]:
        assert f'href="{url}"' in html
    assert client.get("/accounts/sessions/").status_code == HTTPStatus.OK


def test_signing_up_takes_as_long_for_a_taken_address_as_for_a_new_one(home_page, settings, run_on_commit):
    """With the production password hasher, the time of a sign-up must not tell whether the address has an
    account: a new one hashes its password, so a taken one must cost the same. The work is counted in CPU
    time, which other processes on a busy machine do not disturb as they do the clock on the wall."""
    import statistics
    import time

    from django.test import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    MemberFactory(email="taken@example.org")
    taken, new = [], []
    for i in range(6):  # pairs, alternated; the first warms up and is not counted
        for times, email in ((taken, "taken@example.org"), (new, f"fresh{i}@example.org")):
            client = Client(REMOTE_ADDR=f"10.0.{i}.{len(times)}")  # allauth limits sign-ups per address
            started = time.process_time()
            with run_on_commit():
                response = client.post(
                    "/accounts/signup/",
                    {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
                )
            times.append(time.process_time() - started)
            assert response["Location"] == "/accounts/confirm-email/"

    taken_median, new_median = statistics.median(taken[1:]), statistics.median(new[1:])
    assert abs(taken_median - new_median) < 0.25 * new_median, (taken, new)


def test_staff_cannot_change_their_address_in_the_admin_without_verifying_it(client, home_page):
    from tests.factories import EditorFactory

    editor = EditorFactory(email="editor@example.org")
    MemberFactory(email="taken@example.org")
    client.force_login(editor)

    page = client.get("/admin/account/").content.decode()
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Ed",
            "name_email-last_name": "Itor",
            "name_email-email": "taken@example.org",
        },
    )

    assert 'name="name_email-email"' not in page
    editor.refresh_from_db()
    assert editor.email == "editor@example.org"
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1
