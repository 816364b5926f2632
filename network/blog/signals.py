"""Counts that follow moderation: hiding or restoring a comment changes its post's comment count."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Comment


@receiver(post_save, sender=Comment, dispatch_uid="network_blog.recount_on_hide")
def recount_on_hide(sender, instance: Comment, update_fields=None, **kwargs) -> None:
    if update_fields and "hidden_at" in update_fields:
        from .services import recount_comments

        recount_comments(instance.post)
