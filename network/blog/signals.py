"""What follows changes to the blog: hiding or restoring a comment changes its post's comment count, and
any change to posts, comments, categories or tags makes the kept listings stale (network.fragments)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from network import fragments

from .models import Category, Comment, Post


@receiver(post_save, sender=Comment, dispatch_uid="network_blog.recount_on_hide")
def recount_on_hide(sender, instance: Comment, update_fields=None, **kwargs) -> None:
    if update_fields and "hidden_at" in update_fields:
        from .services import recount_comments

        recount_comments(instance.post)


def blog_changed(sender, instance=None, **kwargs) -> None:
    fragments.bump("blog")
    if isinstance(instance, Comment):  # edited, hidden, restored, deleted: its post's pages of comments
        from .services import post_version

        fragments.bump(post_version(instance.post_id))


for model in (Post, Comment, Category):
    for signal in (post_save, post_delete):
        signal.connect(
            blog_changed, sender=model, dispatch_uid=f"network_blog.fragments.{signal}.{model.__name__}"
        )
for signal in (post_save, post_delete):  # a tag renamed or deleted (its PostTag rows go without a signal)
    signal.connect(blog_changed, sender=Tag, dispatch_uid=f"network_blog.fragments.{signal}.Tag")
for through in (Post.categories.through, Post.tags.through):
    m2m_changed.connect(
        blog_changed, sender=through, dispatch_uid=f"network_blog.fragments.m2m.{through.__name__}"
    )
