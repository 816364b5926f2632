"""How the forum plugs into the admin and the core: categories for moderators, and the core's data-export
and account-deletion hooks."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from network.hooks import BEFORE_DELETE_MEMBER, MEMBER_DATA

from .models import Category, Reaction, Reply, Revision, Thread


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Forum categories"
    list_display = ["name", "slug", "sort_order", "moderators_only", "thread_count"]
    search_fields = ["name"]


register_snippet(CategoryViewSet)


@hooks.register("register_log_actions")
def register_forum_actions(actions):
    for action, label, message in [
        ("network_forum.pin", _("Pin thread"), _("Thread pinned")),
        ("network_forum.unpin", _("Unpin thread"), _("Thread unpinned")),
        ("network_forum.lock", _("Lock thread"), _("Thread locked")),
        ("network_forum.unlock", _("Unlock thread"), _("Thread unlocked")),
        ("network_forum.move", _("Move thread"), _("Thread moved to another category")),
        ("network_forum.merge", _("Merge threads"), _("Another thread merged into this one")),
    ]:
        actions.register_action(action, label, message)


@hooks.register(MEMBER_DATA)
def forum_data(user) -> dict:
    threads = Thread.objects.filter(author=user).select_related("category")
    replies = Reply.objects.filter(author=user).select_related("thread")
    return {
        "forum_threads": [
            {
                "title": thread.title,
                "category": thread.category.name,
                "text": thread.body,
                "written": thread.created_at.isoformat(),
            }
            for thread in threads
        ],
        "forum_replies": [
            {"in": reply.thread.title, "text": reply.body, "written": reply.created_at.isoformat()}
            for reply in replies
        ],
        "forum_earlier_versions": [  # what their posts said before they edited them
            {"in": revision.thread.title, "text": revision.body, "until": revision.replaced_at.isoformat()}
            for revision in Revision.objects.filter(
                Q(reply__author=user) | Q(reply=None, thread__author=user)
            ).select_related("thread")
        ],
    }


@hooks.register(BEFORE_DELETE_MEMBER)
def forum_before_delete(user, remove_content: bool) -> None:
    """Keep what they wrote as a former member's (the author becomes empty), or remove it: their replies,
    and their threads; a thread others replied to keeps its title, so their replies keep their place, and
    loses its text."""
    from . import services

    # their "helpful" marks go with them (each counted reply is recounted without them)
    marked = list(Reaction.objects.filter(user=user).values_list("reply_id", flat=True))
    Reaction.objects.filter(user=user).delete()
    services.recount_helpful(Reply.objects.filter(pk__in=marked))
    if not remove_content:
        return  # author is SET_NULL: threads and replies stay, attributed to "former member"

    touched = set(Reply.objects.filter(author=user).values_list("thread_id", flat=True))
    Reply.objects.filter(author=user).delete()
    theirs = Thread.objects.filter(author=user)
    categories = set(theirs.values_list("category_id", flat=True))
    answered = theirs.filter(Exists(Reply.objects.filter(thread=OuterRef("pk"))))
    Revision.objects.filter(thread__in=answered, reply=None).delete()  # their earlier words go too
    answered.update(body="", body_html="<p>Removed by its author.</p>", author=None)
    Thread.objects.filter(author=user).delete()
    for thread in Thread.objects.filter(pk__in=touched):
        services.recount_thread(thread.pk)
        categories.add(thread.category_id)
    for category_id in categories:
        services.recount_category(category_id)
