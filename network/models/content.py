"""`MemberContent`: what every kind of member-written content shares (blog posts, comments, forum threads
and replies), so that reports, hiding, notifications and data export are written once in the core.

A concrete model adds what it is about (a post's title, a comment's post) and answers three questions the
core asks through this contract: `get_absolute_url()`, `container_visible_to(user)` (may this person see
where it lives?) and `watch_target` (what a member watches to hear of it)."""

from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..markup import render_markdown

MAX_BODY = 20_000  # characters of Markdown; a long blog post is about 8,000


class MemberContent(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # none: a former member whose account was deleted, their words kept
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=MAX_BODY, help_text=_("Markdown is allowed."))
    body_html = models.TextField(editable=False, default="")  # rendered and sanitised once, on save
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("why it was hidden"), blank=True)
    # The form's one-time key: however many times a double click sends it, one row (see unique constraints).
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"], name="%(app_label)s_%(class)s_once_per_submission"
            )
        ]

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @classmethod
    def submitted(cls, author, key):
        """What a repeated form submission (a double click, a resent POST) by `author` already made."""
        return cls._default_manager.filter(author=author, submission_key=key).first() if key else None

    @classmethod
    def create_once(cls, *, author, key, make: Callable[[], "MemberContent"]) -> "MemberContent":
        """`make()`'s new item, unless this submission (`author` and form `key`) made one already: however
        many times a double click sends the form, and even two requests at once (the unique constraint
        stops the second, which then returns the first's). `make` must run in its own transaction."""
        done = cls.submitted(author, key)
        if done is not None:
            return done
        try:
            return make()
        except IntegrityError:
            done = cls.submitted(author, key)
            if done is None:
                raise
            return done

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def hide(self, *, by, reason: str = "") -> None:
        """Hide from everyone but moderators; the caller logs it (network.services.moderation does)."""
        self.hidden_at, self.hidden_by, self.hidden_reason = timezone.now(), by, reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])

    def restore(self) -> None:
        self.hidden_at, self.hidden_by, self.hidden_reason = None, None, ""
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])

    def is_visible_to(self, user) -> bool:
        """Whether `user` may read this: where it lives must be visible to them, and hidden content only
        to moderators."""
        if not self.container_visible_to(user):
            return False
        return not self.is_hidden or may_see_hidden(user)

    # -- the contract each concrete model fulfils --------------------------------------------------------
    def container_visible_to(self, user) -> bool:
        raise NotImplementedError

    @property
    def watch_target(self) -> models.Model:
        """What a member watches to hear about this (a post for its comments; a thread for its replies)."""
        return self

    @property
    def content_title(self) -> str:
        """A short name for reports, notifications and the moderation queue."""
        raise NotImplementedError


def may_see_hidden(user) -> bool:
    """Moderators see hidden content (to restore it or decide reports); nobody else does. A moderator
    whose membership is suspended keeps the group but no longer its rights (as for deciding reports)."""
    from ..access import is_member

    return bool(user and is_member(user) and user.has_perm("network.moderate_content"))


def member_content_model(content_type_id: int) -> type[MemberContent] | None:
    """The `MemberContent` model a content type id names, or None: a content type id taken from a URL must
    never reach any other table (users, profiles, the outbox)."""
    from django.contrib.contenttypes.models import ContentType

    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not issubclass(model, MemberContent):
        return None
    return model


def find_member_content(content_type_id: int, object_id: int, user) -> MemberContent | None:
    """The member-written item a link names (by content type and key), if `user` may see it."""
    model = member_content_model(content_type_id)
    if model is None:
        return None
    item = model._default_manager.filter(pk=object_id).first()
    return item if item is not None and item.is_visible_to(user) else None
