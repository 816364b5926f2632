"""The account's sessions page still shows when each session was last used, but reading pages does not write
that to the database on every request: at most once per NETWORK_SESSION_ACTIVITY_SECONDS."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def test_last_seen_is_recorded_at_sign_in_then_at_most_once_per_interval(client, home_page):
    member = MemberFactory()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    session = UserSession.objects.get(user=member)
    signed_in_at = session.last_seen_at

    client.get("/network/")
    session.refresh_from_db()
    assert session.last_seen_at == signed_in_at  # within the interval: no write

    cache.clear()  # as if the interval had passed
    client.get("/network/", REMOTE_ADDR="10.9.8.7")

    session.refresh_from_db()
    assert session.last_seen_at > signed_in_at and session.ip == "10.9.8.7"
    assert "10.9.8.7" in client.get("/accounts/sessions/").content.decode()
