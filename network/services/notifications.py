"""Watching and notifications: members watch a target (a post, a thread); a new item there (a comment, a
reply) notifies every watcher who may see it, except its author, by one email each through the outbox,
with a one-click unsubscribe link. Works on any `MemberContent` through its `watch_target`."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import conf
from ..models import Notification, Profile, Subscription
from ..outbox import queue_templated_email

UNSUBSCRIBE_SALT = "network.unsubscribe"


def _key(target) -> dict:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def watch(user, target) -> None:
    """Start (or resume) watching `target`."""
    Subscription.objects.update_or_create(user=user, **_key(target), defaults={"active": True})
    forget_watching(user.pk, target, now=True)


def unwatch(user, target) -> None:
    """Stop watching. The row stays, inactive, so commenting there again does not quietly resume it."""
    Subscription.objects.update_or_create(user=user, **_key(target), defaults={"active": False})
    forget_watching(user.pk, target, now=False)


def watch_automatically(user, target) -> None:
    """What writing a post or a comment does: watch it, unless the person once chose to stop."""
    Subscription.objects.bulk_create([Subscription(user=user, **_key(target))], ignore_conflicts=True)
    forget_watching(user.pk, target)


WATCHING_KEY = "network:watching:{}:{}:{}"


def is_watching(user, target) -> bool:
    """Whether `user` watches `target`, from the cache: asked on every page of a post a member reads (its one
    query was a tenth of the page); every change above forgets the answer."""
    if not user.is_authenticated:
        return False
    key = WATCHING_KEY.format(user.pk, ContentType.objects.get_for_model(target).pk, target.pk)
    watching = cache.get(key)
    if watching is None:
        watching = int(Subscription.objects.filter(user=user, active=True, **_key(target)).exists())
        cache.set(key, watching, conf.WATCHING_CACHE_SECONDS)
    return bool(watching)


def forget_watching(user_id: int, target=None, *, content_type_id=None, object_id=None, now=None) -> None:
    """Forget the kept answer now and again at commit (a read in between could keep the one from before);
    where the new answer is known (`now`), keep it at commit instead."""
    if target is not None:
        content_type_id, object_id = ContentType.objects.get_for_model(target).pk, target.pk
    key = WATCHING_KEY.format(user_id, content_type_id, object_id)
    cache.delete(key)
    if now is None:
        transaction.on_commit(lambda: cache.delete(key))
    else:
        transaction.on_commit(lambda: cache.set(key, int(now), conf.WATCHING_CACHE_SECONDS))


def notify_watchers(item, *, template_prefix: str, context: dict, target=None) -> int:
    """Tell everyone watching `target` (by default `item.watch_target`) who may see `item` about it, except
    its author: one Notification each (unique, so a retry tells nobody twice) and, for those who want them,
    one email. Call inside the transaction that creates `item`; mail leaves only if it commits. Returns how
    many people were told. (A new forum thread is news to those watching its category: `target=category`.)"""
    target = item.watch_target if target is None else target
    watchers = (
        Subscription.objects.filter(active=True, **_key(target))
        .exclude(user_id=item.author_id)
        .filter(user__is_active=True)
        .select_related("user__network_profile")
    )
    told = [sub for sub in watchers if item.is_visible_to(sub.user)]
    if not told:
        return 0
    item_type = ContentType.objects.get_for_model(item)
    created = Notification.objects.bulk_create(
        [Notification(user=sub.user, content_type=item_type, object_id=item.pk) for sub in told],
        ignore_conflicts=True,
    )
    already = set(
        Notification.objects.filter(content_type=item_type, object_id=item.pk, emailed=True).values_list(
            "user_id", flat=True
        )
    )
    emailed = []
    for sub in told:
        profile = getattr(sub.user, "network_profile", None)
        # "daily": the Notification waits for send_digests; "never": it stays on the site
        wants_email = profile is not None and profile.email_notifications == Profile.EmailNotifications.EACH
        if not wants_email or not sub.user.email or sub.user.pk in already:
            continue
        unsubscribe_url = conf.SITE_URL + reverse(
            "network:unsubscribe", kwargs={"token": unsubscribe_token(sub)}
        )
        queue_templated_email(
            template_prefix=template_prefix,
            context={
                **context,
                "item": item,
                "target": target,
                "recipient": sub.user,
                "site_url": conf.SITE_URL,
                "unsubscribe_url": unsubscribe_url,
            },
            to=[sub.user.email],
            about=item.author,  # it quotes their words: gone with their account if it is removed unsent
            headers={  # RFC 8058: mail programs show "Unsubscribe" and POST to it in one click
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        emailed.append(sub.user.pk)
    if emailed:
        Notification.objects.filter(content_type=item_type, object_id=item.pk, user_id__in=emailed).update(
            emailed=True
        )
    return len(created)


def unsubscribe_token(subscription: Subscription) -> str:
    """A link that stops this one subscription, for whoever holds the email: signed, so it cannot be
    guessed or pointed at someone else's; it never expires (old emails keep working)."""
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def subscription_for_token(token: str) -> Subscription | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Subscription.objects.filter(pk=pk).select_related("user__network_profile", "content_type").first()


