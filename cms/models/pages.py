"""The site's Wagtail page types."""

from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from network.privacy import RestrictionsOncePerPage

from ..blocks import BodyBlock


class HomePage(RestrictionsOncePerPage, Page):
    """What the network is, who it is for, a call to join, and what editors choose to feature."""

    heading = models.CharField(max_length=200)
    intro = RichTextField(features=["bold", "italic", "link"])
    audience_heading = models.CharField(max_length=200, default="Who it is for")
    audience = RichTextField(features=["bold", "italic", "link", "ul"], blank=True)
    join_heading = models.CharField(max_length=200, default="Join the network")
    join_text = RichTextField(features=["bold", "italic", "link"], blank=True)
    join_button = models.CharField(max_length=60, default="Join the network")
    featured_heading = models.CharField(max_length=200, default="Featured")

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("heading"), FieldPanel("intro")], heading=_("Introduction")),
        MultiFieldPanel([FieldPanel("audience_heading"), FieldPanel("audience")], heading=_("Audience")),
        MultiFieldPanel(
            [FieldPanel("join_heading"), FieldPanel("join_text"), FieldPanel("join_button")],
            heading=_("Call to join"),
        ),
        MultiFieldPanel(
            [FieldPanel("featured_heading"), InlinePanel("featured_items", label=_("Featured page"))],
            heading=_("Featured content"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("audience")]
    max_count = 1
    subpage_types = ["cms.StandardPage", "wagtailcore.Page"]
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        # The sections under the home page (the catalogue, the about pages) are on nearly every path: read
        # them, each as its own type, from the cache until any page changes; Wagtail's routing takes two
        # queries per request for this step. Each section still routes the rest of the path itself, and the
        # view restrictions are checked on the page found, as ever.
        from network import fragments

        if path_components:
            sections = fragments.fragment(
                "home-sections",
                depends_on=["pages"],
                audience="routing",  # pages, not what they show: serving checks each page's restrictions
                vary=self.pk,
                build=lambda: {child.slug: child for child in self.get_children().specific()},
            )
            section = sections.get(path_components[0])
            if section is not None:
                section._cached_parent_obj = self  # as Wagtail's own routing does
                try:
                    return section.route(request, path_components[1:])
                except Http404:
                    pass  # the kept copy may predate a change that sent no signal: ask the database
        return super().route(request, path_components)

    def featured_pages(self, request=None) -> list[Page]:
        """Live featured pages that anyone may see; restricted pages are never featured to the public."""
        items = list(self.featured_items.filter(page__live=True))
        # Each page as its own type, in a fixed number of queries however many are featured
        pages = {p.pk: p for p in Page.objects.filter(pk__in=[i.page_id for i in items]).public().specific()}
        with_images = [p for p in pages.values() if hasattr(p, "hero_image_id")]
        prefetch_related_objects(with_images, "hero_image__renditions")
        for item in items:
            item.featured_page = pages.get(item.page_id)
        return [item for item in items if item.featured_page is not None]

    def get_context(self, request, *args, **kwargs):
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        from network import fragments

        context = super().get_context(request, *args, **kwargs)
        # Featured pages are public ones, the same for everyone: rendered once until a page changes.
        context["featured"] = fragments.fragment(
            "home-featured",
            depends_on=["pages"],
            audience="everyone",
            vary=self.pk,
            build=lambda: mark_safe(  # noqa: S308 - our own template's output
                render_to_string(
                    "cms/includes/featured.html", {"page": self, "featured": self.featured_pages()}, request
                )
            ),
        )
        return context


class HomePageFeatured(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_items")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    blurb = models.CharField(max_length=300, blank=True, help_text=_("Shown under the title; optional."))

    panels = [PageChooserPanel("page"), FieldPanel("blurb")]


class StandardPage(RestrictionsOncePerPage, Page):
    """A plain content page: About, Terms, Privacy."""

    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    subpage_types = ["cms.StandardPage"]
