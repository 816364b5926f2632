"""Staff sign in with a second factor: anyone who can enter the Wagtail admin must set one up first, and
must have used it in this very session."""

import functools
import json
import re

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse

from network.access import is_member


class CacheMemoMiddleware:
    """Each cache key is read from Redis once per request (cms.cache.MemoRedisCache; no effect otherwise), and
    the keys nearly every request reads are fetched together at its start: one round trip instead of eight
    (each read costs about 0.1 ms of redis-py's own work, a fifth of a member's page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .cache import request_memo

        with request_memo():
            if hasattr(cache, "prefetch"):
                cache.prefetch(_keys_every_request_reads())
            return self.get_response(request)


@functools.cache
def _keys_every_request_reads() -> tuple:
    """(key, cache version) of what the site, routing, privacy, permissions and kept fragments read on nearly
    every page; each is named where it is written, so a renamed key cannot drift from this list."""
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

    from network import fragments
    from network.auth_backends import VERSION_KEY as PERMISSIONS_VERSION_KEY
    from network.privacy import ALIASES_KEY, RESTRICTIONS_KEY

    return (
        (SITES_VERSION_KEY, None),
        (RESTRICTIONS_KEY, None),
        (ALIASES_KEY, None),
        (PERMISSIONS_VERSION_KEY, None),
        (SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION),
        *((fragments.VERSION_KEY.format(name), None) for name in ("pages", "members", "blog", "forum")),
    )


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "STAFF_MFA_REQUIRED", False) and self._is_admin_request(request):
            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.warning(
                    request, "The admin needs two-factor authentication. Please set it up first."
                )
                return redirect("mfa_activate_totp")
            if not self._used_second_factor(request):
                # A session that never gave the code (one begun before the factor was set up, or by any
                # route that skipped it) proves it now, or stays out.
                return redirect_to_login(request.get_full_path(), reverse("mfa_reauthenticate"))
        return self.get_response(request)

    @staticmethod
    def _is_admin_request(request) -> bool:
        user = getattr(request, "user", None)
        return bool(
            request.path_info.startswith(reverse("wagtailadmin_home"))
            and user is not None
            and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
        )

    @staticmethod
    def _used_second_factor(request) -> bool:
        return used_second_factor(request)


def used_second_factor(request) -> bool:
    """Whether this session gave a second factor (allauth records each way it was authenticated)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def may_use_staff_rights(request) -> bool:
    """Staff rights count outside the admin too (an editor may read a draft's documents), and on the same
    terms: an active membership, and a second factor used in this session where the site requires one."""
    user = request.user
    if not (user.is_authenticated and is_member(user)):
        return False
    return not getattr(settings, "STAFF_MFA_REQUIRED", False) or used_second_factor(request)


# Wagtail 8's admin still writes a few inline <script>s: each calls one of its own initialisers with JSON data
# (chooser widgets, date pickers, inline panels; InlinePanel copies them, via jQuery, for every form it adds).
# Only scripts of exactly these shapes get the response's nonce, so script injected into an admin page
# still cannot run. tests/e2e/test_csp_browser.py finds any new shape a Wagtail upgrade brings.
_WAGTAIL_INITIALISERS = [
    re.compile(
        r"new (?:Chooser|PageChooser|ImageChooser|DocumentChooser|SnippetChooser)\((?P<args>.*)\);", re.S
    ),
    re.compile(r"init(?:Date|Time|DateTime)Chooser\((?P<args>.*)\);", re.S),
    re.compile(r"createTaskChooser\((?P<args>.*)\);", re.S),
    re.compile(
        r"\(function\(\) \{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)\(JSON\.parse\((?P<args>.*)\)\);"
        r"\s*\}\)\(\);",
        re.S,
    ),
]
_INLINE_SCRIPT = re.compile(r"<script>(?P<body>[^<]*)</script>")
_FRAME_ANCESTORS = re.compile(r"frame-ancestors [^;]*")


def _json_arguments(text: str) -> bool:
    """Whether text is nothing but JSON values separated by commas: data, which cannot run anything."""
    decoder = json.JSONDecoder()
    position = 0
    while True:
        try:
            _, position = decoder.raw_decode(text, position)
        except ValueError:
            return False
        rest = text[position:].lstrip()
        if not rest:
            return True
        if not rest.startswith(","):
            return False
        position = len(text) - len(rest[1:].lstrip())


def is_wagtail_initialiser(script: str) -> bool:
    """Whether an inline script is one of Wagtail's own initialiser calls with nothing but JSON arguments."""
    for pattern in _WAGTAIL_INITIALISERS:
        match = pattern.fullmatch(script.strip())
        if match:
            return _json_arguments(match["args"])
    return False


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's CONTENT_SECURITY_POLICY, plus what Wagtail's admin needs: a nonce for its own inline
    initialisers, and frame-ancestors 'self' where Django allows same-origin frames (previews)."""

    def process_response(self, request, response):
        if self._is_admin_html(request, response):
            self._add_nonces(request, response)
        response = super().process_response(request, response)
        # Wagtail marks its previews SAMEORIGIN so the editor can show them in an iframe, and browsers obey
        # CSP's frame-ancestors over X-Frame-Options, so it must say the same. This edits the header rather
        # than the policy because a preview has already been through this middleware once, as the page.
        if response.get("X-Frame-Options") == "SAMEORIGIN" and response.has_header(HEADER):
            response[HEADER] = _FRAME_ANCESTORS.sub("frame-ancestors 'self'", response[HEADER])
        return response

    @staticmethod
    def _is_admin_html(request, response) -> bool:
        return (
            request.path_info.startswith(reverse("wagtailadmin_home"))
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def _add_nonces(request, response) -> None:
        def with_nonce(match: re.Match) -> str:
            if not is_wagtail_initialiser(match["body"]):
                return match[0]
            return f'<script nonce="{request.csp_nonce}">{match["body"]}</script>'

        content = response.content.decode(response.charset)
        changed = _INLINE_SCRIPT.sub(with_nonce, content)
        if changed != content:
            response.content = changed.encode(response.charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))


class PermissionsPolicyMiddleware:
    """Switch off the browser features the site never uses, so no page (or script injected into one) can ask."""

    POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "interest-cohort",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class CachedSiteMiddleware:
    """Wagtail finds the request's Site (and then its root page) with two queries on every request; this keeps
    both in the cache, where Wagtail looks first (request._wagtail_site). cms.apps forgets them when a site
    changes or any page is published, unpublished or moved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wagtail.models import Site

        version = cache.get_or_set(SITES_VERSION_KEY, 1, None)
        key = f"cms:site:{version}:{request._get_raw_host()}:{request.get_port()}"
        site = cache.get(key)
        if site is None:
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific  # routing starts from the specific root page
            cache.set(key, site, 60 * 60)
        request._wagtail_site = site
        return self.get_response(request)


SITES_VERSION_KEY = "cms:sites-version"


def forget_sites(**kwargs) -> None:
    try:
        cache.incr(SITES_VERSION_KEY)
    except ValueError:
        cache.set(SITES_VERSION_KEY, 2, None)
