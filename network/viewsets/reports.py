"""The moderation queue in the Wagtail admin: open reports grouped per item, each item's page with its text
and reports, and the decisions (hide, restore, dismiss, suspend the author), each a POST.

Only people who may decide reports (`services.moderation.may_decide`) see the menu item or reach a view."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from ..models import MemberContent, Report
from ..models.content import member_content_model
from ..services import moderation

Status = Report.Status
PAGE_SIZE = 25
HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
LABEL = gettext_lazy("Reported content")


@dataclass
class ReportGroup:
    """The open reports on one item, as the queue lists them."""

    content_type_id: int
    object_id: int
    count: int
    first_reported: datetime
    item: MemberContent | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.item._meta.verbose_name if self.item is not None else ""

    @property
    def author(self) -> str:
        return author_name(self.item) if self.item is not None else ""


def author_name(item: MemberContent | None) -> str:
    if item is None or item.author is None:
        return _("Former member")
    profile = getattr(
        item.author, "network_profile", None
    )  # a missing profile reads as None (AttributeError)
    return profile.display_name if profile is not None else item.author.get_full_name() or item.author.email


class ModeratorsOnlyMixin:
    """Pages: others are sent to the dashboard with Wagtail's "no permission" message. Decisions: a plain
    403, so nothing that posts one can mistake a refusal for success."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not moderation.may_decide(request.user):
            if request.method == "POST":
                return permission_denied(request, PermissionDenied())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QueueView(ModeratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Open reports grouped per item, oldest first; or (?status=closed) the decided reports, newest first."""

    template_name = "network/admin/report_queue.html"
    header_icon = "warning"
    page_title = LABEL

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": LABEL}]

    def get_context_data(self, **kwargs):
        closed = self.request.GET.get("status") == "closed"
        page = self.closed_page() if closed else self.open_page()
        return super().get_context_data(closed=closed, page=page, **kwargs)

    def open_page(self):
        groups = (
            moderation.open_reports()
            .order_by()
            .values("content_type_id", "object_id")
            .annotate(count=Count("pk"), first_reported=Min("created_at"))
            .order_by("first_reported", "content_type_id", "object_id")
        )
        page = Paginator(groups, PAGE_SIZE).get_page(self.request.GET.get("p"))
        page.object_list = [ReportGroup(**row) for row in page.object_list]
        if not page.object_list:
            return page
        keys = [(group.content_type_id, group.object_id) for group in page.object_list]
        items = moderation.items_for(keys)
        reasons = {}
        pairs = reduce(or_, (Q(content_type_id=ct, object_id=pk) for ct, pk in keys))
        for report in moderation.open_reports().filter(pairs).only("content_type_id", "object_id", "reason"):
            labels = reasons.setdefault((report.content_type_id, report.object_id), [])
            if report.get_reason_display() not in labels:
                labels.append(report.get_reason_display())
        for group in page.object_list:
            key = (group.content_type_id, group.object_id)
            group.item, group.reasons = items.get(key), reasons.get(key, [])
        return page

    def closed_page(self):
        reports = (
            Report.objects.filter(status__in=moderation.CLOSED)
            .select_related("reporter__network_profile", "decided_by__network_profile")
            .order_by("-decided_at", "-pk")
        )
        page = Paginator(reports, PAGE_SIZE * 2).get_page(self.request.GET.get("p"))
        items = moderation.items_for((r.content_type_id, r.object_id) for r in page.object_list)
        for report in page.object_list:
            report.item = items.get((report.content_type_id, report.object_id))
        return page


class ItemView(ModeratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """One reported item: its text, every report about it, and the decisions a moderator can make."""

    template_name = "network/admin/report_item.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.content_type_id, self.object_id = kwargs["content_type_id"], kwargs["object_id"]
        self.item = moderation.find_item(self.content_type_id, self.object_id)
        self.reports = list(
            Report.objects.filter(content_type_id=self.content_type_id, object_id=self.object_id)
            .select_related("reporter__network_profile", "decided_by__network_profile")
            .order_by("created_at", "pk")
        )
        if self.item is None and not self.reports:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.item.content_title if self.item is not None else _("An item that no longer exists")

    def get_breadcrumbs_items(self):
        return [
            HOME,
            {"url": reverse("network_reports:index"), "label": LABEL},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        waiting = [report for report in self.reports if report.status == Status.OPEN]
        item = self.item
        mine = item is not None and item.author_id == self.request.user.pk
        return super().get_context_data(
            item=item,
            kind=item._meta.verbose_name if item is not None else "",
            author=author_name(item),
            reports=self.reports,
            waiting=waiting,
            oldest=waiting[0] if waiting else None,
            mine=mine,
            may_hide=item is not None and not item.is_hidden and not mine,
            may_restore=item is not None and item.is_hidden and not mine,
            may_suspend=bool(waiting) and item is not None and item.author_id is not None and not mine,
            form=DecisionForm(initial={"report": waiting[0].pk if waiting else None}),
            urls={
                action: reverse("network_reports:decide", args=[self.content_type_id, self.object_id, action])
                for action in DONE
            },
            **kwargs,
        )


class DecisionForm(forms.Form):
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note to the people who reported it (optional)"),
        help_text=gettext_lazy("Sent with the outcome to each of them."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for hiding or suspending"),
        help_text=gettext_lazy(
            "Kept with the item for moderators. Needed to suspend the author, who is sent it."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


DONE = {
    "hide": gettext_lazy("“%(title)s” is hidden; the people who reported it are being told."),
    "restore": gettext_lazy("“%(title)s” is shown again."),
    "dismiss": gettext_lazy("The reports are dismissed; the people who sent them are being told."),
    "suspend": gettext_lazy("“%(title)s” is hidden and its author suspended."),
}


class DecideView(ModeratorsOnlyMixin, View):
    """Carry out one decision about an item. POST only: a link followed by a browser or a mail scanner
    (a GET) changes nothing."""

    http_method_names = ["post"]

    def post(self, request, content_type_id: int, object_id: int, action: str) -> HttpResponse:
        if action not in DONE:
            raise Http404
        if member_content_model(content_type_id) is None:
            raise Http404
        item_url = reverse("network_reports:item", args=[content_type_id, object_id])
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The note or reason is too long; nothing was decided."))
            return redirect(item_url)
        data = form.cleaned_data
        item = moderation.find_item(content_type_id, object_id)
        report = None
        if data["report"]:
            report = Report.objects.filter(
                pk=data["report"], content_type_id=content_type_id, object_id=object_id
            ).first()
        try:
            self.decide(action, item=item, report=report, data=data)
        except moderation.ModerationError as error:
            messages.error(request, str(error))
            return redirect(item_url)
        title = item.content_title if item is not None else _("The item")
        messages.success(request, DONE[action] % {"title": title})
        return redirect("network_reports:index")

    def decide(self, action: str, *, item, report, data) -> None:
        by, note, reason = self.request.user, data["note"], data["reason"]
        if action == "restore":
            if item is None:
                raise moderation.ModerationError(_("That item no longer exists."))
            moderation.restore(item=item, by=by, note=note)
            return
        if action == "hide":
            if item is None:
                raise moderation.ModerationError(_("That item no longer exists."))
            moderation.hide(
                by=by, reason=reason, note=note, **({"report": report} if report else {"item": item})
            )
            return
        if report is None:
            raise moderation.AlreadyDecided(_("There is no open report about this to decide."))
        if action == "dismiss":
            moderation.dismiss(report=report, by=by, note=note)
        else:
            moderation.suspend_author(report=report, by=by, reason=reason, note=note)


class ModeratorsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return moderation.may_decide(request.user)


class ReportViewSet(ViewSet):
    icon = "warning"
    menu_label = LABEL
    menu_name = "network-reports"  # Wagtail's own "Reports" menu is named "reports"
    menu_order = 160
    add_to_admin_menu = True
    menu_item_class = ModeratorsMenuItem

    def get_urlpatterns(self):
        item = "item/<int:content_type_id>/<int:object_id>/"
        return [
            path("", QueueView.as_view(), name="index"),
            path(item, ItemView.as_view(), name="item"),
            path(f"{item}<slug:action>/", DecideView.as_view(), name="decide"),
        ]


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    for action, label, message in [
        ("network.report", _("Report to the moderators"), _("Reported to the moderators")),
        ("network.hide", _("Hide"), _("Hidden by a moderator")),
        ("network.restore", _("Restore"), _("Shown again by a moderator")),
        ("network.dismiss_reports", _("Dismiss reports"), _("Reports dismissed; no action taken")),
        ("network.suspend_author", _("Suspend author"), _("Hidden and its author suspended")),
    ]:
        actions.register_action(action, label, message)
