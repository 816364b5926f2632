from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page

from cms.demo import DEMO_ACCOUNTS, DEMO_APPLICANTS, DEMO_MEMBERS, demo_password

pytestmark = pytest.mark.django_db


def test_seed_demo_can_run_twice_without_duplicating_anything(capsys):
    call_command("seed_demo", force=True)
    pages, users = Page.objects.count(), get_user_model().objects.count()

    call_command("seed_demo", force=True)

    assert (Page.objects.count(), get_user_model().objects.count()) == (pages, users)
    assert users == len(DEMO_ACCOUNTS) + len(DEMO_MEMBERS) + len(DEMO_APPLICANTS)


def test_every_demo_account_signs_in_with_its_printed_password(client, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", show_passwords=True)
    printed = capsys.readouterr().out

    for role, email, *_ in DEMO_ACCOUNTS:
        line = next(line for line in printed.splitlines() if email in line)
        assert line.split() == [role, email, demo_password(email)]
        client.post("/accounts/login/", {"login": email, "password": demo_password(email)})
        assert client.session.get("_auth_user_id") == str(get_user_model().objects.get(email=email).pk)
        client.logout()


def test_demo_passwords_are_never_printed_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo", show_passwords=True, force=True)


def test_seed_demo_refuses_to_run_on_a_production_site_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")

    assert not get_user_model().objects.exists()


def test_running_the_demo_again_keeps_what_moderators_and_people_changed(settings):
    from network import services
    from network.models import Profile

    call_command("seed_demo", force=True)
    applicant = Profile.objects.get(user__email="applicant@example.org")
    services.decline_application(profile=applicant, by=None, message="No")
    member = Profile.objects.get(user__email="member@example.org")
    member.display_name = "Renamed"
    member.save()

    call_command("seed_demo", force=True)

    assert Profile.objects.get(user__email="applicant@example.org").status == Profile.Status.DECLINED
    assert Profile.objects.get(user__email="member@example.org").display_name == "Renamed"


def test_the_demo_site_serves_its_home_and_about_pages(client):
    call_command("seed_demo", force=True)

    home = client.get("/")
    about = client.get("/about/")

    assert home.status_code == about.status_code == HTTPStatus.OK
    assert b"Join the network" in home.content
    assert b"Everyone is an expert" in about.content


def test_demo_passwords_are_random_kept_private_and_kept_across_runs(settings, tmp_path):
    settings.DEMO_PASSWORDS_FILE = str(tmp_path / "demo-passwords.json")
    call_command("seed_demo", force=True)
    email = DEMO_ACCOUNTS[0][1]
    first = demo_password(email)

    call_command("seed_demo", force=True)

    assert demo_password(email) == first
    assert (tmp_path / "demo-passwords.json").stat().st_mode & 0o077 == 0  # readable by its owner only
    settings.DEMO_PASSWORDS_FILE = str(tmp_path / "elsewhere.json")
    assert demo_password(email) != first  # nothing public, such as the secret key, decides it
