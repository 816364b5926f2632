"""Forms validate; services decide. Times are typed in the visit's own time zone and checked against its
daylight-saving changes: a wall time that does not exist (clocks go forward) or happens twice (clocks go
back) is refused with a message rather than guessed."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import conf
from .access import is_host
from .models import MAX_CAPACITY, MAX_EXTRA_QUESTIONS, OFFER_FIELDS, StudyVisit
from .pages import visitable_pages

LOCAL = "%Y-%m-%dT%H:%M"
LOCAL_INPUTS = [LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
YEARS_AHEAD = 5  # visits are planned months ahead, not decades
LOCAL_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)


class WallTimeField(forms.DateTimeField):
    """A clock reading with no zone yet: Django's own field would read it in the *site's* zone (and refuse a
    daylight-saving gap there); VisitForm.clean places it in the visit's zone."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return timezone.make_naive(value) if timezone.is_aware(value) else value
        for fmt in self.input_formats:
            try:
                parsed = datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
            this_year = timezone.now().year
            if not this_year - 1 <= parsed.year <= this_year + YEARS_AHEAD:
                # also keeps every zone's conversion away from datetime's limits (years 1 and 9999)
                raise forms.ValidationError(
                    _("Choose a date between %(first)s and %(last)s."),
                    code="out_of_range",
                    params={"first": this_year - 1, "last": this_year + YEARS_AHEAD},
                )
            return parsed
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def wall_time_problem(local: datetime, zone: ZoneInfo) -> str | None:
    """Why `local` (naive, a clock reading in `zone`) cannot name one instant, or None when it can."""
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    # after a round trip through UTC, a time in a spring-forward gap comes back as another clock reading
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        return _("%(time)s does not exist on %(day)s in %(zone)s: the clocks go forward then.")
    return _("%(time)s happens twice on %(day)s in %(zone)s: the clocks go back then. Choose another time.")


