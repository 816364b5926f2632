"""Reports and what moderators do about them: hide or restore what a member wrote, dismiss a report, or
suspend the author. Every action is one transaction, recorded in Wagtail's audit log, and each reporter
is told the outcome through the outbox. Works on any `MemberContent` (blog posts and comments, forum
threads and replies) without knowing which."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import conf
from ..access import is_member
from ..models import MemberContent, Profile, Report, may_see_hidden
from ..models.content import member_content_model
from ..outbox import queue_templated_email
from .membership import MembershipError, suspend_member

Status = Report.Status
CLOSED = [Status.HIDDEN, Status.DISMISSED, Status.SUSPENDED]


class ModerationError(Exception):
    """A report or decision that cannot be made; the message says why, in words for the person."""


class NotAllowed(ModerationError):
    """This person may not make this report or decision."""


class AlreadyDecided(ModerationError):
    """Another moderator decided first (or the item is already as asked)."""


# -- finding what a report is about ----------------------------------------------------------------------


def find_item(content_type_id: int, object_id: int, *, with_author: bool = True) -> MemberContent | None:
    """The member-written item, visible or not (callers check `is_visible_to`). Without `with_author`, its
    author's profile is not joined nor its text read (the report form shows only its title and link)."""
    model = member_content_model(content_type_id)
    if model is None:
        return None
    items = _with_related(model._default_manager.all(), with_author=with_author)
    if not with_author:
        items = items.defer("body", "body_html")  # MemberContent's text, which such a reader never shows
    return items.filter(pk=object_id).first()


def items_for(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], MemberContent]:
    """Items by (content type id, object id), one query per kind of content, whatever their number."""
    by_type = defaultdict(set)
    for content_type_id, object_id in keys:
        by_type[content_type_id].add(object_id)
    found = {}
    for content_type_id, ids in by_type.items():
        model = member_content_model(content_type_id)
        if model is None:
            continue
        for item in _with_related(model._default_manager.filter(pk__in=ids)):
            found[content_type_id, item.pk] = item
    return found


def _with_related(queryset: models.QuerySet, *, with_author: bool = True) -> models.QuerySet:
    """Join what titles, links and bylines read (a comment's post, the author's profile), so listing many
    items costs no query per item."""
    forward = [
        field.name
        for field in queryset.model._meta.concrete_fields
        if field.many_to_one and field.name not in {"author", "hidden_by"}
    ]
    return queryset.select_related(*(["author__network_profile"] if with_author else []), *forward)


def _key(item: MemberContent) -> dict:
    return {"content_type": ContentType.objects.get_for_model(item), "object_id": item.pk}


def open_reports() -> models.QuerySet:
    """The moderators' queue: every report still waiting for a decision, oldest first."""
    return Report.objects.filter(status=Status.OPEN).order_by("created_at", "pk")


def reports_on(item: MemberContent) -> models.QuerySet:
    return Report.objects.filter(**_key(item)).order_by("created_at", "pk")


# -- reporting -------------------------------------------------------------------------------------------


@transaction.atomic
def report(*, item: MemberContent, reporter, reason: str, details: str = "") -> Report:
    """Tell the moderators about `item`. A person has at most one open report per item: reporting it again
    returns that report and tells nobody twice."""
    if not is_member(reporter):
        raise NotAllowed(_("Only members can report what members wrote."))
    if not item.is_visible_to(reporter):
        raise NotAllowed(_("You cannot report something you cannot see."))
    if item.author_id is not None and item.author_id == reporter.pk:
        raise NotAllowed(_("You cannot report what you wrote yourself."))
    if reason not in Report.Reason.values:
        raise ModerationError(_("Please choose a reason."))
    existing = open_reports().filter(reporter=reporter, **_key(item)).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: a double click racing this one meets the unique constraint
            new = Report.objects.create(
                reporter=reporter, reason=reason, details=details.strip(), **_key(item)
            )
    except IntegrityError:
        return open_reports().get(reporter=reporter, **_key(item))
    log(item, "network.report", user=reporter, data={"report": new.pk, "reason": reason})
    _alert_moderators(new, item)
    return new


def _alert_moderators(new: Report, item: MemberContent) -> None:
    """One email to each moderator who may see the item, except the reporter and the item's author. It
    names the item and the reason only: the reporter's words and the item's text stay in the admin."""
    url = conf.SITE_URL + reverse("network_reports:item", args=[new.content_type_id, new.object_id])
    for moderator in moderators().exclude(pk__in=[new.reporter_id, item.author_id or 0]):
        if not item.is_visible_to(moderator):
            continue
        queue_templated_email(
            template_prefix="network/email/report_new",
            context={
                "moderator": moderator,
                "title": item.content_title,
                "kind": item._meta.verbose_name,
                "reason": new.get_reason_display(),
                "review_url": url,
            },
            to=[moderator.email],
            about=item.author,
        )


def moderators() -> models.QuerySet:
    """Everyone who decides reports: active, with an address, and still a member (a suspended moderator
    keeps the group but must not read reports)."""
    perm = Permission.objects.get(codename="moderate_content", content_type__app_label="network")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .filter(Q(network_profile__status=Profile.Status.MEMBER) | Q(is_superuser=True))
        .exclude(email="")
        .select_related("network_profile")
        .distinct()
    )


# -- deciding --------------------------------------------------------------------------------------------


def may_decide(user) -> bool:
    """Moderators decide reports; one whose membership is suspended no longer does."""
    return may_see_hidden(user) and is_member(user)


def _check_moderator(by) -> None:
    if not may_decide(by):
        raise NotAllowed(_("Only moderators can decide about reports and hidden content."))


def _check_not_theirs(by, item: MemberContent | None) -> None:
    if item is not None and item.author_id is not None and item.author_id == by.pk:
        raise NotAllowed(_("Another moderator must decide about what you wrote yourself."))


