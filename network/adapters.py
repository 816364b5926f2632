"""allauth's hooks into the network: after signing in, people who have not applied are asked to; sign-up
takes as long for a taken address as for a new one."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
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


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]). For an address that has an account already, allauth
    only mails its owner, which answers in a few milliseconds where a new account spends hundreds hashing
    its password: the time alone would tell which addresses have accounts. So that path hashes the password
    too, and is thrown away."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
