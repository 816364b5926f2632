"""The visit list's filters: region, theme, month and places left, offered from the visits on the list."""

from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from network.models import Region, Theme


class VisitFilters(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)
    places = forms.BooleanField(label=_("Only visits with places left"), required=False)

    def __init__(self, data, *, visits):
        super().__init__(data)
        regions = sorted(set(visits.exclude(region="").values_list("region", flat=True)))
        labels = dict(Region.choices)
        self.fields["region"].choices = [("", _("Any region"))] + [(r, labels.get(r, r)) for r in regions]
        themes = Theme.objects.filter(pk__in=visits.values("themes")).order_by("name")
        self.fields["theme"].choices = [("", _("Any theme"))] + [(t.slug, t.name) for t in themes]
        self.local_months = _local_months(visits)
        months = sorted(set(self.local_months.values()))
        self.fields["month"].choices = [("", _("Any month"))] + [
            (f"{y}-{m:02d}", date_format(date(y, m, 1), "F Y")) for y, m in months
        ]

    def apply(self, visits):
        """`visits` (annotated by with_places_taken) that match the chosen filters."""
        if not self.is_valid():
            return visits
        data = self.cleaned_data
        if data["region"]:
            visits = visits.filter(region=data["region"])
        if data["theme"]:
            visits = visits.filter(themes__slug=data["theme"])
        if data["month"]:
            year, month = (int(part) for part in data["month"].split("-"))
            visits = visits.filter(pk__in=[pk for pk, ym in self.local_months.items() if ym == (year, month)])
        if data["places"]:
            visits = visits.filter(left__gt=0)
        return visits

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


def _local_months(visits) -> dict[int, tuple[int, int]]:
    """Each visit's month as its own time zone sees it (a visit at 21:00 on 31 March in New York is in March,
    though it is April in London)."""
    months = {}
    for pk, starts_at, zone in visits.values_list("pk", "starts_at", "time_zone"):
        local = starts_at.astimezone(ZoneInfo(zone))
        months[pk] = (local.year, local.month)
    return months
