"""Who may do what with visits. Hosts offer visits; a visit's host and co-hosts manage it, and so do the
network's moderators. Attendee data (names, answers, access needs) reaches nobody else."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from network import roles
from network.access import is_member, member_required
from network.services.moderation import may_decide

from .models import StudyVisit


def is_host(user) -> bool:
    """A member with the host role (granted by editors and moderators), or a moderator."""
    if not is_member(user):
        return False
    return user.is_superuser or may_decide(user) or roles.in_role(user, roles.HOSTS)


def may_manage(user, visit: StudyVisit) -> bool:
    """The visit's host or a co-host, while a member with the host role (one whose role is taken away
    manages nothing until a moderator hands the visit on), or a moderator."""
    if not is_member(user):
        return False
    if may_decide(user):
        return True
    return visit.is_hosted_by(user) and is_host(user)


def may_change(user, visit: StudyVisit) -> bool:
    """Who may change what a visit is (its time, place, programme, status): those who manage it, and the
    network's editors, who look after exemplars and visits in the admin. Editors do not see attendees."""
    if may_manage(user, visit):
        return True
    return is_member(user) and roles.in_role(user, roles.EDITORS)


def host_required(view):
    """Only hosts (and moderators) reach the view; others learn why, never a bare 403."""

    @member_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_host(request.user):
            return render(request, "visits/host/not_a_host.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def managed_visit(request, pk: int) -> StudyVisit:
    """The visit `pk` for one who manages it; a 404 for anyone else (member, non-member or visitor), so the
    host's pages do not even confirm that a draft exists."""
    visit = get_object_or_404(StudyVisit.objects.select_related("page", "host"), pk=pk)
    if not may_manage(request.user, visit):
        raise Http404("No such visit to manage.")
    return visit
