"""Moderators decide about members; only a superuser decides about staff, so no moderator can suspend or lock
out someone with more rights than they have."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from network import services
from network.models import Profile
from tests.factories import EditorFactory, MemberFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _superuser():
    user = MemberFactory(email="root@example.org")
    get_user_model().objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    user.refresh_from_db()
    return user


def _moderate(client, profile, action, text="Breaking the rules"):
    return client.post(f"/admin/network_profiles/{profile.pk}/moderate/", {"action": action, "text": text})


@pytest.mark.parametrize(
    "target", [_superuser, EditorFactory, ModeratorFactory], ids=["superuser", "editor", "moderator"]
)
def test_a_moderator_cannot_suspend_staff(client, home_page, target):
    victim = target()
    client.force_login(ModeratorFactory())

    page = client.get(f"/admin/network_profiles/{victim.network_profile.pk}/moderate/")
    response = _moderate(client, victim.network_profile, "suspend")

    # Wagtail answers a refusal in its admin by sending the person back to the dashboard with a message
    assert page["Location"] == response["Location"] == "/admin/"
    victim.network_profile.refresh_from_db()
    assert victim.network_profile.status == Profile.Status.MEMBER


def test_a_moderator_cannot_decline_an_applying_editor(client, home_page):
    editor = EditorFactory(profile=Profile.Status.APPLICANT)
    client.force_login(ModeratorFactory())

    assert _moderate(client, editor.network_profile, "decline")["Location"] == "/admin/"
    assert Profile.objects.get(user=editor).status == Profile.Status.APPLICANT


def test_the_service_refuses_too_whatever_view_calls_it(home_page):
    victim = EditorFactory()

    with pytest.raises(services.NotAllowed):
        services.suspend_member(profile=victim.network_profile, by=ModeratorFactory(), reason="x")

    assert Profile.objects.get(user=victim).status == Profile.Status.MEMBER


def test_a_superuser_decides_about_staff(client, home_page, run_on_commit):
    editor = EditorFactory()
    client.force_login(_superuser())

    with run_on_commit():
        response = _moderate(client, editor.network_profile, "suspend")

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(user=editor).status == Profile.Status.SUSPENDED


def test_moderators_still_decide_about_members_and_applicants(client, home_page, run_on_commit):
    member, applicant = MemberFactory(), UserFactory(profile=Profile.Status.APPLICANT)
    client.force_login(ModeratorFactory())

    with run_on_commit():
        _moderate(client, member.network_profile, "suspend")
        _moderate(client, applicant.network_profile, "approve", text="")

    assert Profile.objects.get(user=member).status == Profile.Status.SUSPENDED
    assert Profile.objects.get(user=applicant).status == Profile.Status.MEMBER
