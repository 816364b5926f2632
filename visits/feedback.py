"""After the visit: the attendee's feedback form and the hosts' write-up. Thin views over
visits.services.feedback; the forms only validate."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.access import member_required
from network.markup import render_markdown

from . import conf, services
from .access import managed_visit
from .models import Booking, Feedback, StudyVisit


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=gettext_lazy("How useful was the visit?"),
        choices=Feedback.Usefulness.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    confidence = forms.TypedChoiceField(
        label=gettext_lazy("How confident are you to use what you saw in your own work?"),
        choices=Feedback.Confidence.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything else? (optional)"),
        required=False,
        max_length=Feedback._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _(
            "Only the visit's hosts and the network's moderators read comments, without your name, and only "
            "once at least %(count)d people have answered. Your answers on the two scales are only ever shown "
            "as totals."
        ) % {"count": conf.FEEDBACK_MIN_ANSWERS}


class WriteUpForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Write-up"),
        required=False,
        max_length=StudyVisit._meta.get_field("write_up").max_length,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "How the visit went, what people saw and what they took away. Markdown is allowed. Everyone who "
            "can see the visit can read it: do not name attendees without their agreement."
        ),
    )


@member_required
def feedback_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The booking's member answers once the visit has ended; anyone else gets a 404."""
    booking = get_object_or_404(Booking.objects.select_related("visit"), pk=pk, member=request.user)
    refusal = services.feedback_refusal(booking=booking, by=request.user)
    form = None
    if refusal is None:
        form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.give_feedback(booking=booking, by=request.user, **form.cleaned_data)
        except services.FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("visits:feedback_form", pk=booking.pk)
    context = {
        "booking": booking,
        "visit": booking.visit,
        "form": form,
        "refusal": refusal,
        "min_answers": conf.FEEDBACK_MIN_ANSWERS,
    }
    return render(request, "visits/feedback_form.html", context, status=400 if form and form.errors else 200)


@member_required
def write_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit's hosts and moderators write up the visit once it has started; a 404 for anyone else."""
    visit = managed_visit(request, pk)
    refusal = services.write_up_refusal(visit=visit, by=request.user)
    form = WriteUpForm(request.POST if request.method == "POST" else None, initial={"text": visit.write_up})
    preview = None
    if refusal is None and form.is_bound and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["text"])
        else:
            try:
                services.write_up_visit(visit=visit, by=request.user, text=form.cleaned_data["text"])
            except services.WriteUpError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The write-up is saved."))
                return redirect("visits:write_up", pk=visit.pk)
    context = {"visit": visit, "form": form, "refusal": refusal, "preview": preview}
    return render(request, "visits/host/write_up.html", context, status=400 if form.errors else 200)
