"""Staff sign in with a second factor: anyone who can enter the Wagtail admin must set one up first, and
must have used it in this very session."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "STAFF_MFA_REQUIRED", False) and self._is_admin_request(request):
            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                messages.warning(request, "The admin needs two-factor authentication. Please set it up first.")
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
        records = get_authentication_records(request, request.user)
        return any(record.get("method") == "mfa" for record in records)
