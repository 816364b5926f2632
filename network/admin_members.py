"""Wagtail admin for membership: the applications queue, member records, moderation, themes, audit actions.

Imported by wagtail_hooks so its hooks register with the rest of the app's admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import roles, services
from .access import is_member
from .models import Profile, Theme
from .services import membership

Status = Profile.Status
ACTIONS = {
    # action: (label, statuses it applies to, service, whether the text is required)
    "approve": (gettext_lazy("Approve"), {Status.APPLICANT, Status.DECLINED}, services.approve_member, False),
    "decline": (gettext_lazy("Decline"), {Status.APPLICANT}, services.decline_application, False),
    "suspend": (gettext_lazy("Suspend"), {Status.MEMBER}, services.suspend_member, True),
    "reinstate": (gettext_lazy("Reinstate"), {Status.SUSPENDED}, services.reinstate_member, False),
}


class ModerationForm(forms.Form):
    action = forms.ChoiceField(widget=forms.RadioSelect, label=gettext_lazy("Decision"))
    text = forms.CharField(
        label=gettext_lazy("Message to the person (for a suspension: the reason)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, profile: Profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(k, v[0]) for k, v in ACTIONS.items() if profile.status in v[1]]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action and ACTIONS[action][3] and not data.get("text", "").strip():
            self.add_error("text", _("Please give a reason; the member will see it."))
        return data


class ModerateProfileView(WagtailAdminTemplateMixin, FormView):
    form_class = ModerationForm
    template_name = "network/admin/moderate_profile.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.has_perm("network.moderate_profile") and is_member(request.user)):
            raise PermissionDenied
        self.profile = get_object_or_404(Profile.objects.select_related("user"), pk=kwargs["pk"])
        # nobody decides about their own membership; only superusers about staff
        if not services.may_moderate(moderator=request.user, profile=self.profile):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Moderate %(name)s") % {"name": self.profile.display_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "profile": self.profile}

    def get_context_data(self, **kwargs):
        history = services.address_history(self.profile.user)
        return super().get_context_data(
            profile=self.profile, history=history, host_role=host_role(self.request, self.profile), **kwargs
        )

    def form_valid(self, form):
        action, text = form.cleaned_data["action"], form.cleaned_data["text"]
        service = ACTIONS[action][2]
        kwargs = {"profile": self.profile, "by": self.request.user}
        if action == "suspend":
            kwargs["reason"] = text
        elif action in ("approve", "decline"):
            kwargs["message"] = text
        try:
            service(**kwargs)
        except services.NotAllowed:
            raise PermissionDenied from None
        except services.MembershipError:
            messages.error(
                self.request, _("That does not fit this person's current status; nothing changed.")
            )
        else:
            messages.success(
                self.request,
                _("%(name)s: %(action)s done.")
                % {"name": self.profile.display_name, "action": ACTIONS[action][0]},
            )
        return redirect(reverse("network_profiles:index") + f"?status={Status.APPLICANT}")


def host_role(request, profile: Profile) -> dict:
    """What the moderation page shows of the person's host role, and whether this moderator may change it."""
    holds = membership.holds_host_role(profile)
    may_change = membership.may_grant_host(by=request.user, profile=profile) and (
        holds or profile.status == Status.MEMBER
    )
    return {"holds": holds, "may_change": may_change, "url": reverse("network_profiles:hosts")}


