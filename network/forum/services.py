"""What changes the forum: starting threads, replying, reading. Each function owns its transaction; counts
are recomputed in the database inside it (right under concurrency), and mail leaves only if it commits."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from network import fragments
from network.access import is_member
from network.models import may_see_hidden
from network.services import notifications

from .models import REPLIES_PER_PAGE, Category, Reaction, ReadState, Reply, Revision, Thread

NEW_THREAD_EMAIL = "network_forum/email/new_thread"
NEW_REPLY_EMAIL = "network_forum/email/new_reply"
MENTIONED_EMAIL = "network_forum/email/mentioned"


class ForumError(Exception):
    """Something a member asked for that the forum refuses, with a message to show them."""


def may_start_thread(user, category: Category) -> bool:
    return is_member(user) and (not category.moderators_only or may_see_hidden(user))


def start_thread(*, category: Category, author, title: str, body: str, submission_key=None) -> Thread:
    """A new thread: its starter watches it, and everyone watching the category who may read it is told."""
    if not may_start_thread(author, category):
        raise ForumError(_("Only moderators start threads in “%(category)s”.") % {"category": category})

    @transaction.atomic
    def make() -> Thread:
        thread = Thread.objects.create(
            category=category, author=author, title=title, body=body, submission_key=submission_key
        )
        recount_category(category.pk)
        mark_read(author, thread, 0)  # its starter has read the opening post
        notifications.watch_automatically(author, thread)
        notifications.notify_watchers(
            thread, template_prefix=NEW_THREAD_EMAIL, context={"thread": thread}, target=category
        )
        notifications.notify_mentioned(thread, template_prefix=MENTIONED_EMAIL, context={"thread": thread})
        return thread

    return Thread.create_once(author=author, key=submission_key, make=make)


def add_reply(
    *, thread: Thread, author, body: str, quoted: Thread | Reply | None = None, submission_key=None
) -> Reply:
    """A reply, numbered after every reply before it (under the thread's row lock), perhaps quoting the
    thread's opening post or an earlier reply: its writer watches the thread and has read it to here; every
    other watcher who may read it is told, once."""

    @transaction.atomic
    def make() -> Reply:
        # the lock orders concurrent replies (PostgreSQL; SQLite's IMMEDIATE transactions serialise them)
        locked = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        if not locked.is_visible_to(author) or locked.is_hidden:
            raise ForumError(_("This thread is not open for replies."))
        if locked.is_locked:
            raise ForumError(_("This thread is locked: moderators have closed it to new replies."))
        opening = isinstance(quoted, Thread)
        if opening:
            unquotable = quoted.pk != locked.pk
        elif quoted is not None:  # as it is now, under the thread's lock (hidden a moment ago?)
            current = Reply.objects.filter(pk=quoted.pk).values_list("thread_id", "hidden_at").first()
            unquotable = current is None or current[0] != locked.pk or current[1] is not None
        else:
            unquotable = False
        if unquotable:
            raise ForumError(_("That cannot be quoted here."))
        locked.last_number += 1
        Thread.objects.filter(pk=locked.pk).update(last_number=locked.last_number)
        reply = Reply.objects.create(
            thread=locked,
            author=author,
            body=body,
            number=locked.last_number,
            quoted=None if opening else quoted,
            quotes_opening_post=opening,
            submission_key=submission_key,
        )
        recount_thread(locked.pk)
        recount_category(locked.category_id)
        mark_read(author, locked, reply.number)
        notifications.watch_automatically(author, locked)
        notifications.notify_watchers(reply, template_prefix=NEW_REPLY_EMAIL, context={"thread": locked})
        notifications.notify_mentioned(reply, template_prefix=MENTIONED_EMAIL, context={"thread": locked})
        return reply

    return Reply.create_once(author=author, key=submission_key, make=make)


def recount_thread(thread_id: int) -> None:
    """The thread's visible replies, its newest one and latest activity, from its rows (not by +1: a hide,
    a restore or a move recounts the same way)."""
    recount_threads(Thread.objects.filter(pk=thread_id))


def recount_threads(threads) -> None:
    """recount_thread for every thread of a queryset, in one UPDATE (seed_bench recounts them all)."""
    visible = Reply.objects.filter(thread=OuterRef("pk"), hidden_at__isnull=True)
    latest = visible.order_by("-created_at", "-number")  # by time: merged-in replies keep theirs
    highest = visible.order_by("-number")  # what "read up to" is measured against
    threads.update(
        reply_count=Coalesce(
            Subquery(visible.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1]), 0
        ),
        last_reply=Subquery(latest.values("pk")[:1]),
        last_visible_number=Coalesce(Subquery(highest.values("number")[:1]), 0),
        last_activity_at=Greatest(
            "created_at", Coalesce(Subquery(latest.values("created_at")[:1]), "created_at")
        ),
    )
    fragments.bump("forum")


def recount_category(category_id: int) -> None:
    threads = Thread.objects.filter(category_id=category_id, hidden_at__isnull=True)
    found = threads.aggregate(count=Count("pk"), newest=Max("last_activity_at"))
    Category.objects.filter(pk=category_id).update(
        thread_count=found["count"], last_activity_at=found["newest"]
    )
    fragments.bump("forum")


def thread_version(pk: int) -> str:
    """The name of the version a thread's kept pages of replies depend on (network.fragments), besides
    "members": bumped by any change to the thread or its replies (signals)."""
    return f"thread:{pk}"


def mark_read(user, thread: Thread, number: int, *, known: int | None = -1) -> bool:
    """Record that `user` has read `thread` up to reply `number` (0: the opening post): one upsert, and only
    when it moves forward (a page already read writes nothing). Returns whether it wrote. `known`: how far
    the caller found they had read already (None: never opened), which saves reading it again."""
    if not user.is_authenticated or number < 0:
        return False
    state = known
    if state == -1:
        state = (
            ReadState.objects.filter(user=user, thread=thread)
            .values_list("last_read_number", flat=True)
            .first()
        )
    if state is not None and state >= number:
        return False
    if state is None:  # an upsert: two tabs opening the thread at once make one row
        ReadState.objects.bulk_create(
            [ReadState(user=user, thread=thread, last_read_number=number)],
            update_conflicts=True,
            unique_fields=["user", "thread"],
            update_fields=["last_read_number"],
        )
    else:  # only ever forward, whatever another tab wrote meanwhile
        ReadState.objects.filter(user=user, thread=thread, last_read_number__lt=number).update(
            last_read_number=number
        )
    fragments.bump(reader_version(user.pk))
    return True


def read_up_to(user, thread_ids) -> dict[int, int]:
    """How far `user` has read each of these threads (absent: not opened yet). One query."""
    return dict(
        ReadState.objects.filter(user=user, thread_id__in=list(thread_ids)).values_list(
            "thread_id", "last_read_number"
        )
    )


def reader_version(user_id: int) -> str:
    """The name of the version (network.fragments) that what is kept of how far `user_id` has read depends
    on: bumped by every write of it (mark_read), now and at commit."""
    return f"forum-reader:{user_id}"


def read_names(user_id: int, thread_id: int) -> dict:
    """What names `read_up_to_one`'s kept answer (network.fragments.fragment's arguments but `build`)."""
    return {
        "name": "forum-read",
        "depends_on": [reader_version(user_id)],
        "audience": user_id,
        "vary": thread_id,
    }


def read_up_to_one(user, thread_id: int) -> int | None:
    """How far `user` has read this thread (None: not opened yet): kept until they read further anywhere,
    so a thread's page, read far more often than it moves on, costs no query for it."""
    (number,) = fragments.fragment(
        **read_names(user.pk, thread_id), build=lambda: (read_up_to(user, [thread_id]).get(thread_id),)
    )
    return number


