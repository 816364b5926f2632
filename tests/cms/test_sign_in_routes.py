"""allauth is the only way to sign in: no other route in the URL map takes a password, so none can skip the
second factor, the failed-password limit or the verified address."""

import re
import uuid
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.factories import PASSWORD, EditorFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def _routes(resolver=None, prefix=""):
    """(sample path, pattern) for every route of the URL map, with each parameter filled in."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = _sample(str(entry.pattern))
        if pattern is None:
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + pattern, entry


def _sample(pattern: str) -> str | None:
    pattern = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "1"), pattern)
    if pattern.startswith("^") or pattern.endswith("$"):  # a regex route: fill its groups, drop anchors
        pattern = re.sub(r"\(\?P<\w+>[^)]*\)[*+?]?", "1", pattern).strip("^$")
        pattern = pattern.replace("\\", "").replace("?", "")
        if re.search(r"[()\[\]|*+{]", pattern):
            return None
    return pattern


def _credentials(user) -> dict:
    # Every field name a sign-in form might use for the person and their password.
    return {"username": user.username, "email": user.email, "login": user.email, "password": PASSWORD}


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_no_route_but_allauths_signs_anyone_in():
    user = UserFactory()
    tried, unresolved = 0, []
    for path, route in _routes():
        module = getattr(route.callback, "__module__", "")
        if module.startswith("allauth."):
            continue
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(str(route.pattern))
            continue
        client = Client(raise_request_exception=False)
        client.post(path, _credentials(user))
        client.post(path + "?next=/", _credentials(user))
        tried += 1
        assert not _signed_in(client), f"{path} ({module}.{route.callback.__name__}) signed someone in"
    assert tried > 200  # Wagtail's admin alone has hundreds: the walk really covered the map
    assert len(unresolved) < 5, unresolved
    # The same credentials do sign in through allauth's form, so the walk would have noticed.
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert _signed_in(client)


@pytest.mark.parametrize("route", ["/admin/login/", "/_util/login/"])
def test_wagtails_sign_in_forms_lead_to_allauths(client, home_page, route):
    response = client.get(route + "?next=/admin/pages/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_a_restricted_page_sends_visitors_to_allauths_sign_in(client, home_page):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/")

    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.fixture
def staff_with_totp(home_page, settings):
    settings.STAFF_MFA_REQUIRED = True
    editor = EditorFactory()
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    return editor, secret


@pytest.mark.parametrize("route", ["/admin/login/", "/_util/login/", "/accounts/login/"])
def test_a_staff_password_alone_opens_nothing(client, staff_with_totp, route):
    editor, _ = staff_with_totp

    client.post(route, _credentials(editor))

    assert not _signed_in(client)
    assert client.get("/admin/").status_code == HTTPStatus.FOUND


def test_staff_sign_in_asks_for_the_code_and_then_opens_the_admin(client, staff_with_totp):
    editor, secret = staff_with_totp

    response = client.post("/accounts/login/", {"login": editor.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret)})

    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_a_session_that_never_gave_the_code_must_give_it_before_the_admin(client, staff_with_totp):
    editor, secret = staff_with_totp
    client.force_login(editor)  # as any route that skipped the second factor would leave it

    response = client.get("/admin/pages/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=/admin/pages/"
    client.post("/accounts/2fa/reauthenticate/", {"code": _totp_code(secret)})
    assert client.get("/admin/pages/").status_code == HTTPStatus.OK


def test_staff_without_a_second_factor_are_asked_to_set_one_up(client, home_page, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(EditorFactory())

    response = client.get("/admin/")

    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert not Authenticator.objects.exists()


def test_guessing_passwords_locks_the_account_on_every_route(client, home_page, settings):
    member = MemberFactory()
    wrong = {**_credentials(member), "password": "not-the-password"}
    for route in ("/admin/login/", "/_util/login/", "/accounts/login/"):
        for _ in range(10):
            Client().post(route, wrong)

    for route in ("/admin/login/", "/_util/login/", "/accounts/login/"):
        client.post(route, _credentials(member))

        # Wagtail's forms no longer take a password at all; allauth's counted its failures and holds.
        assert not _signed_in(client), route


def test_an_unverified_address_signs_in_nowhere(home_page):
    person = UserFactory(verified=False)
    for route in ("/admin/login/", "/_util/login/", "/accounts/login/"):
        client = Client()
        client.post(route, _credentials(person))

        assert not _signed_in(client), route


def test_admin_sign_out_needs_a_post(client, home_page):
    client.force_login(EditorFactory())

    page = client.get("/admin/logout/")

    assert page.status_code == HTTPStatus.OK and _signed_in(client)  # a question, not a sign-out
    client.post("/admin/logout/")
    assert not _signed_in(client)
