"""Hosts offer visits on the site: their visits, the offer form, and publishing, cancelling or completing."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import host_required, managed_visit
from .forms import VisitForm
from .models import StudyVisit


@host_required
def host_home(request: HttpRequest) -> HttpResponse:
    visits = (
        StudyVisit.objects.filter(Q(host=request.user) | Q(co_hosts=request.user))
        .distinct()
        .with_places_taken()
        .select_related("page")
        .order_by("-starts_at")
    )
    return render(request, "visits/host/host_home.html", {"visits": visits})


@host_required
def visit_create(request: HttpRequest) -> HttpResponse:
    initial = {"page": request.GET.get("page")} if request.GET.get("page", "").isdigit() else {}
    form = VisitForm(request.POST or None, initial=initial, instance=StudyVisit(), request=request)
    if request.method == "POST" and form.is_valid():
        visit = services.create_visit(
            visit=form.save(commit=False), by=request.user, co_hosts=form.cleaned_data["co_host_handles"]
        )
        messages.success(
            request, _("Your visit is saved as a draft. Publish it when it is ready for bookings.")
        )
        return redirect("visits:visit_edit", pk=visit.pk)
    return render(request, "visits/host/visit_form.html", {"form": form, "creating": True})


@host_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = managed_visit(request, pk)
    form = VisitForm(request.POST or None, instance=visit, request=request)
    if request.method == "POST" and form.is_valid():
        changed = [name.replace("_text", "") for name in form.changed_data]
        try:
            services.update_visit(
                visit=form.save(commit=False),
                by=request.user,
                changed=changed,
                co_hosts=form.cleaned_data["co_host_handles"],
            )
        except services.OfferingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("visits:visit_edit", pk=visit.pk)
    return render(request, "visits/host/visit_form.html", {"form": form, "visit": visit, "creating": False})


@host_required
@require_POST
def visit_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, cancel (with a reason for everyone booked) or mark completed."""
    visit = managed_visit(request, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.publish_visit(visit=visit, by=request.user)
            messages.success(request, _("Published: members can now book."))
        elif action == "cancel":
            services.cancel_visit(visit=visit, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The visit is cancelled and everyone booked has been told."))
        elif action == "complete":
            services.complete_visit(visit=visit, by=request.user)
            messages.success(request, _("Marked completed. Attendees will be asked for feedback."))
        else:
            messages.error(request, _("Choose publish, cancel or complete."))
    except services.OfferingError as error:
        messages.error(request, str(error))
    return redirect("visits:visit_edit", pk=visit.pk)
