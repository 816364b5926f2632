"""The forum has no public feed (it is members-only). A member's private feed address (the same revocable
secret as their private blog feed, network.models.Profile.feed_key) carries the threads they watch, newest
activity first.

Feed readers poll, so the document is kept (network.fragments.kept_response) per member and per list of
threads they watch, until anything in the forum or any profile changes; the key itself is checked on
every request, kept copy or not, so a revoked or regenerated key, or a member who is no longer one, gets
nothing at once."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from network import fragments
from network.models import Profile, Subscription

from .models import Thread

FEED_SIZE = 30


class WatchedThreadsFeed(Feed):
    feed_type = Atom1Feed
    title = "Forum threads you watch"
    subtitle = "New replies in the forum threads you watch. Keep this address to yourself."

    def get_object(self, request, key: str):
        profile = getattr(request, "_watched_feed_profile", None)  # checked by __call__ on this request
        if profile is None:
            profile = Profile.objects.for_feed_key(key)
        if profile is None:
            raise Http404
        return profile

    def link(self):
        from django.urls import reverse

        return reverse("network:forum:index")

    def items(self, profile: Profile):
        return (
            Thread.objects.visible()
            .filter(pk__in=profile.watched_thread_ids)
            .select_related("last_reply__author__network_profile", "author__network_profile")
            .order_by("-last_activity_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, thread: Thread) -> str:
        return f"{thread.title} ({thread.reply_count} repl{'y' if thread.reply_count == 1 else 'ies'})"

    def item_description(self, thread: Thread) -> str:
        latest = thread.last_reply if thread.last_reply_id and not thread.last_reply.is_hidden else thread
        return latest.body_html

    def item_link(self, thread: Thread) -> str:
        return thread.last_reply.get_absolute_url() if thread.last_reply_id else thread.get_absolute_url()

    def item_guid(self, thread: Thread) -> str:
        return f"forum-thread-{thread.pk}-{thread.last_visible_number}"

    def item_pubdate(self, thread: Thread):
        return thread.created_at

    def item_updateddate(self, thread: Thread):
        return thread.last_activity_at

    def item_author_name(self, thread: Thread) -> str:
        latest = thread.last_reply if thread.last_reply_id else thread
        profile = getattr(latest.author, "network_profile", None) if latest.author_id else None
        return profile.display_name if profile else "A former member"

    def __call__(self, request, key: str):
        # the key on every request; then which threads this member watches (one small query), so the kept
        # copy is never one of before they watched or stopped watching a thread (a one-click unsubscribe
        # changes no version: it updates the row)
        profile = self.get_object(request, key)
        profile.watched_thread_ids = watched_thread_ids(profile.user_id)
        request._watched_feed_profile = profile
        response = fragments.kept_response(
            "forum-watched-feed",
            depends_on=["forum", "members"],  # replies, hides, moves, merges; names and membership
            audience=profile.user_id,
            vary=(request.scheme, request.get_host(), request.path, profile.watched_thread_ids),
            respond=lambda: super(WatchedThreadsFeed, self).__call__(request, key=key),
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


def watched_thread_ids(user_id: int) -> tuple[int, ...]:
    """The threads `user_id` watches now, in order of their numbers."""
    watched = Subscription.objects.filter(
        user_id=user_id, active=True, content_type=ContentType.objects.get_for_model(Thread)
    )
    return tuple(watched.order_by("object_id").values_list("object_id", flat=True))
