"""The network's middleware: staff rights follow membership (the admin gate), what signed-in people see is
never kept by shared caches, and session activity is recorded without a write per request."""

import hashlib

from django.core.cache import cache
from django.urls import reverse
from django.utils.cache import patch_cache_control

from . import conf
from .access import membership_required_response, profile_of
from .models import Profile

BLOCKED = {Profile.Status.SUSPENDED, Profile.Status.DECLINED}


class MembershipAdminGateMiddleware:
    """A suspended or declined person keeps their groups (so reinstating them restores everything) but cannot
    use the Wagtail admin while their membership is not active."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path_info.startswith(
                reverse("wagtailadmin_home")
            )  # path_info: right under a sub-path too
            and user is not None
            and user.is_authenticated
            and not user.is_superuser
        ):
            profile = profile_of(user)
            if profile is not None and profile.status in BLOCKED:
                return membership_required_response(request)
        return self.get_response(request)


class PrivateWhenSignedInMiddleware:
    """Whatever a signed-in person is shown may be members-only (a profile, the directory, a restricted page
    or document), so no shared cache (a proxy, a CDN) may keep it and hand it to someone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class SessionActivityMiddleware:
    """allauth's session tracking (USERSESSIONS_TRACK_ACTIVITY) writes every request's time and address in a
    transaction; this writes them at most once per NETWORK_SESSION_ACTIVITY_SECONDS per session, so reading
    pages costs the database no write. Signing in records the session at once (allauth does, on login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user, session = getattr(request, "user", None), getattr(request, "session", None)
        signed_in = user is not None and user.is_authenticated and session is not None and session.session_key
        if signed_in and cache.add(activity_key(session.session_key), True, conf.SESSION_ACTIVITY_SECONDS):
            from allauth.usersessions.models import UserSession

            UserSession.objects.create_from_request(request, user=user, session=session)
        return self.get_response(request)


def activity_key(session_key: str) -> str:
    return "network:session-seen:" + hashlib.sha256(session_key.encode()).hexdigest()


def session_recorded_at_login(sender, request, user, **kwargs) -> None:
    """allauth has just written the new session; the next requests need not write it again."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        cache.set(activity_key(session.session_key), True, conf.SESSION_ACTIVITY_SECONDS)
