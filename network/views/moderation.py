"""Reporting what a member wrote (the member-facing side of moderation; the queue is in the Wagtail admin)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import fragments
from ..access import member_required
from ..models import Report
from ..ratelimit import rate_limited
from ..services import moderation


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong with it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Please choose a reason.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Anything the moderators should know (optional)"),
        help_text=gettext_lazy("Only the moderators read this. They will not quote it to anyone."),
        required=False,
        max_length=Report._meta.get_field("details").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


@member_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """Ask why, then tell the moderators. Anything the viewer may not see, or that is not member-written
    content, is simply not there (404), whatever content type the address names."""
    item = moderation.find_item(content_type_id, object_id, with_author=request.method == "POST")
    if item is None or not item.is_visible_to(request.user):
        raise Http404
    if item.author_id == request.user.pk:
        messages.error(request, _("You cannot report what you wrote yourself."))
        return redirect(item.get_absolute_url())
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited("report", request.user):
            messages.error(
                request, _("You have sent a lot of reports in the last hour. Please try again later.")
            )
        else:
            try:
                moderation.report(item=item, reporter=request.user, **form.cleaned_data)
            except moderation.ModerationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Thank you — the moderators will look at it and tell you what they decide.")
                )
                return redirect(item.get_absolute_url())
    already = moderation.open_reports().filter(
        reporter=request.user, content_type_id=content_type_id, object_id=object_id
    )
    return render(
        request,
        "network/report.html",
        {
            "form": form,
            "item": item,
            "already": already.values("created_at").first(),
            "blank_fields": None
            if form.is_bound
            else fragments.blank_form("report", lambda initial: ReportForm(initial=initial)),
        },
        status=400 if form.errors else 200,
    )
