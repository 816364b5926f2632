"""Atom feeds of the blog. Public feeds carry public posts only; a member's private feed address (a
revocable secret in the URL, as calendar and podcast apps need) carries members-only posts too."""

import secrets

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from network import fragments
from network.access import member_required, profile_of
from network.models import Profile

from .models import Category, Post

FEED_SIZE = 20


class PublicFeed(Feed):
    feed_type = Atom1Feed
    title = "Blog"
    subtitle = "Public posts by members of the network"
    audience = "everyone"

    def __call__(self, request, *args, **kwargs):
        # kept until a post or a member changes: feed readers poll, and every reader gets the same document
        return fragments.kept_response(
            f"feed:{type(self).__name__}",
            depends_on=["blog", "members"],
            audience=self.audience,
            vary=(request.scheme, request.get_host(), request.path),  # feeds read no query string
            respond=lambda: super(PublicFeed, self).__call__(request, *args, **kwargs),
        )

    def link(self):
        return reverse("network:blog:index")

    def posts(self, obj):
        return Post.objects.public()

    def items(self, obj):
        return self.posts(obj).for_listing().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        return post.body_html

    def item_pubdate(self, post: Post):
        return post.published_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.published_at

    def item_author_name(self, post: Post) -> str:
        profile = profile_of(post.author) if post.author else None
        return str(profile) if profile else "Former member"

    def item_categories(self, post: Post) -> list[str]:
        return [category.name for category in post.categories.all()]


class CategoryFeed(PublicFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Category, slug=slug)

    def title(self, category: Category) -> str:
        return f"Blog: {category.name}"

    def link(self, category: Category) -> str:
        return category.get_absolute_url()

    def posts(self, category: Category):
        return Post.objects.public().filter(categories=category)


class MemberFeed(PublicFeed):
    def get_object(self, request, handle: str):
        profile = get_object_or_404(Profile.objects.members(), handle=handle)
        if not Post.objects.public().filter(author_id=profile.user_id).exists():
            raise Http404  # as on their blog page: nothing public, nothing to find
        return profile

    def title(self, profile: Profile) -> str:
        return f"Blog of {profile}"

    def link(self, profile: Profile) -> str:
        return reverse("network:blog:member", kwargs={"handle": profile.handle})

    def posts(self, profile: Profile):
        return Post.objects.public().filter(author_id=profile.user_id)


class PrivateFeed(PublicFeed):
    """Every published post, members-only ones included, for the member whose secret address this is."""

    title = "Blog (members)"
    subtitle = "Every post on the network, including members-only ones. Keep this address to yourself."
    audience = "members"

    def get_object(self, request, key: str):
        profile = Profile.objects.for_feed_key(key)
        if profile is None:
            raise Http404
        return profile

    def posts(self, profile: Profile):
        return Post.objects.published()

    def __call__(self, request, *args, **kwargs):
        self.get_object(request, *args, **kwargs)  # the key is checked on every request, kept copy or not
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


@member_required
@require_http_methods(["GET", "POST"])
def private_feed_settings(request: HttpRequest) -> HttpResponse:
    """Show the member's private feed address; make one, or revoke it (a new one replaces it)."""
    profile = profile_of(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            profile.feed_key = ""
            messages.success(request, _("Your private feed address is revoked: it no longer works."))
        else:
            profile.feed_key = secrets.token_urlsafe(32)
            messages.success(
                request, _("Your private feed address is ready. The old one, if any, no longer works.")
            )
        profile.save(update_fields=["feed_key"])
        return redirect("network:blog:private_feed_settings")
    address = (
        request.build_absolute_uri(reverse("network:blog:private_feed", kwargs={"key": profile.feed_key}))
        if profile.feed_key
        else ""
    )
    return render(request, "network_blog/private_feed.html", {"address": address})
