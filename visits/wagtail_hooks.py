"""How visits plug into the Wagtail admin and the network's core: the visit admin for editors and moderators
(the same form and the same services as the hosts' pages on the site), and the core's profile-activity,
data-export, account-deletion and periodic-job hooks."""

from types import SimpleNamespace

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from network import roles
from network.access import is_member
from network.hooks import BEFORE_DELETE_MEMBER, MEMBER_DATA, PERIODIC_JOBS, PROFILE_ACTIVITY, Activity
from network.models import Profile
from network.privacy import visible_pages
from network.services.moderation import may_decide

from . import services
from .access import is_host
from .forms import VisitForm
from .models import Booking, Feedback, StudyVisit

Status = StudyVisit.Status
HOST_LEFT = gettext_lazy("The host has left the network.")

# -- the visit admin ---------------------------------------------------------------------------------------


def may_use_visit_admin(user) -> bool:
    """Editors and moderators (while members: a suspended moderator keeps the group, not its rights) and
    superusers. Hosts offer visits on the site, never here."""
    if not is_member(user):
        return False
    return user.is_superuser or roles.in_role(user, roles.EDITORS, roles.MODERATORS)


class VisitPermissionPolicy(BasePermissionPolicy):
    """By role, not by Django model permissions (the roles' groups come from network's migrations): editors
    and moderators add, change and view visits. Nobody deletes one here: a published visit is cancelled, so
    that everyone booked is told."""

    allowed_actions = frozenset({"add", "change", "view"})

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and may_use_visit_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(action in self.allowed_actions for action in actions) and may_use_visit_admin(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not any(action in self.allowed_actions for action in actions):
            return User.objects.none()
        staff = Q(is_superuser=True) | Q(
            groups__name__in=[roles.EDITORS, roles.MODERATORS], network_profile__status=Profile.Status.MEMBER
        )
        return User.objects.filter(staff, is_active=True).distinct()


# Registered before anything asks Wagtail for the model's policy (it would otherwise make a default one).
visit_permission_policy = VisitPermissionPolicy(StudyVisit)
register_permission_policy(StudyVisit, visit_permission_policy)


class HostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        profile = getattr(user, "network_profile", None)
        return f"{profile.display_name} ({profile.handle})" if profile else user.get_username()


class VisitAdminForm(VisitForm):
    """The hosts' own form (times in the visit's zone, daylight-saving checks, no past start, places 1–500),
    plus, for a new visit, who hosts it: an editor offers a visit on a host's behalf."""

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        # a new visit needs a host; a moderator may hand an existing one on (say, after a host's role ends)
        if self.instance.pk is None or (by is not None and may_decide(by)):
            hosts = (
                get_user_model()
                .objects.filter(
                    Q(groups__name__in=[roles.HOSTS, roles.MODERATORS]) | Q(is_superuser=True), is_active=True
                )
                .select_related("network_profile")
                .distinct()
                .order_by("network_profile__display_name", "pk")
            )
            self.fields["host"] = HostChoiceField(
                queryset=hosts,
                label=_("Host"),
                required=self.instance.pk is None,  # left empty on an edit: the host stays
                help_text=_("Who runs the visit and manages its bookings on the site."),
            )
            if self.instance.host_id:
                self.initial["host"] = self.instance.host_id
            elif by is not None and is_host(by):
                self.initial.setdefault("host", by.pk)

    def clean_host(self):
        host = self.cleaned_data["host"]
        if host is not None and host.pk != self.instance.host_id and not is_host(host):
            raise forms.ValidationError(_("Only a member with the host role can host a visit."))
        return host


class OfferingErrorsMixin:
    """A service's refusal (OfferingError) is shown on the form; the save it refused is rolled back."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.OfferingError as error:
            form.add_error(None, str(error))
            self.produced_error_code, self.produced_error_message = "validation_error", str(error)
            return self.form_invalid(form)


class VisitIndexView(generic.IndexView):
    default_ordering = "-starts_at"

    def get_base_queryset(self):
        return StudyVisit.objects.with_places_taken().select_related("page", "host__network_profile")


class VisitCreateView(OfferingErrorsMixin, generic.CreateView):
    def get_initial_form_instance(self):
        return StudyVisit()

    def save_instance(self):
        form = self.form
        # create_visit makes `by` the host: the host chosen on the form, whoever fills it in (the audit
        # log below records who that was)
        visit = services.create_visit(
            visit=form.save(commit=False),
            by=form.cleaned_data["host"],
            co_hosts=form.cleaned_data["co_host_handles"],
        )
        log(visit, "wagtail.create", user=self.request.user)
        return visit


class VisitEditView(OfferingErrorsMixin, generic.EditView):
    def save_instance(self):
        form = self.form
        visit = form.instance
        new_host = form.cleaned_data.get("host")
        if new_host is not None and new_host.pk != visit.host_id:
            services.hand_on_visit(visit=visit, host=new_host, by=self.request.user)
        visit = services.update_visit(
            visit=form.save(commit=False),
            by=self.request.user,
            changed=[name.replace("_text", "") for name in form.changed_data],
            co_hosts=form.cleaned_data["co_host_handles"],
        )
        log(visit, "wagtail.edit", user=self.request.user)
        return visit


def _host_name(visit: StudyVisit) -> str:
    if visit.host is None:
        return _("Former member")
    profile = getattr(visit.host, "network_profile", None)
    return profile.display_name if profile else visit.host.get_username()


class StudyVisitViewSet(ModelViewSet):
    model = StudyVisit
    icon = "date"
    menu_label = gettext_lazy("Study visits")
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = VisitIndexView
    add_view_class = VisitCreateView
    edit_view_class = VisitEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_filter = ["status"]
    search_fields = ["title"]
    search_backend_name = None  # visits are not in the search index; titles are searched in the database
    list_per_page = 50

    @property
    def list_display(self):
        return [
            TitleColumn(
                "title",
                label=_("Title"),
                get_url=lambda visit: reverse(self.get_url_name("edit"), args=[visit.pk]),
            ),
            Column("page", label=_("Visits"), accessor=lambda visit: visit.page.title),
            Column("host", label=_("Host"), accessor=_host_name),
            Column("starts_at", label=_("When"), accessor="when", sort_key="starts_at"),
            StatusTagColumn("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column(
                "taken",
                label=_("Places taken"),
                accessor=lambda visit: f"{visit.taken} / {visit.capacity}",
                sort_key="taken",
            ),
        ]

    def get_form_class(self, for_update=False):
        return VisitAdminForm

    def get_permissions_to_register(self):
        return Permission.objects.none()  # the roles decide (VisitPermissionPolicy), not model permissions


@hooks.register("register_admin_viewset")
def register_visit_viewset():
    return StudyVisitViewSet("visits_visits", url_prefix="visits")


# -- the core's hooks --------------------------------------------------------------------------------------


@hooks.register(PROFILE_ACTIVITY)
def hosted_visits(profile, viewer) -> list[Activity]:
    """The visits a member hosts or co-hosts, published or completed, to pages `viewer` may see. Never
    the visits they booked: who goes where is for the visit's hosts and moderators only."""
    # network.privacy reads the viewer from a request; one without a session passes no page password
    request = SimpleNamespace(user=viewer, session={})
    visits = (
        StudyVisit.objects.filter(Q(host_id=profile.user_id) | Q(co_hosts=profile.user_id))
        .filter(status__in=[Status.PUBLISHED, Status.COMPLETED])
        .filter(page__in=visible_pages(Page.objects.live(), request))
        .distinct()
        .order_by("-starts_at")[:10]
    )
    return [
        Activity(
            visit.title,
            visit.get_absolute_url(),
            visit.starts_at,
            _("Study visit host") if visit.host_id == profile.user_id else _("Study visit co-host"),
            date_format(visit.local_start, "j M Y"),  # the visit's own day, wherever the reader is
        )
        for visit in visits
    ]


# Every saved visit bumps the "visits" version (visits.signals), and page restrictions "pages".
hosted_visits.depends_on = ("visits", "pages")


@hooks.register(MEMBER_DATA)
def visits_data(user) -> dict:
    bookings = Booking.objects.filter(member=user).select_related("visit").order_by("created_at", "pk")
    feedback = Feedback.objects.filter(booking__member=user).select_related("booking__visit")
    hosted = StudyVisit.objects.filter(Q(host=user) | Q(co_hosts=user)).distinct().order_by("starts_at")
    return {
        "visit_bookings": [
            {
                "visit": booking.visit.title,
                "when": booking.visit.when,
                "status": booking.status,
                "answers": booking.answers,
                "background_check_confirmed": booking.background_check_confirmed,
                "attendance": booking.attendance,
                "hosts_reason": booking.reason,
                "booked": booking.created_at.isoformat(),
            }
            for booking in bookings
        ],
        "visit_feedback": [
            {
                "visit": item.booking.visit.title,
                "usefulness": item.usefulness,
                "confidence": item.confidence,
                "comment": item.comment,
                "given": item.created_at.isoformat(),
            }
            for item in feedback
        ],
        "visits_hosted": [
            {
                "title": visit.title,
                "when": visit.when,
                "status": visit.status,
                "role": "host" if visit.host_id == user.pk else "co-host",
            }
            for visit in hosted
        ],
    }


@hooks.register(BEFORE_DELETE_MEMBER)
def visits_before_delete(user, remove_content: bool) -> None:
    """Inside the deletion transaction, while the person is still a member: the visits they host are handed
    on or cancelled, then their bookings (and the feedback on them) go."""
    now = timezone.now()
    for visit in StudyVisit.objects.filter(host=user).exclude(
        status__in=[Status.CANCELLED, Status.COMPLETED]
    ):
        _hand_on(visit, user, remove_content, now)
    _end_bookings(user, now)


def _hand_on(visit: StudyVisit, user, remove_content: bool, now) -> None:
    """A visit still to come passes to its first co-host who is a member; one they host alone is cancelled
    (published: everyone booked is told) or, for a draft, kept without a host unless they remove their
    content. A visit that has started keeps its write-up and loses its host (the key is SET_NULL)."""
    if visit.status == Status.PUBLISHED and visit.starts_at <= now:
        return
    through = StudyVisit.co_hosts.through
    co_hosts = through.objects.filter(studyvisit_id=visit.pk).select_related("user").order_by("pk")
    heir = next((row.user for row in co_hosts if row.user_id != user.pk and is_host(row.user)), None)
    if heir is not None:
        services.hand_on_visit(visit=visit, host=heir, by=None)
    elif visit.status == Status.PUBLISHED:  # by the site: a suspended host no longer manages it
        services.cancel_visit(visit=visit, by=None, reason=str(HOST_LEFT), now=now)
    elif visit.status == Status.DRAFT and remove_content and not visit.bookings.exists():
        visit.delete()


def _end_bookings(user, now) -> None:
    """A booking for a visit still to come is cancelled first, so a place it held goes to the first on the
    waiting list; then every booking of theirs is deleted, with its feedback (Feedback cascades)."""
    upcoming = Booking.objects.filter(member=user, status__in=Booking.ACTIVE, visit__starts_at__gt=now)
    for booking in upcoming.select_related("visit"):
        services.cancel_booking(booking=booking, by=user, now=now)
    Booking.objects.filter(member=user).delete()


@hooks.register(PERIODIC_JOBS)
def visits_jobs():
    # request_feedback lives in visits.services.feedback; looked up when the job runs
    return {
        "visit feedback requests": lambda run: services.request_feedback(),
        "visit reminders": lambda run: services.send_reminders(),
    }
