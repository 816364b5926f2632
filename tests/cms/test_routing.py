"""The home page's sections are routed from a kept copy (cms.models.pages.HomePage.route): every change to
them reaches the next request, and a section's restrictions still hold."""

from http import HTTPStatus

import pytest

from cms.models import StandardPage
from tests.cms.conftest import restrict_to_members
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    return home_page.add_child(instance=StandardPage(title="About", slug="about", summary="Who we are"))


def test_a_new_renamed_or_unpublished_section_is_routed_at_once(client, home_page, about):
    assert client.get("/about/").status_code == HTTPStatus.OK  # the sections are now kept

    home_page.add_child(instance=StandardPage(title="Contact", slug="contact"))
    assert client.get("/contact/").status_code == HTTPStatus.OK

    about.slug = "about-us"
    about.save_revision().publish()
    assert client.get("/about/").status_code == HTTPStatus.NOT_FOUND
    assert "Who we are" in client.get("/about-us/").content.decode()

    about.unpublish()
    assert client.get("/about-us/").status_code == HTTPStatus.NOT_FOUND


def test_a_members_only_section_asks_a_visitor_to_sign_in_after_a_member_read_it(client, home_page, about):
    restrict_to_members(about)
    client.force_login(MemberFactory())
    assert "Who we are" in client.get("/about/").content.decode()

    client.logout()
    response = client.get("/about/")

    assert response.status_code == HTTPStatus.FOUND and "Who we are" not in response.content.decode()


def test_a_page_made_live_without_publishing_under_a_kept_section_is_found(client, home_page, about):
    """An alias is created live and sends no publish signal; the kept section had no children then."""
    team = home_page.add_child(instance=StandardPage(title="Team", slug="team", summary="The team"))
    assert client.get("/about/").status_code == HTTPStatus.OK  # the sections are now kept

    team.create_alias(parent=about, update_slug="team")

    assert "The team" in client.get("/about/team/").content.decode()


def test_a_kept_exemplar_is_renamed_unpublished_or_closed_at_once(client, make_exemplar):
    """The catalogue routes each exemplar from a kept copy (cms.models.exemplars.ExemplarIndexPage.route)."""
    exemplar = make_exemplar("Time bank", summary="Hours, not pounds")
    client.force_login(MemberFactory())
    assert "Hours, not pounds" in client.get(exemplar.url).content.decode()  # kept now

    restrict_to_members(exemplar)
    client.logout()
    assert client.get(exemplar.url).status_code == HTTPStatus.FOUND  # sent to sign in

    exemplar.get_view_restrictions().delete()
    exemplar.slug = "time-bank-renamed"
    exemplar.save_revision().publish()
    assert client.get("/exemplars/time-bank/").status_code == HTTPStatus.NOT_FOUND
    assert "Hours, not pounds" in client.get("/exemplars/time-bank-renamed/").content.decode()

    exemplar.unpublish()
    assert client.get("/exemplars/time-bank-renamed/").status_code == HTTPStatus.NOT_FOUND
