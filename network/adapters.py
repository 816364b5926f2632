"""allauth's hooks into the network: after signing in, people who have not applied are asked to."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .access import profile_of
from .models import Profile


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        profile = profile_of(request.user)
        if not request.user.is_superuser and (profile is None or profile.status == Profile.Status.NEW):
            return reverse("network:apply")
        return super().get_login_redirect_url(request)
