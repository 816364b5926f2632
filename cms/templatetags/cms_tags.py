"""The site's own template tags."""

import re

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from network import fragments

from ..context_processors import menu_pages
from ..middleware import SITES_VERSION_KEY

register = template.Library()

CSRF_STAND_IN = "csrf-stand-in"
CURRENT = re.compile(r"<!--current:(\w+)-->")


@register.simple_tag(takes_context=True)
def site_navigation(context) -> str:
    """The main navigation: the same on every page for everyone signed in (and for everyone signed out)
    but for which item is the current one and the sign-out form's token, so it is rendered once per site,
    page version and audience (it was a tenth of a page's time) and those two are filled in here."""
    request = context.get("request")
    if request is None:  # rendered outside a request (an error page, an email): the signed-out menu
        return mark_safe(CURRENT.sub("", _render_navigation([], signed_in=False)))  # noqa: S308 - our template
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    site = getattr(request, "_wagtail_site", None)

    def build() -> dict:
        items = [(page.get_url(request), page.title) for page in menu_pages(request)]
        return {"html": _render_navigation(items, signed_in=signed_in), "urls": [url for url, _ in items]}

    kept = fragments.fragment(
        "navigation",
        depends_on=["pages"],
        audience="signed in" if signed_in else "signed out",
        vary=(site.pk if site else None, cache.get(SITES_VERSION_KEY)),
        build=build,
    )
    current = _current_item(request, kept["urls"])
    html = CURRENT.sub(
        lambda match: ' aria-current="page"' if match.group(1) == current else "", kept["html"]
    )
    if signed_in:
        html = html.replace(f'value="{CSRF_STAND_IN}"', f'value="{get_token(request)}"')
    return mark_safe(html)  # noqa: S308 - our template's output; the token is letters and digits


def _render_navigation(items: list[tuple[str, str]], *, signed_in: bool) -> str:
    return render_to_string(
        "cms/includes/_navigation.html",
        {"items": items, "signed_in": signed_in, "csrf_stand_in": CSRF_STAND_IN},
    )


def _current_item(request, urls: list[str]) -> str:
    path = request.path
    if path == "/":
        return "home"
    for index, url in enumerate(urls):
        if path[:-1] == url[:-1]:
            return str(index)
    match = request.resolver_match
    namespace = match.namespaces[0] if match and match.namespaces else ""
    if namespace in ("network", "visits"):
        return namespace
    if match and match.url_name == "search":
        return "search"
    if path.startswith("/accounts/"):
        return "account"
    return ""