class HostsView(WagtailAdminTemplateMixin, TemplateView):
    """Editors and moderators give approved members the host role (by their profile address) and take it
    away; each change is one service call, recorded in the audit log. Decisions are POSTs."""

    template_name = "network/admin/hosts.html"
    header_icon = "user"
    page_title = gettext_lazy("Hosts")

    def dispatch(self, request, *args, **kwargs):
        if not membership.may_manage_hosts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        hosts = (
            Profile.objects.filter(user__groups__name=roles.HOSTS)
            .select_related("user")
            .order_by("display_name", "pk")
        )
        return super().get_context_data(hosts=hosts, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        profile = self._profile(request.POST)
        if action not in ("grant", "revoke") or profile is None:
            messages.error(request, _("No member has that profile address."))
            return self._back(request)
        service = membership.grant_host if action == "grant" else membership.revoke_host
        try:
            service(profile=profile, by=request.user)
        except services.NotAllowed:
            raise PermissionDenied from None
        except services.MembershipError:
            messages.error(request, self._refusal(action, profile))
        else:
            done = _("%(name)s is now a host.") if action == "grant" else _("%(name)s no longer hosts.")
            messages.success(request, done % {"name": profile.display_name})
        return self._back(request)

    @staticmethod
    def _refusal(action: str, profile: Profile) -> str:
        if action == "grant":
            text = _("%(name)s is a host already, or not an approved member; nothing changed.")
        else:
            text = _("%(name)s is not a host; nothing changed.")
        return text % {"name": profile.display_name}

    @staticmethod
    def _profile(data) -> Profile | None:
        found = Profile.objects.select_related("user")
        if data.get("profile", "").isdigit():
            return found.filter(pk=data["profile"]).first()
        handle = data.get("handle", "").strip().lstrip("@")
        return found.filter(handle=handle).first() if handle else None

    def _back(self, request):
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("network_profiles:hosts")
        return redirect(next_url)


class HostsMenuItem(MenuItem):
    def is_shown(self, request):
        return membership.may_manage_hosts(request.user)


@hooks.register("register_admin_menu_item")
def register_hosts_menu_item():
    return HostsMenuItem(
        gettext_lazy("Hosts"),
        reverse("network_profiles:hosts"),
        name="network-hosts",
        icon_name="user",
        order=151,
    )


class ProfileViewSet(ModelViewSet):
    model = Profile
    icon = "group"
    menu_label = gettext_lazy("Members")
    menu_order = 150
    add_to_admin_menu = True
    list_filter = ["status", "region", "relationship"]
    search_fields = ["display_name", "organisation", "user__email"]
    form_fields = ["display_name", "pronouns", "organisation", "job_title"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "display_name",
        "status",
        "organisation",
        "job_title",
        "relationship",
        "region",
        "application_reason",
        "applied_at",
        "decided_at",
        "decision_message",
        "suspension_reason",
    ]

    @property
    def list_display(self):
        return [
            TitleColumn(
                "display_name",
                label=_("Name"),
                get_url=lambda p: reverse("network_profiles:moderate", args=[p.pk]),
            ),
            Column("email", label=_("Email"), accessor=lambda p: p.user.email),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("relationship", label=_("Relates as"), accessor="get_relationship_display"),
            DateColumn("applied_at", label=_("Applied")),
        ]

    def get_queryset(self, request):
        return Profile.objects.select_related("user").order_by("-applied_at", "display_name")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/moderate/", ModerateProfileView.as_view(), name="moderate"),
            path("hosts/", HostsView.as_view(), name="hosts"),
        ]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = gettext_lazy("Themes")
    list_display = ["name", "slug"]


register_snippet(ThemeViewSet)


@hooks.register("register_admin_viewset")
def register_profile_viewset():
    return ProfileViewSet("network_profiles")


@hooks.register("register_log_actions")
def register_membership_actions(actions):
    for action, label, message in [
        ("network.apply", _("Apply for membership"), _("Applied for membership")),
        ("network.approve", _("Approve membership"), _("Membership approved")),
        ("network.decline", _("Decline membership"), _("Membership declined")),
        ("network.suspend", _("Suspend member"), _("Member suspended")),
        ("network.reinstate", _("Reinstate member"), _("Member reinstated")),
        ("network.grant_host", _("Make host"), _("Given the host role")),
        ("network.revoke_host", _("Stop hosting"), _("Host role taken away")),
        ("network.export", _("Export own data"), _("Downloaded their data")),
        ("network.delete_account", _("Delete account"), _("Deleted their account")),
    ]:
        actions.register_action(action, label, message)


class ApplicationsPanel(Component):
    """On a moderator's admin dashboard: the applications waiting for a decision."""

    name = "network_applications"
    template_name = "network/admin/applications_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        applicants = Profile.objects.applicants().select_related("user").order_by("applied_at")
        context["count"] = applicants.count()
        context["applicants"] = applicants[:10]
        context["queue_url"] = reverse("network_profiles:index") + f"?status={Status.APPLICANT}"
        return context


@hooks.register("construct_homepage_panels")
def add_applications_panel(request, panels):
    if request.user.has_perm("network.moderate_profile"):
        panels.append(ApplicationsPanel())
