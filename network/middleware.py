"""Staff rights follow membership: a suspended or declined person keeps their groups (so reinstating them
restores everything) but cannot use the Wagtail admin while their membership is not active."""

from django.urls import reverse
from django.utils.cache import patch_cache_control

from .access import membership_required_response, profile_of
from .models import Profile

BLOCKED = {Profile.Status.SUSPENDED, Profile.Status.DECLINED}


class MembershipAdminGateMiddleware:
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
