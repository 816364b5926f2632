"""The main navigation is rendered once per site, page version and signed in or out (cms_tags.site_navigation):
each page still marks its own section as current, its sign-out form works, and menu changes show at once."""

import re
from http import HTTPStatus

import pytest
from django.test import Client

from cms.models import StandardPage
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def current_items(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)<', nav)


@pytest.fixture
def about(home_page):
    return home_page.add_child(instance=StandardPage(title="About us", slug="about", show_in_menus=True))


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", ["Home"]),
        ("/about/", ["About us"]),
        ("/network/", ["Network"]),
        ("/network/blog/", ["Network"]),
        ("/search/?q=time", ["Search"]),
        ("/accounts/email/", ["Account"]),
        ("/visits/", ["Study visits"]),
    ],
)
def test_each_page_marks_its_own_section_as_current(client, about, path, current):
    client.force_login(MemberFactory())
    client.get("/")  # the navigation is kept now: every other page reuses it

    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    assert current_items(response.content.decode()) == current


def test_the_kept_navigation_signs_each_person_out_with_their_own_token(home_page):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(MemberFactory())
    second.force_login(MemberFactory())
    first.get("/")  # kept with the first person's page

    page = second.get("/").content.decode()
    token = re.search(r'action="/accounts/logout/".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)

    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert second.get("/network/").status_code == HTTPStatus.FOUND  # signed out: sent to sign in
    assert first.get("/network/").status_code == HTTPStatus.OK


def test_signed_out_and_signed_in_get_their_own_menu(client, home_page):
    client.force_login(MemberFactory())
    assert "Sign out" in client.get("/").content.decode()

    client.logout()
    html = client.get("/").content.decode()

    assert "Sign out" not in html and 'href="/accounts/signup/"' in html


def test_a_page_added_to_or_taken_from_the_menu_shows_on_the_next_page(client, about):
    assert "About us" in client.get("/").content.decode()  # kept now

    about.show_in_menus = False
    about.save_revision().publish()
    assert "About us" not in client.get("/").content.decode()

    about.title = "Who we are"
    about.show_in_menus = True
    about.save_revision().publish()
    assert "Who we are" in client.get("/").content.decode()


def test_a_page_rendered_without_a_request_gets_the_signed_out_menu(home_page):
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {})

    assert 'href="/accounts/login/"' in html and "Sign out" not in html and "<!--current" not in html