def read_up_to_kept(user, thread_ids, *, vary: object) -> dict[int, int]:
    """read_up_to for a kept listing's threads (`vary` names the listing's page), kept the same way."""
    return fragments.fragment(
        "forum-read-list",
        depends_on=[reader_version(user.pk)],
        audience=user.pk,
        vary=(vary, tuple(sorted(thread_ids))),
        build=lambda: read_up_to(user, thread_ids),
    )


def page_of(reply: Reply, viewer) -> int:
    """The page of its thread `reply` is on, for `viewer` (moderators see hidden replies, others do not)."""
    before = Reply.objects.filter(thread_id=reply.thread_id, number__lt=reply.number).shown_to(viewer).count()
    return before // REPLIES_PER_PAGE + 1


def first_unread(thread: Thread, user) -> Reply | None:
    """The first reply after what `user` has read, that they may see."""
    read = (
        ReadState.objects.filter(user=user, thread=thread).values_list("last_read_number", flat=True).first()
    )
    return Reply.objects.filter(thread=thread, number__gt=read or 0).shown_to(user).order_by("number").first()


# -- moderation: pin, lock and move threads (hiding and restoring are the core's, for any MemberContent) --


def _check_moderator(by) -> None:
    from network.services.moderation import NotAllowed, may_decide

    if not may_decide(by):
        raise NotAllowed(_("Only moderators can do that."))


