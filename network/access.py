"""The members-only gate: the one way, in every app, to require an approved member.

Visitors are sent to sign in. Signed-in people who are not (yet, or any longer) members get a page that
says why and what they can do: apply, wait, or read the moderators' message. Never a bare 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.decorators import method_decorator

from .models import Profile


def profile_of(user) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.network_profile
    except Profile.DoesNotExist:
        return None


def is_member(user) -> bool:
    """An approved, active member (superusers always pass, so the site can be administered)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    profile = profile_of(user)
    return profile is not None and profile.is_member


def membership_required_response(request):
    """The page a signed-in non-member sees instead of members-only content."""
    return render(
        request, "network/membership_required.html", {"profile": profile_of(request.user)}, status=403
    )


def member_required(view):
    """Decorate a view so only approved members reach it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_member(request.user):
            return membership_required_response(request)
        return view(request, *args, **kwargs)

    return wrapped


class MemberRequiredMixin:
    """The same gate for class-based views."""

    @method_decorator(member_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