class VisitForm(forms.ModelForm):
    """Offer or change a visit. Times are read in the chosen time zone; the page list is the site's."""

    starts_at = WallTimeField(label=_("Starts"), input_formats=LOCAL_INPUTS, widget=LOCAL_WIDGET)
    ends_at = WallTimeField(label=_("Ends"), input_formats=LOCAL_INPUTS, widget=LOCAL_WIDGET)
    booking_opens_at = WallTimeField(
        label=_("Booking opens"),
        required=False,
        input_formats=LOCAL_INPUTS,
        widget=LOCAL_WIDGET,
        help_text=_("Leave empty to open booking when you publish."),
    )
    booking_closes_at = WallTimeField(
        label=_("Booking closes"),
        required=False,
        input_formats=LOCAL_INPUTS,
        widget=LOCAL_WIDGET,
        help_text=_("Leave empty to take bookings until the visit starts."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("How many people can come, from 1 to %(max)s.") % {"max": MAX_CAPACITY},
    )
    extra_questions_text = forms.CharField(
        label=_("More questions for bookers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line, up to %(n)s.") % {"n": MAX_EXTRA_QUESTIONS},
    )
    co_host_handles = forms.CharField(
        label=_("Co-hosts"),
        required=False,
        help_text=_("Profile addresses of other hosts who run the visit with you, separated by commas."),
    )

    class Meta:
        model = StudyVisit
        fields = list(OFFER_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "travel_and_access": forms.Textarea(attrs={"rows": 4}),
        }

    LOCAL_FIELDS = ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at")

    def __init__(self, *args, now=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["page"].queryset = visitable_pages(request)
        self.fields["page"].label = _("The project it visits")
        visit = self.instance
        zone = visit.zone if visit.time_zone else ZoneInfo(conf_default_zone())
        for name in self.LOCAL_FIELDS:  # show stored instants as the visit's own clock readings
            value = getattr(visit, name)
            if value is not None and not self.is_bound:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)
        if visit.pk:
            self.initial["extra_questions_text"] = "\n".join(visit.extra_questions)
            self.initial["co_host_handles"] = ", ".join(
                person.network_profile.handle for person in visit.co_hosts.select_related("network_profile")
            )
            if visit.status != StudyVisit.Status.DRAFT:
                # a published visit's places change on the dashboard, where bookings are in view
                del self.fields["capacity"]

    def clean_extra_questions_text(self) -> list[str]:
        lines = [
            line.strip() for line in self.cleaned_data["extra_questions_text"].splitlines() if line.strip()
        ]
        if len(lines) > MAX_EXTRA_QUESTIONS:
            raise forms.ValidationError(
                _("Ask at most %(n)s questions of your own."), params={"n": MAX_EXTRA_QUESTIONS}
            )
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Keep each question under 200 characters."))
        return lines

    def clean_co_host_handles(self) -> list:
        handles = {
            h.strip().lstrip("@") for h in self.cleaned_data["co_host_handles"].split(",") if h.strip()
        }
        people = list(
            get_user_model()
            .objects.filter(network_profile__handle__in=handles)
            .select_related("network_profile")
        )
        found = {person.network_profile.handle for person in people}
        if handles - found:
            raise forms.ValidationError(
                _("No member has the profile address %(handles)s."),
                params={"handles": ", ".join(sorted(handles - found))},
            )
        not_hosts = [person.network_profile.handle for person in people if not is_host(person)]
        if not_hosts:
            raise forms.ValidationError(
                _("Co-hosts must be hosts: %(handles)s is not."),
                params={"handles": ", ".join(sorted(not_hosts))},
            )
        return people

    def clean(self):
        data = super().clean()
        try:
            zone = ZoneInfo(data.get("time_zone") or conf_default_zone())
        except (KeyError, ValueError):
            return data
        for name in self.LOCAL_FIELDS:
            local = data.get(name)
            if local is None:
                continue
            problem = wall_time_problem(local, zone)
            if problem:
                self.add_error(
                    name,
                    problem
                    % {
                        "time": local.strftime("%H:%M"),
                        "day": date_format(local, "j F Y"),
                        "zone": zone.key,
                    },
                )
                data[name] = None
            else:
                data[name] = local.replace(tzinfo=zone)
        self._check_order(data)
        return data

    def _check_order(self, data) -> None:
        starts, ends = data.get("starts_at"), data.get("ends_at")
        opens, closes = data.get("booking_opens_at"), data.get("booking_closes_at")
        if starts and "starts_at" in self.changed_data and starts <= self.now:
            self.add_error("starts_at", _("The start is in the past: choose a time still to come."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        elif starts and ends and ends - starts > timedelta(days=conf.MAX_DAYS):
            self.add_error("ends_at", _("A visit lasts at most %(days)s days.") % {"days": conf.MAX_DAYS})
        if starts and closes and closes > starts:
            self.add_error("booking_closes_at", _("Booking must close by the time the visit starts."))
        if starts and opens and opens >= starts:
            self.add_error("booking_opens_at", _("Booking must open before the visit starts."))
        if opens and closes and closes <= opens:
            self.add_error("booking_closes_at", _("Booking must close after it opens."))

    def _post_clean(self):
        super()._post_clean()
        self.instance.extra_questions = self.cleaned_data.get(
            "extra_questions_text", self.instance.extra_questions
        )


def conf_default_zone() -> str:
    from django.conf import settings

    return settings.TIME_ZONE


class BookingForm(forms.Form):
    """The visit's questions for a booker; which ones depends on the visit."""

    def __init__(self, *args, visit: StudyVisit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        if visit.ask_organisation:
            self.fields["organisation"] = forms.CharField(
                label=_("Your organisation"),
                max_length=200,
                required=False,
                help_text=_("Or how you are involved, e.g. as a carer or a service user."),
            )
        if visit.ask_access_needs:
            self.fields["access_needs"] = forms.CharField(
                label=_("Access needs"),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Anything the hosts should arrange so you can take part. Only the hosts see this."
                ),
            )
        if visit.ask_dietary_needs:
            self.fields["dietary_needs"] = forms.CharField(
                label=_("Dietary needs"),
                max_length=500,
                required=False,
                help_text=_("Only the hosts see this."),
            )
        for number, question in enumerate(visit.extra_questions):
            self.fields[f"extra_{number}"] = forms.CharField(
                label=question, max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        if visit.requires_background_check:
            self.fields["background_check"] = forms.BooleanField(
                label=_(
                    "I confirm I hold a current background check (such as a DBS check) for this kind of work."
                ),
                error_messages={"required": _("This visit asks every booker to confirm a background check.")},
            )

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {
            name: data[name].strip()
            for name in ("organisation", "access_needs", "dietary_needs")
            if name in data
        }
        answers["extra"] = [
            {"question": question, "answer": data[f"extra_{number}"].strip()}
            for number, question in enumerate(self.visit.extra_questions)
        ]
        return answers
