"""Everything that changes the blog: writing, publishing, editing and deleting posts; commenting; counting
views. Each service owns its transaction; notifications go through the core's outbox in the same one."""

from datetime import timedelta

from django.core.cache import cache
from django.core.files import File
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from network import conf, fragments
from network.access import is_member
from network.models import may_see_hidden
from network.services import notifications

from .forms import PENDING_DIR, PENDING_MAX_AGE
from .models import Comment, Post, PostRevision, post_image_path

NEW_COMMENT_EMAIL = "network_blog/email/new_comment"


class BlogError(Exception):
    """A change the person may not make, with a message to show them."""


def save_post(*, form, author, publish: bool) -> Post:
    """Create or edit a post from a valid PostForm. Publishing sets the publication time once; editing a
    published post keeps the previous version for moderators and marks the post "edited"."""
    post = form.save(commit=False)  # builds the instance and readies save_m2m(); nothing written yet
    creating = post.pk is None
    if not creating and post.author_id != author.pk:
        raise BlogError("Only its author can edit a post.")
    with transaction.atomic():
        if not creating:
            previous = Post.objects.select_for_update().get(pk=post.pk)
            if (
                previous.visibility != post.visibility == Post.Visibility.PUBLIC
                and previous.comments.exists()
            ):
                post.public_since = timezone.now()  # what members wrote before stays theirs
            if previous.is_published and (previous.title, previous.body) != (post.title, post.body):
                PostRevision.objects.create(post=previous, title=previous.title, body=previous.body)
                post.edited_at = timezone.now()
        post.author = author
        post.submission_key = form.cleaned_data.get("submission_key") if creating else post.submission_key
        _settle_image(post, form, previous.image.name if not creating else "")
        if publish and post.status != Post.Status.PUBLISHED:
            post.status, post.published_at = Post.Status.PUBLISHED, timezone.now()
        post.save()
        form.save_m2m()
        if creating:
            notifications.watch_automatically(author, post)
        log(instance=post, action="network_blog.publish" if publish else "network_blog.save", user=author)
    return post


def _settle_image(post: Post, form, old_name: str) -> None:
    """Removing, replacing, or adopting the image kept from a preview (copied to the post's own name, so the
    job that deletes stale preview images never takes one in use). Files no longer used go after commit."""
    pending = form.cleaned_data.get("pending_image")
    storage = post.image.storage
    if form.cleaned_data.get("remove_image"):
        post.image = ""
    elif pending and not form.files.get("image") and storage.exists(pending):  # gone: sent twice, or pruned
        with storage.open(pending, "rb") as kept:
            post.image.save(post_image_path(post, "post.jpg"), File(kept), save=False)
        transaction.on_commit(lambda: storage.delete(pending))
    if old_name and old_name != post.image.name:
        transaction.on_commit(lambda: storage.delete(old_name))


def prune_pending_images(*, older_than: timedelta = timedelta(seconds=PENDING_MAX_AGE)) -> int:
    """Delete images kept for previews that were never published (the periodic job)."""
    storage = Post.image.field.storage  # where the form keeps them: the post images' own storage
    try:
        _, names = storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    stale = timezone.now() - older_than
    gone = 0
    for name in names:
        path = PENDING_DIR + name
        if storage.get_modified_time(path) < stale:
            storage.delete(path)
            gone += 1
    return gone


def existing_submission(model, author, key) -> object | None:
    """What a repeated form submission (a double click, a resent POST) already made."""
    return model.submitted(author, key)


def delete_post(*, post: Post, by) -> None:
    """Soft delete, by its author or a moderator; moderators can restore it."""
    if by.pk != post.author_id and not may_see_hidden(by):
        raise BlogError("Only its author or a moderator can delete a post.")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now(), deleted_by=by)
        fragments.bump("blog")  # update() sends no signal
        log(instance=post, action="network_blog.delete", user=by)


def restore_post(*, post: Post, by) -> None:
    if not may_see_hidden(by):
        raise BlogError("Only moderators can restore a deleted post.")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(deleted_at=None, deleted_by=None)
        fragments.bump("blog")
        log(instance=post, action="network_blog.restore", user=by)


