"""Everything that changes membership: applying, approving, declining, suspending, exporting, deleting.

Each service owns its transaction, writes its emails to the outbox inside it, and records what happened
in Wagtail's audit log, so moderators can see who did what and when.
"""

from contextlib import suppress
from email.utils import getaddresses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.text import slugify
from wagtail.log_actions import log

from .. import conf, hooks, roles
from ..models import AddressRecord, Interest, MembershipSettings, Profile
from ..outbox import queue_templated_email

Status = Profile.Status


class MembershipError(Exception):
    """A membership change that does not fit the person's current status."""


class AlreadyApplied(MembershipError):
    """The person has applied already (or been decided on)."""


class NotAnApplicant(MembershipError):
    """Only an application can be approved or declined."""


class AddressNotVerified(MembershipError):
    """Applications come from people whose email address is confirmed."""


class NotAllowed(MembershipError):
    """This moderator may not decide about this person (themselves, or staff when not a superuser)."""


def may_moderate(*, moderator, profile: Profile) -> bool:
    """Moderators decide about members; only a superuser decides about staff (anyone who can enter the
    admin), so no moderator can suspend or lock out someone with more rights; nobody decides about themselves."""
    from ..access import is_member

    if moderator.pk == profile.user_id or not is_member(moderator):
        return False
    if not moderator.has_perm("network.moderate_profile"):
        return False
    target = profile.user
    is_staff = target.is_superuser or target.is_staff or target.has_perm("wagtailadmin.access_admin")
    return moderator.is_superuser or not is_staff


def _check_moderator(by, profile: Profile) -> None:
    if by is not None and not may_moderate(moderator=by, profile=profile):
        raise NotAllowed(profile.display_name)


MEMBER_COUNT_KEY = "network:member-count"


def member_count() -> int:
    """How many members the unfiltered directory lists. Counting every member costs more as the network
    grows (6 ms at 5,000 on PostgreSQL), so it is cached and forgotten whenever a profile or account changes."""
    count = cache.get(MEMBER_COUNT_KEY)
    if count is None:
        count = Profile.objects.members().count()
        cache.set(MEMBER_COUNT_KEY, count, 60 * 60)
    return count


def forget_member_count(**kwargs) -> None:
    cache.delete(MEMBER_COUNT_KEY)


def get_or_create_profile(user) -> Profile:
    """Everyone with an account has a profile; it starts as "not applied yet"."""
    profile = getattr(user, "network_profile", None)  # the missing-relation error is an AttributeError
    if profile is not None:
        return profile
    # Nothing of the email address goes into the name or the profile address: both are chosen on applying.
    profile, _ = Profile.objects.get_or_create(
        user=user,
        defaults={"display_name": user.get_full_name()[:80], "handle": _unique_handle(get_random_string(10))},
    )
    return profile


@transaction.atomic
def apply_for_membership(
    *, user, display_name: str, organisation: str, relationship: str, region: str, reason: str
) -> Profile:
    """Record an application; approve it at once if the site's membership rule says so."""
    profile = get_or_create_profile(user)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Status.NEW:
        raise AlreadyApplied(profile.get_status_display())
    if not _has_verified_address(user):
        raise AddressNotVerified(user.email)
    profile.display_name = display_name
    profile.handle = _unique_handle(display_name, exclude=profile.pk)
    profile.organisation = organisation
    profile.relationship = relationship
    profile.region = region
    profile.application_reason = reason
    profile.status = Status.APPLICANT
    profile.applied_at = timezone.now()
    profile.save()
    log(profile, "network.apply", user=user)
    if approves_automatically(user):
        return approve_member(profile=profile, by=None)
    history = address_history(user)
    for moderator in _moderators():
        queue_templated_email(
            template_prefix="network/email/application_received",
            context={
                "profile": profile,
                "history": history,
                "moderator": moderator,
                "review_url": _absolute(reverse("network_profiles:index") + "?status=applicant"),
            },
            to=[moderator.email],
            about=user,
        )
    return profile


def approves_automatically(user) -> bool:
    rule = MembershipSettings.load()
    if rule.policy == MembershipSettings.Policy.MODERATED or not _has_verified_address(user):
        return False
    if address_history(user):
        return False  # declined or suspended before, perhaps under a deleted account: a moderator decides
    if rule.policy == MembershipSettings.Policy.OPEN:
        return True
    return user.email.rsplit("@", 1)[-1].lower() in rule.domain_list()


@transaction.atomic
def approve_member(*, profile: Profile, by, message: str = "") -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status not in (Status.APPLICANT, Status.DECLINED):
        raise NotAnApplicant(profile.get_status_display())
    _check_moderator(by, profile)
    _decide(profile, Status.MEMBER, by, message)
    _forget_decisions(profile.user)
    profile.user.groups.add(Group.objects.get(name=roles.MEMBERS))
    _tell(profile, "approved", message=message)
    return profile