@transaction.atomic
def pin_thread(*, thread: Thread, by, pinned: bool) -> Thread:
    """Pinned threads head their category's list."""
    _check_moderator(by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    log(thread, "network_forum.pin" if pinned else "network_forum.unpin", user=by)
    return thread


@transaction.atomic
def lock_thread(*, thread: Thread, by, locked: bool) -> Thread:
    """A locked thread takes no more replies (and says so); it stays readable."""
    _check_moderator(by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.locked_at = timezone.now() if locked else None
    thread.save(update_fields=["locked_at"])
    log(thread, "network_forum.lock" if locked else "network_forum.unlock", user=by)
    return thread


@transaction.atomic
def move_thread(*, thread: Thread, by, category: Category) -> Thread:
    """Into another category; both categories' counts are recomputed."""
    _check_moderator(by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    before = thread.category_id
    if before == category.pk:
        return thread
    thread.category = category
    thread.save(update_fields=["category"])
    recount_category(before)
    recount_category(category.pk)
    log(thread, "network_forum.move", user=by, data={"from": before, "to": category.pk})
    return thread


# -- "helpful" -------------------------------------------------------------------------------------------


def toggle_helpful(*, reply: Reply, user) -> bool:
    """Mark the reply helpful, or take the mark back; returns whether it is marked now. Not one's own
    reply, not a hidden one. The count is recomputed from the rows (right under double clicks)."""
    if not reply.is_visible_to(user) or reply.is_hidden:
        raise ForumError(_("That reply cannot be marked."))
    if reply.author_id == user.pk:
        raise ForumError(_("You cannot mark your own reply as helpful."))
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(user=user, reply=reply).delete()
        if not deleted:
            Reaction.objects.bulk_create([Reaction(user=user, reply=reply)], ignore_conflicts=True)
        recount_helpful(Reply.objects.filter(pk=reply.pk))
        fragments.bump(thread_version(reply.thread_id))
    return not deleted


def recount_helpful(replies) -> None:
    counted = Reaction.objects.filter(reply=OuterRef("pk")).order_by().values("reply").annotate(n=Count("pk"))
    replies.update(helpful_count=Coalesce(Subquery(counted.values("n")[:1]), 0))


def helpful_to(user, thread: Thread) -> set[int]:
    """Which replies of the thread `user` has marked helpful: from the cache until the thread changes (every
    mark bumps its version), so reading a page costs no query for it."""
    return fragments.fragment(
        **helpful_names(user, thread.pk),
        build=lambda: set(
            Reaction.objects.filter(user=user, reply__thread=thread).values_list("reply_id", flat=True)
        ),
    )


def helpful_names(user, thread_id: int) -> dict:
    """What names `helpful_to`'s kept answer (network.fragments.fragment's arguments but `build`)."""
    return {
        "name": "forum-helpful",
        "depends_on": [thread_version(thread_id)],
        "audience": user.pk,
        "vary": thread_id,
    }


# -- editing: by the author, with the earlier version kept for moderators ---------------------------------


def may_edit(item: Thread | Reply, user) -> bool:
    thread = item if isinstance(item, Thread) else item.thread
    return (
        user.is_authenticated
        and item.author_id == user.pk
        and not item.is_hidden
        and not thread.is_hidden
        and not thread.is_locked
        and is_member(user)
    )


@transaction.atomic
def edit_thread(*, thread: Thread, by, title: str, body: str) -> Thread:
    if not may_edit(thread, by):
        raise ForumError(_("This thread can no longer be edited."))
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not may_edit(thread, by):  # again, as it is now: locked or hidden a moment ago
        raise ForumError(_("This thread can no longer be edited."))
    if (thread.title, thread.body) == (title, body):
        return thread
    Revision.objects.create(thread=thread, title=thread.title, body=thread.body)
    thread.title, thread.body, thread.edited_at = title, body, timezone.now()
    thread.save(update_fields=["title", "body", "edited_at"])
    return thread


@transaction.atomic
def edit_reply(*, reply: Reply, by, body: str) -> Reply:
    if not may_edit(reply, by):
        raise ForumError(_("This reply can no longer be edited."))
    reply = Reply.objects.select_for_update().select_related("thread").get(pk=reply.pk)
    if not may_edit(reply, by):
        raise ForumError(_("This reply can no longer be edited."))
    if reply.body == body:
        return reply
    Revision.objects.create(thread_id=reply.thread_id, reply=reply, body=reply.body)
    reply.body, reply.edited_at = body, timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    return reply


@transaction.atomic
def merge_threads(*, source: Thread, into: Thread, by) -> Thread:
    """Move `source` into `into`: its opening post becomes a reply there, then its replies, in their order,
    numbered after the last reply there (each keeps its key, so every link to it still finds it); quotes,
    earlier versions and watchers follow. `source` is hidden and its address leads to `into`."""
    from network.models import Subscription

    _check_moderator(by)
    if source.pk == into.pk:
        raise ForumError(_("A thread cannot be merged into itself."))
    locked = {
        t.pk: t for t in Thread.objects.select_for_update().filter(pk__in=[source.pk, into.pk]).order_by("pk")
    }
    source, into = locked.get(source.pk), locked.get(into.pk)
    if source is None or into is None or source.merged_into_id or into.merged_into_id:
        raise ForumError(_("One of these threads has been merged or deleted already."))
    if source.is_hidden or into.is_hidden:  # merging must not publish what moderators hid
        raise ForumError(_("Show a hidden thread again before merging it, or merge into one that is shown."))
    start = into.last_number
    opening = Reply(
        thread=into,
        author_id=source.author_id,
        body=source.body,
        number=start + 1,
        created_at=source.created_at,
        edited_at=source.edited_at,
    )
    opening.save()
    moved = Reply.objects.filter(thread=source)
    moved.filter(quotes_opening_post=True).update(quotes_opening_post=False, quoted=opening)
    moved.update(thread=into, number=F("number") + start + 1)
    Revision.objects.filter(thread=source, reply=None).update(thread=into, reply=opening)
    Revision.objects.filter(thread=source).update(thread=into)
    Thread.objects.filter(pk=into.pk).update(last_number=start + 1 + source.last_number)
    # watchers of the source watch the merged thread (unless they chose about it already)
    thread_type = ContentType.objects.get_for_model(Thread)
    already = Subscription.objects.filter(content_type=thread_type, object_id=into.pk).values("user_id")
    watchers = Subscription.objects.filter(content_type=thread_type, object_id=source.pk)
    moving = list(watchers.filter(active=True).exclude(user_id__in=already).values_list("user_id", flat=True))
    watchers.filter(user_id__in=moving).update(object_id=into.pk)
    watchers.delete()  # the rest: they stopped watching it, or watch the other already
    for user_id in moving:
        notifications.forget_watching(user_id, into)
    Thread.objects.filter(merged_into=source).update(merged_into=into)  # earlier merges lead here too
    ReadState.objects.filter(thread=source).delete()
    source.merged_into = into
    source.hidden_at, source.hidden_by, source.hidden_reason = (
        timezone.now(),
        by,
        f"Merged into “{into.title}”",
    )
    source.save(update_fields=["merged_into", "hidden_at", "hidden_by", "hidden_reason"])
    recount_threads(Thread.objects.filter(pk__in=[source.pk, into.pk]))
    for category_id in {source.category_id, into.category_id}:
        recount_category(category_id)
    fragments.bump(thread_version(into.pk), thread_version(source.pk))
    log(into, "network_forum.merge", user=by, data={"from": source.pk, "title": source.title})
    return into