def add_comment(
    *, post: Post, author, body: str, parent: Comment | None = None, submission_key=None
) -> Comment:
    """A comment (or a reply to a top-level comment): the author starts watching the post, and every
    other watcher who may see it is told, once."""
    if not post.is_visible_to(author) or not post.is_published:
        raise BlogError("You cannot comment on this post.")
    if parent is not None:
        parent = Comment.objects.get(pk=parent.parent_id) if parent.parent_id else parent  # one level
        if parent.post_id != post.pk or parent.is_hidden or parent.is_removed:
            raise BlogError("That comment cannot be replied to.")

    @transaction.atomic
    def make() -> Comment:
        comment = Comment.objects.create(
            post=post, author=author, body=body, parent=parent, submission_key=submission_key
        )
        recount_comments(post)
        notifications.watch_automatically(author, post)
        notifications.notify_watchers(comment, template_prefix=NEW_COMMENT_EMAIL, context={"post": post})
        return comment

    return Comment.create_once(author=author, key=submission_key, make=make)


def may_edit_comment(comment: Comment, user) -> bool:
    window = timedelta(seconds=conf.EDIT_WINDOW_SECONDS)
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_hidden
        and not comment.is_removed
        and timezone.now() - comment.created_at < window
    )


def edit_comment(*, comment: Comment, by, body: str) -> Comment:
    if not may_edit_comment(comment, by):
        raise BlogError("This comment can no longer be edited.")
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def delete_comment(*, comment: Comment, by) -> None:
    """By its author: it goes, leaving "comment removed" where others replied to it."""
    if by.pk != comment.author_id:
        raise BlogError("Only its author can delete a comment.")
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now())
        recount_comments(comment.post)


def recount_comments(post: Post) -> None:
    """The post's count of comments readers can see, recomputed in the database (right under concurrency)."""
    Post.objects.filter(pk=post.pk).update(comment_count=visible_comment_count())
    fragments.bump("blog", post_version(post.pk))  # the listings show the count; its page the comments


def visible_comment_count():
    """An expression for a post's count of what readers see: comments neither hidden nor removed, nor
    replies in a hidden thread (for `update(comment_count=...)`, one post or all of them at once)."""
    visible = (
        Comment.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True, deleted_at__isnull=True)
        .exclude(parent__hidden_at__isnull=False)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(visible), 0)


def post_version(pk: int) -> str:
    """The name of the version a post's kept copy and its kept pages of comments depend on (network.fragments),
    besides "blog": bumped by any change to its comments and when its view count is written."""
    return f"post:{pk}"


# -- view counts: counted in the cache on each view, written to the database by the periodic job --------

VIEWS = "network_blog:views:{}"  # the count not yet written, per post
FLAGGED = "network_blog:views-flagged:{}"  # the post has a slot in the list below
SLOTS = "network_blog:views-slots"  # a counter; slot N holds a post's id (add/incr only: no lost updates)
SLOT = "network_blog:views-slot:{}"
FLUSHED = "network_blog:views-flushed"  # the last slot the job has written
SEEN = "network_blog:seen:{}:{}"  # one view per reader per post per half hour
KEEP = 7 * 24 * 60 * 60
BOTS = ("bot", "crawl", "spider", "slurp", "preview", "fetch", "monitor", "curl", "wget", "python-requests")


def count_view(request, post: Post) -> bool:
    """Count one view, without a database write: not the author's own, not a bot's, not a reload."""
    user = request.user
    agent = request.headers.get("User-Agent", "").lower()
    if (user.is_authenticated and user.pk == post.author_id) or not agent or any(b in agent for b in BOTS):
        return False
    reader = f"u{user.pk}" if user.is_authenticated else "a" + request.META.get("REMOTE_ADDR", "")
    if not cache.add(SEEN.format(post.pk, reader), 1, 30 * 60):
        return False
    cache.add(VIEWS.format(post.pk), 0, KEEP)
    cache.incr(VIEWS.format(post.pk))
    if cache.add(FLAGGED.format(post.pk), 1, KEEP):
        cache.add(SLOTS, 0, None)
        cache.set(SLOT.format(cache.incr(SLOTS)), post.pk, KEEP)
    return True


