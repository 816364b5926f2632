"""An Atom feed of published exemplars. Feed readers are anonymous, so it lists only public pages."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from network import fragments

from .models import ExemplarPage

FEED_SIZE = 30


class ExemplarFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def __call__(self, request, *args, **kwargs):
        # kept until a page changes: feed readers poll, and every reader gets the same (public) document
        return fragments.kept_response(
            "feed:exemplars",
            depends_on=["pages"],
            audience="everyone",
            vary=(self.index.pk, request.scheme, request.get_host(), request.path),  # no query string
            respond=lambda: super(ExemplarFeed, self).__call__(request, *args, **kwargs),
        )

    def title(self):
        return f"{self.index.title} · {settings.WAGTAIL_SITE_NAME}"

    def link(self):
        return self.index.url

    def subtitle(self):
        return "Co-production exemplars: services designed and delivered with the people who use them."

    def items(self):
        return (
            ExemplarPage.objects.live()
            .public()
            .child_of(self.index)
            .order_by("-first_published_at")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
