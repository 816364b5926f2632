"""Members' blog posts and the comments on them, both `MemberContent` of the core."""

import math
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from network.access import is_member
from network.markup import plain_text
from network.models import ChoiceLabel, MemberContent, avatar_storage, may_see_hidden

from .querysets import CommentQuerySet, PostQuerySet

WORDS_PER_MINUTE = 230


class Category(models.Model):
    """A category of posts, managed by editors in the Wagtail admin (Snippets)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=500)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("blog category")
        verbose_name_plural = _("blog categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:blog:category", kwargs={"slug": self.slug})


class PostTag(TaggedItemBase):
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE, related_name="tagged_items")


def post_image_path(post: "Post", filename: str) -> str:
    return (
        f"blog/{uuid.uuid4().hex}.jpg"  # re-encoded as JPEG; a fresh name each time, so caches never go stale
    )


class Post(index.Indexed, MemberContent):
    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members only")
        PUBLIC = "public", _("Everyone, including people who are not signed in")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=False)
    image = models.ImageField(_("image"), upload_to=post_image_path, storage=avatar_storage, blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="posts", verbose_name=_("categories")
    )
    tags = TaggableManager(_("tags"), through=PostTag, blank=True)
    visibility = models.CharField(
        _("who can read it"), max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When a members-only post was opened to everyone: comments written before stay members-only (their
    # writers wrote for members). Empty: public from the start, or never public.
    public_since = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    view_count = models.PositiveIntegerField(default=0, editable=False)  # flushed from the cache
    comment_count = models.PositiveIntegerField(default=0, editable=False)  # visible comments

    objects = PostQuerySet.as_manager()
    visibility_label = ChoiceLabel()
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        # what visible_to() filters and listings sort on, so a search runs inside them (one query)
        *(
            index.FilterField(name)
            for name in ("status", "visibility", "deleted_at", "hidden_at", "published_at")
        ),
    ]

    class Meta(MemberContent.Meta):
        ordering = ["-published_at", "-id"]
        verbose_name = _("blog post")
        indexes = [
            models.Index(fields=["status", "visibility", "published_at"], name="post_listing_idx"),
            models.Index(fields=["author", "status", "published_at"], name="post_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:200] or "post"
        self.reading_minutes = max(1, math.ceil(len(self.body.split()) / WORDS_PER_MINUTE))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "slug", "reading_minutes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:blog:post", kwargs={"pk": self.pk, "slug": self.slug})

    @cached_property
    def description(self) -> str:
        """The first words of the body as plain text, for the page's description and Open Graph tags."""
        return Truncator(plain_text(self.body_html)).words(30, truncate=" …")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def is_public(self) -> bool:
        return self.is_published and not self.is_hidden and self.visibility == self.Visibility.PUBLIC

    @property
    def content_title(self) -> str:
        return self.title

    def container_visible_to(self, user) -> bool:
        if self.deleted_at is not None:
            return may_see_hidden(user)
        if self.status != self.Status.PUBLISHED:
            return user.is_authenticated and user.pk == self.author_id
        if self.visibility == self.Visibility.PUBLIC:
            return True
        return is_member(user)

    def image_url(self) -> str:
        if not self.image:
            return ""
        key = self.image.name.rsplit("/", 1)[-1].removesuffix(".jpg")
        return reverse("network:blog:image", kwargs={"pk": self.pk, "key": key})


class PostRevision(models.Model):
    """A post as it was before an edit, kept for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]

    def __str__(self) -> str:
        return f"{self.title} (before {self.saved_at:%Y-%m-%d %H:%M})"


class Comment(MemberContent):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )  # one level: a reply's parent is always a top-level comment
    deleted_at = models.DateTimeField(
        null=True, blank=True
    )  # by its author; "comment removed" if it has replies

    objects = CommentQuerySet.as_manager()

    class Meta(MemberContent.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"

    def get_absolute_url(self) -> str:
        """Its place on its post's page of comments (one query to find which page, once per object: every
        watcher's email about it links here)."""
        from .services import comment_page_number

        if getattr(self, "_url", None) is None:
            number = comment_page_number(self)
            query = f"?comments={number}" if number > 1 else ""
            self._url = f"{self.post.get_absolute_url()}{query}#comment-{self.pk}"
        return self._url

    @property
    def content_title(self) -> str:
        return f"A comment on “{self.post.title}”"

    @property
    def watch_target(self) -> Post:
        return self.post

    def container_visible_to(self, user) -> bool:
        if self.deleted_at is not None and not may_see_hidden(user):
            return False  # removed by its author: nobody reads (or reports) its words any more
        return self.post.is_visible_to(user)

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None