def flush_view_counts() -> int:
    """Write the views counted since the last run; returns how many posts changed. Safe to run twice at
    once: each count is taken from the cache with an atomic decrement before it is added."""
    last, newest = cache.get(FLUSHED, 0), cache.get(SLOTS, 0)
    if newest <= last:
        return 0
    slots = [SLOT.format(n) for n in range(last + 1, newest + 1)]
    post_ids = set(cache.get_many(slots).values())
    cache.set(FLUSHED, newest, None)
    cache.delete_many([FLAGGED.format(pk) for pk in post_ids] + slots)
    changed = 0
    for pk in post_ids:
        views = cache.get(VIEWS.format(pk), 0)
        if views:
            cache.decr(VIEWS.format(pk), views)
            changed += Post.objects.filter(pk=pk).update(view_count=F("view_count") + views)
            fragments.bump(post_version(pk))  # its kept copy holds the count written before
    return changed


def pending_views(post: Post) -> int:
    return cache.get(VIEWS.format(post.pk), 0)


THREADS_PER_PAGE = 50  # top-level comments per page of a post, each with all its replies


def comment_threads(post: Post) -> models.QuerySet:
    """Every top-level comment of the post in order, shown or not: pages of comments are cut from this
    same list for every reader, so a comment's address (its page) is the same for all."""
    return post.comments.filter(parent__isnull=True).order_by("created_at", "id")


def visible_comments(post: Post, viewer, page_number=None) -> tuple[Page, list[Comment]]:
    """One page of the post's comments as the viewer sees them: top-level ones each with `.shown_replies`.
    Moderators see hidden ones (marked); a removed comment stays as "comment removed" only above visible
    replies. Three queries, whatever the number of comments."""
    page = Paginator(comment_threads(post).values_list("pk", flat=True), THREADS_PER_PAGE).get_page(
        page_number
    )
    thread_ids = list(page.object_list)
    moderator = may_see_hidden(viewer)
    comments = (
        Comment.objects.filter(Q(pk__in=thread_ids) | Q(parent_id__in=thread_ids))
        .select_related("author__network_profile")
        .order_by("created_at", "id")
    )
    if not moderator:
        comments = comments.filter(hidden_at__isnull=True)
    if post.public_since and not is_member(viewer):  # written for members, before the post was opened
        comments = comments.filter(created_at__gte=post.public_since)
    top, replies = [], {}
    for comment in comments:
        comment.post = post  # already read: their templates and links need no query for it
        if comment.parent_id:
            if not comment.is_removed:
                replies.setdefault(comment.parent_id, []).append(comment)
        else:
            top.append(comment)
    for comment in top:
        comment.shown_replies = replies.get(comment.pk, [])
    for comment in comments:  # already fetched: no query
        comment.editable = may_edit_comment(comment, viewer)
    return page, [c for c in top if not c.is_removed or c.shown_replies]


def comment_page_number(comment: Comment) -> int:
    """Which page of its post a comment is on (its thread's place among the post's top-level comments)."""
    thread = comment.parent if comment.parent_id else comment
    before = comment_threads(comment.post).filter(
        Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
    )
    return before.count() // THREADS_PER_PAGE + 1


def neighbours(post: Post, viewer) -> tuple[Post | None, Post | None]:
    """The previous and next posts the viewer may see, by publication time."""
    visible = Post.objects.visible_to(viewer).only("pk", "slug", "title", "published_at")
    before = (
        visible.filter(
            Q(published_at__lt=post.published_at) | Q(published_at=post.published_at, pk__lt=post.pk)
        )
        .order_by("-published_at", "-pk")
        .first()
    )
    after = (
        visible.filter(
            Q(published_at__gt=post.published_at) | Q(published_at=post.published_at, pk__gt=post.pk)
        )
        .order_by("published_at", "pk")
        .first()
    )
    return before, after


def related(post: Post, viewer, limit: int = 3) -> list[Post]:
    """Posts sharing the most tags with this one, newest first among equals."""
    tag_ids = [tag.pk for tag in post.tags.all()]
    if not tag_ids:
        return []
    return list(
        Post.objects.visible_to(viewer)
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk=post.pk)
        .annotate(shared=Count("tagged_items"))
        .order_by("-shared", "-published_at")
        .only("pk", "slug", "title", "published_at")[:limit]
    )
