"""The catalogue of exemplars: projects where services were designed and delivered with their users."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from network.models import ChoiceLabel, Region, Theme
from network.privacy import RestrictionsOncePerPage

from ..blocks import ExemplarBodyBlock

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|mailto:", re.IGNORECASE)


@register_snippet
class Sector(models.Model):
    """A field of public service (health, early years, housing …), managed by editors."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExemplarIndexPage(RestrictionsOncePerPage, RoutablePageMixin, Page):
    """The catalogue: filter by theme, sector and region, search, sort; an Atom feed of what is new."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.ExemplarPage"]
    max_count = 1

    @path("")
    def catalogue(self, request):
        from ..exemplars import catalogue_fragment

        return self.render(request, context_overrides=catalogue_fragment(self, request))

    @re_path(r"^feed/$")
    def feed(self, request):
        from ..feeds import ExemplarFeed

        return ExemplarFeed(self)(request)

    def route(self, request, path_components):
        # Every child is an exemplar: read it as one in a single query (Wagtail's routing takes two), kept
        # until any page changes (as the home page keeps its sections); serving still checks its restrictions.
        from network import fragments

        if len(path_components) == 1 and path_components[0] != "feed" and len(path_components[0]) <= 255:
            slug = path_components[0]
            child = fragments.fragment(
                "exemplar-route",
                depends_on=["pages"],
                audience="routing",
                vary=(self.pk, slug),
                build=lambda: ExemplarPage.objects.child_of(self).filter(slug=slug).first(),
            )
            if child is not None:
                return child.route(request, [])
        return super().route(request, path_components)


class ExemplarPage(RestrictionsOncePerPage, Page):
    summary = models.TextField(max_length=400, help_text=_("One or two sentences for listings and sharing."))
    hero_image = models.ForeignKey(
        "cms.SiteImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        _("hero image description"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Leave empty only if it is decorative."
        ),
    )
    organisation = models.CharField(max_length=150)
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices)
    region_label = ChoiceLabel()
    sectors = ParentalManyToManyField(Sector, blank=True, related_name="exemplars")
    themes = ParentalManyToManyField(Theme, blank=True, related_name="exemplars")
    body = StreamField(ExemplarBodyBlock(), blank=True)
    started = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)
    people_involved = models.CharField(max_length=200, blank=True, help_text=_('e.g. "over 70 members"'))
    funding_model = models.CharField(max_length=200, blank=True)
    contact_text = models.CharField(
        _("how to get in touch"),
        max_length=250,
        blank=True,
        help_text=_("Say who to ask; never paste an email address here."),
    )
    contact_url = models.URLField(
        _("contact page"), blank=True, help_text=_("A web page with a contact form.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Hero image")),
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldRowPanel([FieldPanel("town"), FieldPanel("region")])],
            heading=_("Where"),
        ),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("started"),
                FieldPanel("people_involved"),
                FieldPanel("funding_model"),
                FieldPanel("contact_text"),
                FieldPanel("contact_url"),
            ],
            heading=_("Key facts"),
        ),
        InlinePanel("reports", label=_("Report")),
        InlinePanel("related", label=_("Related exemplar")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("organisation"),
        index.SearchField("town"),
        index.SearchField("body"),
        index.FilterField("region"),
    ]
    parent_page_types = ["cms.ExemplarIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        # The contact route must not expose a raw address for harvesters.
        for field in ("contact_text", "contact_url"):
            if EMAIL_ADDRESS.search(getattr(self, field) or ""):
                raise ValidationError(
                    {field: _("Please do not publish an email address; link to a contact page.")}
                )

    def get_context(self, request, *args, **kwargs):
        from network import fragments
        from network.privacy import audience

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):  # a draft or an old revision: shown once, never kept
            context["exemplar"] = self._render_parts(request, context)
        else:  # the same for everyone in an audience until a page, restriction, image or document changes
            context["exemplar"] = fragments.fragment(
                "exemplar",
                depends_on=["pages"],
                audience=audience(request),
                vary=(self.pk, self.live_revision_id, request.scheme, request.get_host()),
                build=lambda: self._render_parts(request, context),
            )
        return context

    def _render_parts(self, request, context) -> dict:
        """The page's social tags and its article, with the related exemplars this request may see."""
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        from network.privacy import visible_pages

        related_ids = [r.related_id for r in self.related.all()]
        context = {
            **context,
            "related_exemplars": list(
                visible_pages(ExemplarPage.objects.live().filter(pk__in=related_ids), request)
            ),
            "is_public": not self.get_view_restrictions().exists(),
            "reports": self.reports.select_related("document"),
        }
        return {  # our templates, escaping what they show
            part: mark_safe(render_to_string(f"cms/includes/exemplar_{part}.html", context, request))  # noqa: S308
            for part in ("meta", "article")
        }


class ExemplarReport(Orderable):
    page = ParentalKey(ExemplarPage, on_delete=models.CASCADE, related_name="reports")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        max_length=200, blank=True, help_text=_("Shown instead of the document's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]


class ExemplarRelated(Orderable):
    page = ParentalKey(ExemplarPage, on_delete=models.CASCADE, related_name="related")
    related = models.ForeignKey(ExemplarPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("related", page_type="cms.ExemplarPage")]