@transaction.atomic
def decline_application(*, profile: Profile, by, message: str = "") -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Status.APPLICANT:
        raise NotAnApplicant(profile.get_status_display())
    _check_moderator(by, profile)
    _decide(profile, Status.DECLINED, by, message)
    _remember_decision(profile.user, AddressRecord.Decision.DECLINED)
    _tell(profile, "declined", message=message)
    return profile


@transaction.atomic
def suspend_member(*, profile: Profile, by, reason: str) -> Profile:
    """Take away membership and end every session the person has open."""
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Status.MEMBER:
        raise MembershipError(profile.get_status_display())
    _check_moderator(by, profile)
    profile.status = Status.SUSPENDED
    profile.suspension_reason = reason
    profile.save(update_fields=["status", "suspension_reason", "updated_at"])
    profile.user.groups.remove(Group.objects.get(name=roles.MEMBERS))
    log(profile, "network.suspend", user=by, data={"reason": reason})
    _remember_decision(profile.user, AddressRecord.Decision.SUSPENDED)
    end_sessions(profile.user)
    _tell(profile, "suspended", message=reason)
    return profile


@transaction.atomic
def reinstate_member(*, profile: Profile, by) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Status.SUSPENDED:
        raise MembershipError(profile.get_status_display())
    _check_moderator(by, profile)
    profile.status = Status.MEMBER
    profile.suspension_reason = ""
    profile.save(update_fields=["status", "suspension_reason", "updated_at"])
    profile.user.groups.add(Group.objects.get(name=roles.MEMBERS))
    log(profile, "network.reinstate", user=by)
    _forget_decisions(profile.user)
    _tell(profile, "reinstated")
    return profile


def may_manage_hosts(user) -> bool:
    """Editors and moderators (and superusers) give and take the host role, while they are members
    themselves (a suspended moderator keeps the group but not its rights)."""
    from ..access import is_member

    if user is None or not is_member(user):
        return False
    return user.is_superuser or roles.in_role(user, roles.EDITORS, roles.MODERATORS)


def may_grant_host(*, by, profile: Profile) -> bool:
    """`by` may give or take `profile`'s host role: nobody changes their own."""
    return by is not None and by.pk != profile.user_id and may_manage_hosts(by)


def holds_host_role(profile: Profile) -> bool:
    """The person holds the host role (visits decides what else counts as hosting, such as moderating)."""
    return profile.user.groups.filter(name=roles.HOSTS).exists()


@transaction.atomic
def grant_host(*, profile: Profile, by) -> Profile:
    """Give an approved member the host role: they may offer study visits."""
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not may_grant_host(by=by, profile=profile):
        raise NotAllowed(profile.display_name)
    if profile.status != Status.MEMBER:
        raise MembershipError(profile.get_status_display())
    if holds_host_role(profile):
        raise MembershipError("already a host")
    profile.user.groups.add(Group.objects.get(name=roles.HOSTS))
    log(profile, "network.grant_host", user=by)
    return profile


@transaction.atomic
def revoke_host(*, profile: Profile, by) -> Profile:
    """Take the host role away (whatever the person's status: taking a role away is always safe). The
    visits they host keep them as host; moderators hand those on or cancel them."""
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not may_grant_host(by=by, profile=profile):
        raise NotAllowed(profile.display_name)
    if not holds_host_role(profile):
        raise MembershipError("not a host")
    profile.user.groups.remove(Group.objects.get(name=roles.HOSTS))
    log(profile, "network.revoke_host", user=by)
    return profile


