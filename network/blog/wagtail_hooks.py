"""How the blog plugs into the core and the admin: categories for editors, its periodic job, and the core's
profile-activity, data-export and account-deletion hooks."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from network.hooks import BEFORE_DELETE_MEMBER, MEMBER_DATA, PERIODIC_JOBS, PROFILE_ACTIVITY, Activity

from . import services
from .models import Category, Comment, Post


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Blog categories"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


register_snippet(CategoryViewSet)


@hooks.register("register_log_actions")
def register_blog_actions(actions):
    for action, label, message in [
        ("network_blog.save", _("Save blog post"), _("Blog post saved")),
        ("network_blog.publish", _("Publish blog post"), _("Blog post published")),
        ("network_blog.delete", _("Delete blog post"), _("Blog post deleted")),
        ("network_blog.restore", _("Restore blog post"), _("Blog post restored")),
    ]:
        actions.register_action(action, label, message)


@hooks.register(PERIODIC_JOBS)
def blog_jobs():
    return {
        "blog view counts": lambda run: services.flush_view_counts(),
        "blog preview images": lambda run: services.prune_pending_images(),
    }


@hooks.register(PROFILE_ACTIVITY)
def recent_posts(profile, viewer) -> list[Activity]:
    posts = Post.objects.visible_to(viewer).filter(author_id=profile.user_id).order_by("-published_at")[:10]
    return [Activity(post.title, post.get_absolute_url(), post.published_at, "Blog post") for post in posts]


recent_posts.depends_on = ("blog",)  # network.fragments: profile pages are kept until the blog changes


@hooks.register(MEMBER_DATA)
def blog_data(user) -> dict:
    posts = Post.objects.filter(author=user).prefetch_related("categories", "tags")
    comments = Comment.objects.filter(author=user).select_related("post")
    return {
        "blog_posts": [
            {
                "title": post.title,
                "text": post.body,
                "status": post.status,
                "visibility": post.visibility,
                "written": post.created_at.isoformat(),
                "published": post.published_at.isoformat() if post.published_at else None,
                "deleted": post.deleted_at is not None,
                "categories": [category.name for category in post.categories.all()],
                "tags": [tag.name for tag in post.tags.all()],
                "image_description": post.image_alt,
                "views": post.view_count,
            }
            for post in posts
        ],
        "blog_comments": [
            {"on": comment.post.title, "text": comment.body, "written": comment.created_at.isoformat()}
            for comment in comments
            if comment.deleted_at is None
        ],
    }


@hooks.register(BEFORE_DELETE_MEMBER)
def blog_before_delete(user, remove_content: bool) -> None:
    """Keep what they wrote as a former member's (the author becomes empty), or remove it all."""
    if not remove_content:
        return  # author is SET_NULL: posts and comments stay, attributed to "former member"
    posts = list(Post.objects.filter(author=user))
    for post in posts:
        if post.image:
            storage, name = post.image.storage, post.image.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    theirs = Comment.objects.filter(author=user)
    touched = set(theirs.values_list("post_id", flat=True))
    # a comment others replied to stays as "comment removed" so their replies keep their place
    # (anyone else: another member or a former one; exclude() keeps replies whose author is empty)
    others_replied = Comment.objects.filter(parent=OuterRef("pk")).exclude(author=user)
    answered = theirs.filter(Exists(others_replied))
    Comment.objects.filter(pk__in=list(answered.values_list("pk", flat=True))).update(
        body="", body_html="", author=None, deleted_at=timezone.now()
    )
    Comment.objects.filter(author=user).delete()
    Post.objects.filter(author=user).delete()
    for post in Post.objects.filter(pk__in=touched):
        services.recount_comments(post)