@transaction.atomic
def hide(
    *, by, reason: str = "", report: Report | None = None, item: MemberContent | None = None, note: str = ""
) -> MemberContent:
    """Hide the item (the report's, or the one given) from everyone but moderators, and close its open
    reports as "content hidden"."""
    _check_moderator(by)
    item = _locked_item(report, item)
    _check_not_theirs(by, item)
    closed = _close_reports(item, report, Status.HIDDEN, by, note)
    if item.is_hidden and not closed:
        raise AlreadyDecided(_("“%(title)s” is hidden already.") % {"title": item.content_title})
    if not item.is_hidden:
        item.hide(by=by, reason=reason.strip())
    log(item, "network.hide", user=by, data={"reason": reason.strip(), "reports": closed})
    return item


@transaction.atomic
def restore(*, item: MemberContent, by, note: str = "") -> MemberContent:
    """Show a hidden item again. Reports still open on it are closed as dismissed: it stays up."""
    _check_moderator(by)
    item = _locked_item(None, item)
    _check_not_theirs(by, item)
    if not item.is_hidden:
        raise AlreadyDecided(_("“%(title)s” is not hidden.") % {"title": item.content_title})
    closed = _close_reports(item, None, Status.DISMISSED, by, note)
    item.restore()
    log(item, "network.restore", user=by, data={"reports": closed})
    return item


@transaction.atomic
def dismiss(*, report: Report, by, note: str = "") -> list[int]:
    """Take no action: the item stays as it is and every open report on it is closed as dismissed.
    Returns the reports closed. Works even when the item itself has since been deleted."""
    _check_moderator(by)
    item = _locked_item(report, None, missing_ok=True)
    _check_not_theirs(by, item)
    closed = _close_reports(item, report, Status.DISMISSED, by, note)
    if item is not None:
        log(item, "network.dismiss_reports", user=by, data={"reports": closed})
    return closed


@transaction.atomic
def suspend_author(*, report: Report, by, reason: str, note: str = "") -> MemberContent:
    """Hide the item, close its open reports as "author suspended" and suspend the author's membership
    (the author is told why, in `reason`)."""
    _check_moderator(by)
    if not reason.strip():
        raise ModerationError(_("Please give a reason; the author will see it."))
    item = _locked_item(report, None)
    _check_not_theirs(by, item)
    profile = Profile.objects.filter(user_id=item.author_id).first() if item.author_id else None
    if profile is None:
        raise ModerationError(_("The author's account no longer exists; hide the item instead."))
    # reports first: if another moderator decided meanwhile, nobody is suspended or signed out
    closed = _close_reports(item, report, Status.SUSPENDED, by, note)
    if profile.status != Profile.Status.SUSPENDED:
        try:
            suspend_member(profile=profile, by=by, reason=reason.strip())
        except MembershipError as error:  # NotAllowed (staff, or no right to suspend) is one of these
            raise NotAllowed(
                _("You cannot suspend %(name)s (%(why)s).") % {"name": profile.display_name, "why": error}
            ) from error
    if not item.is_hidden:
        item.hide(by=by, reason=reason.strip())
    log(item, "network.suspend_author", user=by, data={"reason": reason.strip(), "reports": closed})
    return item


def _locked_item(report: Report | None, item: MemberContent | None, *, missing_ok: bool = False):
    """The item, re-read and locked, so two moderators acting on it at once act one after the other."""
    if item is None:
        model = member_content_model(report.content_type_id) if report is not None else None
        pk = report.object_id if report is not None else None
    else:
        model, pk = item._meta.model, item.pk
    found = model._default_manager.select_for_update().filter(pk=pk).first() if model else None
    if found is None and not missing_ok:
        raise ModerationError(_("That item no longer exists."))
    return found


def _close_reports(item, report: Report | None, status: str, by, note: str) -> list[int]:
    """Close every open report on the item (locking them first) and tell each reporter the outcome. When
    the moderator acted on a particular report, it must still be open: if someone decided it meanwhile,
    nothing happens and they are told so."""
    if item is not None:
        key = _key(item)
    else:  # the item is gone; its reports can still be closed
        key = {"content_type_id": report.content_type_id, "object_id": report.object_id}
    waiting = list(
        open_reports().filter(**key).select_for_update(of=("self",)).select_related("reporter").order_by("pk")
    )
    if report is not None and report.pk not in {r.pk for r in waiting}:
        raise AlreadyDecided(_("Another moderator has decided about this report already."))
    ids = [r.pk for r in waiting]
    now, note = timezone.now(), note.strip()
    # conditional, so a database without row locks (SQLite) still lets only one decision through
    updated = Report.objects.filter(pk__in=ids, status=Status.OPEN).update(
        status=status, decided_at=now, decided_by=by, decision_note=note
    )
    if updated != len(ids):
        raise AlreadyDecided(_("Another moderator has decided about this report already."))
    title = item.content_title if item is not None else _("something you reported")
    for closed in waiting:
        closed.status, closed.decided_at, closed.decision_note = status, now, note
        _tell_reporter(closed, title)
    return ids


def _tell_reporter(closed: Report, title: str) -> None:
    """The outcome, in the site's words and the moderator's note; never the reporter's own words."""
    reporter = closed.reporter
    if reporter is None or not reporter.email or not reporter.is_active:
        return
    if not is_member(reporter):  # no longer a member: members-only titles are no longer theirs to read
        title = _("something you reported")
    queue_templated_email(
        template_prefix="network/email/report_decided",
        context={
            "report": closed,
            "title": title,
            "outcome": closed.status,
            "note": closed.decision_note,
            "network_url": conf.SITE_URL + reverse("network:home"),
        },
        to=[reporter.email],
    )
