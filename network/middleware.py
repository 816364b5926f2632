"""Staff rights follow membership: a suspended or declined person keeps their groups (so reinstating them
restores everything) but cannot use the Wagtail admin while their membership is not active."""

from django.conf import settings

from .access import membership_required_response, profile_of
from .models import Profile

BLOCKED = {Profile.Status.SUSPENDED, Profile.Status.DECLINED}


class MembershipAdminGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "NETWORK_ADMIN_PATH_PREFIX", "/admin/")

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(self.prefix)
            and user is not None
            and user.is_authenticated
            and not user.is_superuser
        ):
            profile = profile_of(user)
            if profile is not None and profile.status in BLOCKED:
                return membership_required_response(request)
        return self.get_response(request)