def end_sessions(user) -> None:
    """Sign the person out everywhere (allauth's usersessions knows each of their sessions)."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()


def export_member_data(*, user) -> dict:
    """Everything the site holds about a person, as plain data for a JSON download."""
    profile = get_or_create_profile(user)
    from allauth.account.models import EmailAddress
    from wagtail.models import ModelLogEntry

    data = {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "profile": {
            field: getattr(profile, field)
            for field in [
                "handle",
                "status",
                "display_name",
                "pronouns",
                "organisation",
                "job_title",
                "relationship",
                "region",
                "bio",
                "links",
                "application_reason",
                "decision_message",
                "suspension_reason",
            ]
            + [f.name for f in Profile._meta.fields if f.name.endswith("_visibility")]
        }
        | {
            "themes": list(profile.themes.values_list("name", flat=True)),
            "interests": list(profile.interests.names()),
            "photo": bool(profile.avatar),
            "applied_at": profile.applied_at.isoformat() if profile.applied_at else None,
        },
        "history": [
            {"action": entry.action, "at": entry.timestamp.isoformat()}
            for entry in ModelLogEntry.objects.filter(
                content_type__app_label="network", content_type__model="profile", object_id=str(profile.pk)
            ).order_by("timestamp")
        ],
    }
    data.update(hooks.member_data(user))
    log(profile, "network.export", user=user)
    return data


@transaction.atomic
def delete_account(*, user, remove_content: bool) -> None:
    """Remove the person: profile, addresses and sessions go; their writing stays as "former member"
    unless they asked to remove it too."""
    profile = get_or_create_profile(user)
    hooks.before_delete_member(user, remove_content)
    if profile.status in (Status.DECLINED, Status.SUSPENDED):
        _remember_decision(user, profile.status)  # addresses added since the decision are kept too
    log(profile, "network.delete_account", user=None, data={"removed_content": remove_content})
    _forget(profile, user)
    avatar = profile.avatar.name if profile.avatar else None
    end_sessions(user)
    user.delete()
    prune_interests()
    if avatar:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(avatar))


def prune_interests() -> None:
    """Interests no profile lists any more go: a word someone kept to themselves leaves with them."""
    Interest.objects.filter(profile_items__isnull=True).delete()


def _forget(profile: Profile, user) -> None:
    """Take the person's name and words out of what outlives the account: mail addressed to them, and the
    labels and reasons in the audit log (which keeps only that something happened, and when)."""
    from wagtail.models import ModelLogEntry

    from ..models import OutboxMessage

    # Every address the person had, matched in Python: a JSON text match in the database misses addresses
    # stored escaped (non-ASCII on SQLite) and names around them ("Amara <amara@example.org>").
    theirs = {address.casefold() for address in _raw_addresses(user)}
    to_them = [
        message.pk
        for message in OutboxMessage.objects.only("pk", "to", "cc", "bcc").iterator()
        if theirs & {address.casefold() for _, address in getaddresses(message.to + message.cc + message.bcc)}
    ]
    OutboxMessage.objects.filter(pk__in=to_them).delete()
    OutboxMessage.objects.filter(about=user).delete()
    ModelLogEntry.objects.filter(
        content_type__app_label="network", content_type__model="profile", object_id=str(profile.pk)
    ).update(label="former member", data={})


def _decide(profile: Profile, status: str, by, message: str) -> None:
    profile.status = status
    profile.decided_at = timezone.now()
    profile.decided_by = by
    profile.decision_message = message
    profile.save(update_fields=["status", "decided_at", "decided_by", "decision_message", "updated_at"])
    log(profile, f"network.{'approve' if status == Status.MEMBER else 'decline'}", user=by)


def _tell(profile: Profile, what: str, message: str = "") -> None:
    queue_templated_email(
        template_prefix=f"network/email/membership_{what}",
        context={"profile": profile, "message": message, "network_url": _absolute(reverse("network:home"))},
        to=[profile.user.email],
    )


def _moderators():
    perm = Permission.objects.get(codename="moderate_profile", content_type__app_label="network")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        # a suspended or declined moderator keeps the group but must not read applications
        .filter(Q(network_profile__status=Status.MEMBER) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
    )


def address_history(user) -> list[AddressRecord]:
    """Declines and suspensions recorded for any of the person's addresses, under this or an earlier account."""
    digests = {digest for address in _verified_addresses(user) for digest in _digests(address)}
    return list(AddressRecord.objects.filter(digest__in=digests).order_by("-decided_at"))


def _remember_decision(user, decision: str) -> None:
    for address in _verified_addresses(user):
        AddressRecord.objects.update_or_create(
            digest=_digests(address)[0], defaults={"decision": decision, "decided_at": timezone.now()}
        )


def _forget_decisions(user) -> None:
    """An approval or reinstatement ends what was held against the addresses."""
    digests = {digest for address in _verified_addresses(user) for digest in _digests(address)}
    AddressRecord.objects.filter(digest__in=digests).delete()


def _raw_addresses(user) -> set[str]:
    """The person's own addresses as written: their login address and every verified one (an unverified
    address may be someone else's, whose mail is not theirs to delete)."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address for address in (user.email, *verified) if address}


def _verified_addresses(user) -> set[str]:
    """Only addresses the person proved are theirs: anyone may add someone else's address unverified, and
    must not thereby learn about that person's history, or write to it."""
    from allauth.account.models import EmailAddress

    found = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {normalise_address(address) for address in found}


GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def normalise_address(address: str) -> str:
    """One form per mailbox: lower case, no "+tag" (most providers deliver name+x@ to name@), the domain in
    its ASCII (IDNA) form, and Gmail's dots and second domain folded away (it ignores both)."""
    local, _, domain = address.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    with suppress(UnicodeError):  # not a valid international name: compared as written
        domain = domain.encode("idna").decode("ascii")
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def _digests(address: str) -> list[str]:
    """A keyed hash of the address under the current secret key first, then under each retired one, so
    rotating SECRET_KEY (with the old key in SECRET_KEY_FALLBACKS) keeps the records."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac("network.address-record", address, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def _has_verified_address(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def _unique_handle(name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:60] or "member"
    handle, n = base, 1
    while Profile.objects.filter(handle=handle).exclude(pk=exclude).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


def _absolute(path: str) -> str:
    return conf.SITE_URL + path