def unsubscribe(subscription: Subscription, *, everything: bool = False) -> None:
    """Stop the subscription; with `everything`, stop all notification email for its person too."""
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(active=False)
        forget_watching(
            subscription.user_id,
            content_type_id=subscription.content_type_id,
            object_id=subscription.object_id,
            now=False,
        )
        if everything:
            Profile.objects.filter(user_id=subscription.user_id).update(
                email_notifications=Profile.EmailNotifications.NEVER
            )


def notify_mentioned(item, *, template_prefix: str, context: dict, limit: int = 10) -> int:
    """Tell the members `item` mentions by @handle (the first `limit`, so a list of names is not a way to
    mail everyone) who may see it, except its author, once each: through a subscription to mentions of them
    (their own profile as the target), so they can stop these emails with one click like any other. Anyone
    already told about `item` as a watcher is not emailed again. Returns how many were told."""
    from ..markup import mentioned_handles

    handles = sorted(mentioned_handles(item.body))[:limit]
    if not handles:
        return 0
    profiles = list(
        Profile.objects.members()
        .filter(handle__in=handles)
        .exclude(user_id=item.author_id)
        .select_related("user")
    )
    told = 0
    where = _key(item.watch_target)
    for profile in profiles:
        if not item.is_visible_to(profile.user):
            continue
        # one mention email per writer, person and discussion an hour: naming someone in every reply is
        # not a way to flood their inbox (the first tells them where to look)
        if not cache.add(
            f"network:mentioned:{item.author_id}:{profile.user_id}:{where['content_type'].pk}:"
            f"{where['object_id']}",
            1,
            60 * 60,
        ):
            continue
        watch_automatically(profile.user, profile)  # stays stopped if they once stopped it
        told += notify_watchers(item, template_prefix=template_prefix, context=context, target=profile)
    return told


# -- the daily email, for members who chose it ------------------------------------------------------------

DIGEST_EMAIL = "network/email/digest"
DIGEST_SALT = "network.digest"
DIGEST_EVERY = timedelta(hours=23)  # a day, give or take when the job runs
DIGEST_BACKLOG = timedelta(days=2)
DIGEST_MOST = 100  # items in one email


def send_digests(now=None) -> int:
    """One email to each member who chose a daily one and was told of something since their last: every
    item (comment, reply, thread) they may still see, with its link. Safe to run twice at once: each member's
    email is claimed with a conditional update first. Returns how many were sent."""
    now = now or timezone.now()
    due = (
        Profile.objects.members()
        .filter(email_notifications=Profile.EmailNotifications.DAILY)
        .filter(models.Q(digest_sent_at__isnull=True) | models.Q(digest_sent_at__lte=now - DIGEST_EVERY))
    )
    pending = Notification.objects.filter(user_id=models.OuterRef("user_id"), emailed=False)
    sent = 0
    for profile in due.filter(models.Exists(pending)).select_related("user"):
        sent += _send_digest(profile, now)
    return sent


@transaction.atomic
def _send_digest(profile: Profile, now) -> int:
    claimed = Profile.objects.filter(pk=profile.pk, digest_sent_at=profile.digest_sent_at).update(
        digest_sent_at=now
    )
    if not claimed:
        return 0  # another run has it
    # everything not emailed yet from the last two days (a reply written just before the last run but
    # committed after it is in this one); older ones wait from before the member chose a daily email
    waiting = Notification.objects.filter(user=profile.user, emailed=False)
    told = list(waiting.filter(created_at__gt=now - DIGEST_BACKLOG).order_by("created_at")[:DIGEST_MOST])
    waiting.filter(Q(pk__in=[note.pk for note in told]) | Q(created_at__lte=now - DIGEST_BACKLOG)).update(
        emailed=True
    )
    from .moderation import items_for

    found = items_for((note.content_type_id, note.object_id) for note in told)
    items = [
        item
        for note in told
        if (item := found.get((note.content_type_id, note.object_id))) is not None
        and item.is_visible_to(profile.user)
    ]
    if not items or not profile.user.email:
        return 0
    stop_url = conf.SITE_URL + reverse("network:stop_digest", kwargs={"token": digest_token(profile.user)})
    queue_templated_email(
        template_prefix=DIGEST_EMAIL,
        context={
            "recipient": profile.user,
            "items": items,
            "site_url": conf.SITE_URL,
            "unsubscribe_url": stop_url,
        },
        to=[profile.user.email],
        headers={"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    return 1


def digest_token(user) -> str:
    return signing.dumps(user.pk, salt=DIGEST_SALT)


def user_for_digest_token(token: str):
    from django.contrib.auth import get_user_model

    try:
        pk = signing.loads(token, salt=DIGEST_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_digest(user) -> None:
    Profile.objects.filter(user=user).update(email_notifications=Profile.EmailNotifications.NEVER)
