"""Staff sign in with a second factor: anyone who can enter the Wagtail admin must set one up first."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "STAFF_MFA_REQUIRED", False) and self._needs_mfa(request):
            messages.warning(request, "The admin needs two-factor authentication. Please set it up first.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request) -> bool:
        user = getattr(request, "user", None)
        return bool(
            request.path_info.startswith(reverse("wagtailadmin_home"))
            and user is not None
            and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
