"""Wagtail admin for the network app: membership (in admin_members) and the outbox, read-only, with a retry
for messages that did not go."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import (
    admin_members,  # noqa: F401 - the membership admin registers its hooks on import
    outbox,
    periodic,  # noqa: F401 - the core's periodic jobs register on import
)
from .models import OutboxMessage

Status = OutboxMessage.Status
RETRYABLE = {Status.PENDING, Status.FAILED, Status.UNCERTAIN}


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Only the outbox writes messages: the admin may view and retry them, never add, edit or delete them."""

    allowed_actions = frozenset({"view", "retry"})

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in self.allowed_actions]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


# Registered before anything asks Wagtail for the model's policy (it would otherwise make a default one).
outbox_permission_policy = OutboxPermissionPolicy(OutboxMessage)
register_permission_policy(OutboxMessage, outbox_permission_policy)


def can_retry(user, message: OutboxMessage) -> bool:
    return message.status in RETRYABLE and outbox_permission_policy.user_has_permission(user, "retry")


def retry_button_attrs(url_name: str, message: OutboxMessage) -> dict[str, str]:
    """Wagtail's `w-action` controller POSTs to the URL with the CSRF token and `next` = this page."""
    return {
        "data-controller": "w-action",
        "data-action": "w-action#post",
        "data-w-action-url-value": reverse(url_name, args=[message.pk]),
    }


def recipients(message: OutboxMessage) -> str:
    return ", ".join(message.to + message.cc + message.bcc)


class OutboxIndexView(generic.IndexView):
    retry_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_retry(self.request.user, instance):
            attrs = retry_button_attrs(self.retry_url_name, instance)
            buttons.append(Button(_("Retry now"), icon_name="resubmit", attrs=attrs, priority=5))
        return buttons


class OutboxInspectView(generic.InspectView):
    retry_url_name = None

    @cached_property
    def header_buttons(self):
        if not can_retry(self.request.user, self.object):
            return []
        attrs = retry_button_attrs(self.retry_url_name, self.object)
        return [HeaderButton(_("Retry now"), icon_name="resubmit", attrs=attrs)]

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_to_display_value(self):
        return ", ".join(self.object.to)

    def get_cc_display_value(self):
        return ", ".join(self.object.cc)

    def get_bcc_display_value(self):
        return ", ".join(self.object.bcc)

    def get_attachments_display_value(self):
        return ", ".join(f"{item['filename']} ({item['mimetype']})" for item in self.object.attachments)


class RetryView(View):
    """A moderator sends a failed, uncertain or waiting message again, now. POST only."""

    http_method_names = ["post"]
    inspect_url_name = None

    def post(self, request: HttpRequest, pk) -> HttpResponse:
        if not outbox_permission_policy.user_has_permission(request.user, "retry"):
            raise PermissionDenied
        message = get_object_or_404(OutboxMessage, pk=pk)
        if outbox.retry_now(messages=[message]):
            messages.success(request, _("“%(subject)s” is being sent again.") % {"subject": message.subject})
        else:
            messages.error(
                request,
                _("“%(subject)s” was not retried: it is %(status)s.")
                % {"subject": message.subject, "status": message.get_status_display().lower()},
            )
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse(self.inspect_url_name, args=[message.pk])
        return redirect(next_url)


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    icon = "mail"
    menu_label = gettext_lazy("Outbox")
    add_to_admin_menu = True
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "subject",
        StatusTagColumn(
            "status", accessor="get_status_display", label=gettext_lazy("Status"), sort_key="status"
        ),
        Column("recipients", accessor=recipients, label=gettext_lazy("Recipients")),
        Column("attempts", label=gettext_lazy("Attempts"), sort_key="attempts"),
        DateColumn("next_attempt_at", label=gettext_lazy("Next attempt"), sort_key="next_attempt_at"),
        Column(
            "last_error",
            accessor=lambda message: Truncator(message.last_error).chars(80),
            label=gettext_lazy("Last error"),
        ),
        DateColumn("created_at", label=gettext_lazy("Queued at"), sort_key="created_at"),
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None  # the outbox is not in the search index; search subjects in the database
    # The body is left out on purpose: account mail carries sign-in secrets (password reset and
    # confirmation links) that no one but the recipient may read.
    inspect_view_fields = [
        "status",
        "subject",
        "from_email",
        "to",
        "cc",
        "bcc",
        "attachments",
        "created_at",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "message_id",
    ]

    def get_permissions_to_register(self):
        # Only these two mean anything here; add, change and delete would be boxes that do nothing.
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_outboxmessage", "retry_outboxmessage"])
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(retry_url_name=self.get_url_name("retry"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(retry_url_name=self.get_url_name("retry"), **kwargs)

    @property
    def retry_view(self):
        return RetryView.as_view(inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        # Messages are read and retried here, never added, edited, copied or deleted.
        pk = f"<{self.pk_path_converter}:pk>"
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/{pk}/", self.inspect_view, name="inspect"),
            path(f"retry/{pk}/", self.retry_view, name="retry"),
        ]

    @property
    def url_finder_class(self):
        # Links to a message from elsewhere in the admin lead to its read-only page.
        inspect_url_name = self.get_url_name("inspect")
        return type("OutboxAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": inspect_url_name})


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet("network_outbox", url_prefix="outbox")


# The moderation queue ("Reported content"); importing its module also registers its audit log actions.
from .viewsets.reports import ReportViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_report_viewset():
    return ReportViewSet("network_reports")


@hooks.register("after_bulk_action")
def forget_kept_members_after_bulk_action(request, action_type, objects, action) -> None:
    """Wagtail's bulk "mark as inactive" and role changes update accounts with no signal: what is kept of
    members (network.fragments, the signed-in person, the member count) is stale, and a deactivated
    account must not stay signed in from the cache."""
    if action.model is get_user_model():
        from . import fragments
        from .services import forget_member_count

        fragments.bump("members")
        forget_member_count()
