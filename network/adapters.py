"""allauth's hooks into the network: after signing in, people who have not applied are asked to."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .access import profile_of
from .models import Profile


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return _application_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Used after the sign-up flow signs someone in, e.g. when they confirm their address.
        return _application_url(request) or super().get_signup_redirect_url(request)


def _application_url(request) -> str | None:
    if not request.user.is_authenticated or request.user.is_superuser:
        return None
    profile = profile_of(request.user)
    if profile is None or profile.status == Profile.Status.NEW:
        return reverse("network:apply")
    return None
