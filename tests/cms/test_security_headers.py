"""Every response carries a Content-Security-Policy without inline script, and a Permissions-Policy."""

import re
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cms.middleware import ContentSecurityPolicyMiddleware, is_wagtail_initialiser
from tests.factories import EditorFactory, MemberFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def assert_strict_headers(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    features = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in features


def test_a_public_page_allows_only_the_sites_own_script(client, home_page):
    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert_strict_headers(response)
    assert directives(response)["script-src"] == ["'self'"]


def test_a_members_page_allows_only_the_sites_own_script(client, home_page):
    client.force_login(MemberFactory())

    response = client.get("/network/members/")

    assert response.status_code == HTTPStatus.OK
    assert_strict_headers(response)
    assert directives(response)["script-src"] == ["'self'"]


def test_the_admin_carries_the_policy(client, home_page):
    client.force_login(EditorFactory())

    response = client.get("/admin/")

    assert response.status_code == HTTPStatus.OK
    assert_strict_headers(response)


def test_wagtails_inline_initialisers_run_by_the_responses_nonce(client, home_page):
    client.force_login(EditorFactory())

    response = client.get(f"/admin/pages/{home_page.pk}/edit/")

    assert response.status_code == HTTPStatus.OK
    assert_strict_headers(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">initDateTimeChooser("id_go_live_at"' in html
    assert "<script>" not in html  # every inline script in Wagtail's editor is one it may run
    assert response["Content-Length"] == str(len(response.content))


@pytest.mark.parametrize(
    "script",
    [
        'new ImageChooser("id_hero_image", {"modalUrl": "/admin/images/chooser/"});',
        'new PageChooser("id_related-__prefix__-related", {"modelNames": ["cms.exemplarpage"], "userPerms": null});',
        'initDateChooser("id_latest_revision_created_at_0", {"dayOfWeekStart": 1, "format": "Y-m-d"});',
        'initDateTimeChooser("id_go\\u002Dlive", {"format": "Y-m-d H:i"});',
        'createTaskChooser("id_task");',
        '\n  (function() {\n    var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022: 1}"));\n  })();\n',
    ],
)
def test_wagtails_own_initialiser_shapes_are_recognised(script):
    assert is_wagtail_initialiser(script)


@pytest.mark.parametrize(
    "script",
    [
        "alert(1);",
        'new ImageChooser("x", {});alert(1);',
        'new ImageChooser("x", alert(1));',
        'new ImageChooser("x", {"a": 1} + alert(1));',
        'new Function("alert(1)", {});',
        'initDateChooser("x", {}, fetch("/admin/"));',
        "(function() { var panel = new InlinePanel(JSON.parse(location.hash)); })();",
    ],
)
def test_other_inline_script_gets_no_nonce(script):
    assert not is_wagtail_initialiser(script)


def test_script_injected_into_an_admin_page_stays_blocked():
    request = RequestFactory().get("/admin/pages/")
    html = '<script>alert(1)</script><script>new ImageChooser("id_image", {});</script>'
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(html))

    response = middleware(request)

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert response.content.decode() == (
        f'<script>alert(1)</script><script nonce="{nonce}">new ImageChooser("id_image", {{}});</script>'
    )


def test_site_pages_get_no_nonce_even_with_wagtail_shaped_script():
    request = RequestFactory().get("/exemplars/")
    html = '<script>new ImageChooser("id_image", {});</script>'
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(html))

    response = middleware(request)

    assert response.content.decode() == html
    assert "nonce" not in response["Content-Security-Policy"]


def test_previews_may_be_framed_by_the_admin_only():
    def preview(request):
        # A preview has been through the middleware once already, as the page, before Wagtail marks it.
        response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))(request)
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    response = ContentSecurityPolicyMiddleware(preview)(RequestFactory().get("/admin/pages/3/edit/preview/"))

    assert directives(response)["frame-ancestors"] == ["'self'"]
