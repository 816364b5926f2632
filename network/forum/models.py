"""The forum: categories of threads, each thread an opening post with numbered replies, all members-only.

A thread and its replies are `MemberContent` (reports, hiding, notifications and data export come from the
core). Counts shown in listings (replies, threads, latest activity) are stored and recomputed in the
database inside the transaction that changes them (services.recount), so they stay right under
concurrent replies, hides and moves."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from network.access import is_member
from network.models import MemberContent

from .querysets import ReplyQuerySet, ThreadQuerySet

REPLIES_PER_PAGE = 20


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    moderators_only = models.BooleanField(
        _("only moderators start threads"),
        default=False,
        help_text=_("For announcements: members may still reply."),
    )
    # kept by services.recount_category: visible threads, and the newest activity among them
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)[:80] or "category"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:forum:category", kwargs={"slug": self.slug})

    # a category is also watched, for new threads in it (network.services.notifications)
    @property
    def content_title(self) -> str:
        return str(_("new threads in %(category)s") % {"category": self.name})

    def is_visible_to(self, user) -> bool:
        return is_member(user)


class Thread(MemberContent):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    # kept by services.recount_thread: visible replies, the newest, and the number the last one carries
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(db_index=True, editable=False)
    last_reply = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_visible_number = models.PositiveIntegerField(default=0, editable=False)
    # every reply ever numbered here, hidden ones too: the next reply takes the number after it
    last_number = models.PositiveIntegerField(default=0, editable=False)
    # merged into another thread by a moderator: its posts live there now, and its address leads there
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ThreadQuerySet.as_manager()

    class Meta(MemberContent.Meta):
        ordering = ["-pinned", "-last_activity_at", "-id"]
        indexes = [models.Index(fields=["category", "pinned", "last_activity_at"], name="thread_listing_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:200] or "thread"
        if self.last_activity_at is None:
            self.last_activity_at = self.created_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:forum:thread", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def restore(self) -> None:
        if self.merged_into_id:  # its posts live in the other thread now: shown again, it would be empty
            from network.services.moderation import NotAllowed

            raise NotAllowed(_("This thread was merged into another; its posts are there."))
        super().restore()

    @property
    def content_title(self) -> str:
        return self.title

    def container_visible_to(self, user) -> bool:
        return is_member(user)  # the forum is members-only, every category of it


class Reply(MemberContent):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    # its place in the thread, given once under the thread's row lock: stable, so links and "read up to" hold
    number = models.PositiveIntegerField(editable=False)
    # what it quotes, linked back to: an earlier reply, or the thread's opening post
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    quotes_opening_post = models.BooleanField(default=False, editable=False)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)  # kept by services.toggle_helpful

    objects = ReplyQuerySet.as_manager()

    class Meta(MemberContent.Meta):
        ordering = ["number"]
        verbose_name_plural = _("replies")
        constraints = [
            *MemberContent.Meta.constraints,
            models.UniqueConstraint(fields=["thread", "number"], name="forum_reply_number_once"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.number} to {self.thread_id}"

    def get_absolute_url(self) -> str:
        """A permalink: it finds the reply's page however many replies before it are hidden since."""
        return reverse("network:forum:reply", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"reply-{self.pk}"

    @property
    def content_title(self) -> str:
        return f"A reply in “{self.thread.title}”"

    def container_visible_to(self, user) -> bool:
        return self.thread.is_visible_to(user)

    @property
    def watch_target(self) -> Thread:
        return self.thread


class ReadState(models.Model):
    """How far a member has read a thread: the highest reply number they have had on screen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forum_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_number}"


class Reaction(models.Model):
    """A member found a reply helpful: one per member per reply (a toggle)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reactions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "reply"], name="forum_helpful_once")]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.reply_id} helpful"


class Revision(models.Model):
    """What a thread's opening post (reply empty) or a reply said before its author edited it: for moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Earlier version of {'reply ' + str(self.reply_id) if self.reply_id else 'thread ' + str(self.thread_id)}"
