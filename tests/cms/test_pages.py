from http import HTTPStatus

import pytest
from wagtail.models import PageViewRestriction

from cms.models import HomePageFeatured, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_invites_visitors_to_join(client, home_page):
    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert b'href="/accounts/signup/"' in response.content
    assert b"Welcome" in response.content


def test_menu_pages_appear_in_the_navigation(client, home_page):
    about = home_page.add_child(instance=StandardPage(title="About us", slug="about", show_in_menus=True))
    home_page.add_child(instance=StandardPage(title="Terms", slug="terms", show_in_menus=False))

    html = client.get("/").content.decode()

    assert f'href="{about.url}"' in html
    assert "Terms" not in html


def test_a_restricted_page_is_neither_featured_nor_in_the_menu_for_visitors(client, home_page):
    secret = home_page.add_child(
        instance=StandardPage(title="Members' plans", slug="plans", show_in_menus=True)
    )
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    open_page = home_page.add_child(instance=StandardPage(title="Open day", slug="open"))
    HomePageFeatured.objects.create(home=home_page, page=secret, sort_order=0)
    HomePageFeatured.objects.create(home=home_page, page=open_page, sort_order=1)

    html = client.get("/").content.decode()

    assert "Open day" in html
    assert "Members&#x27; plans" not in html and "Members' plans" not in html
    assert "/plans/" not in html


def test_standard_page_renders_its_stream_body(client, home_page):
    home_page.add_child(
        instance=StandardPage(
            title="About",
            slug="about",
            body=[
                ("heading", "Everyone is an expert"),
                ("quote", {"quote": "It moved me on", "role": "clinician"}),
            ],
        )
    )

    response = client.get("/about/")

    assert response.status_code == HTTPStatus.OK
    assert b"<h2>Everyone is an expert</h2>" in response.content
    assert b"It moved me on" in response.content and b"clinician" in response.content


def test_unknown_address_gets_the_friendly_404(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"We could not find that page" in response.content
    assert b'href="#main"' in response.content  # the site's own layout, with its skip link


def test_a_server_error_shows_a_friendly_page_that_reveals_nothing(rf):
    from cms.views import server_error

    response = server_error(rf.get("/boom/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "/boom/" not in html
