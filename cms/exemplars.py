"""Reads for the exemplar catalogue: what a request may see, filtered, faceted, searched and sorted."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from network import fragments
from network.models import Region, Theme
from network.privacy import audience, visible_pages
from network.search import clean_text, search_pks

from .models import ExemplarPage, Sector, SiteImage

PAGE_SIZE = 12
CARD_IMAGE = "fill-480x270"  # the rendition the listing shows; prefetched so each card costs no query
SORTS = {"newest": ("-first_published_at", "title"), "az": ("title",)}


@dataclass
class Facet:
    """One filter (theme, sector or region) with each option's count under the other active filters."""

    name: str
    label: str
    options: list[tuple[str, str, int]]  # (value, label, count)
    selected: str

    @property
    def selected_label(self) -> str:
        return next((label for value, label, _ in self.options if value == self.selected), "")


def catalogue_fragment(index, request) -> dict:
    """The catalogue's filters, counts and cards, rendered once per query and audience until a page, a
    restriction or a facet changes (network.fragments): the same for everyone who may see the same pages."""
    return fragments.fragment(
        "catalogue",
        depends_on=["pages"],
        audience=audience(request),
        vary=(index.pk, request.GET.urlencode()[:2000]),
        build=lambda: _render_catalogue(index, request),
    )


def _render_catalogue(index, request) -> dict:
    context = catalogue_context(index, request)
    html = render_to_string("cms/includes/catalogue.html", {**context, "page": index}, request)
    return {"catalogue": mark_safe(html), "page_number": context["page_obj"].number}  # noqa: S308 - our template


def catalogue_context(index, request) -> dict:
    params = request.GET
    selected = {name: clean_text(params.get(name)) for name in ("theme", "sector", "region")}
    query = clean_text(params.get("q"))
    sort = params.get("sort") if params.get("sort") in SORTS else "newest"

    base = visible_pages(ExemplarPage.objects.live().child_of(index), request)
    if query:
        base = base.filter(pk__in=search_pks(base, query, ranked=False))

    facets = [
        Facet(
            "theme",
            "Theme",
            _snippet_options(Theme, _filtered(base, selected, skip="theme")),
            selected["theme"],
        ),
        Facet(
            "sector",
            "Sector",
            _snippet_options(Sector, _filtered(base, selected, skip="sector")),
            selected["sector"],
        ),
        Facet(
            "region", "Region", _region_options(_filtered(base, selected, skip="region")), selected["region"]
        ),
    ]
    results = _filtered(base, selected).order_by(*SORTS[sort])
    page = Paginator(
        results.prefetch_related(
            Prefetch("hero_image", queryset=SiteImage.objects.prefetch_renditions(CARD_IMAGE)),
            "themes",  # the cards show themes (not sectors)
        ),
        PAGE_SIZE,
    ).get_page(params.get("page"))
    return {
        "facets": facets,
        "page_obj": page,
        "query": query,
        "sort": sort,
        "sorts": [("newest", "Newest first"), ("az", "A to Z")],
        "filter_query": _without(params, "page"),
        "active_filters": [(f, _without(params, f.name, "page")) for f in facets if f.selected],
    }


def _filtered(queryset: QuerySet, selected: dict, skip: str = "") -> QuerySet:
    if selected["theme"] and skip != "theme":
        queryset = queryset.filter(themes__slug=selected["theme"])
    if selected["sector"] and skip != "sector":
        queryset = queryset.filter(sectors__slug=selected["sector"])
    if selected["region"] and skip != "region":
        queryset = queryset.filter(region=selected["region"])
    return queryset.distinct()


def _snippet_options(model, pages: QuerySet) -> list[tuple[str, str, int]]:
    """Every Theme or Sector, with how many of `pages` carry it."""
    counts = dict(
        model.objects.filter(exemplars__in=pages.values("pk"))
        .order_by()  # a model's default ordering would otherwise join the GROUP BY
        .values_list("slug")
        .annotate(n=Count("exemplars"))
    )
    return [(slug, name, counts.get(slug, 0)) for slug, name in facet_names(model)]


def facet_names(model) -> list[tuple[str, str]]:
    """Every Theme or Sector as (slug, name), in order, from the cache (forgotten when one changes)."""
    key = f"cms:facet-names:{model._meta.label}"
    names = cache.get(key)
    if names is None:
        names = list(model.objects.values_list("slug", "name"))
        cache.set(key, names, 60 * 60)
    return names


def forget_facet_names(sender, **kwargs) -> None:
    cache.delete(f"cms:facet-names:{sender._meta.label}")


def _region_options(pages: QuerySet) -> list[tuple[str, str, int]]:
    counts = dict(
        # order_by() clears the page-tree ordering, which would otherwise split the groups
        ExemplarPage.objects.filter(pk__in=pages.values("pk"))
        .order_by()
        .values_list("region")
        .annotate(n=Count("pk"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in Region.choices]


def _without(params: QueryDict, *names: str) -> str:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()
