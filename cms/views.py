"""Error pages: friendly, and built from nothing the failed request could leak."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # No context processors: the database or cache may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"SITE_NAME": "Coproduce"}))


POSTS_SHOWN = 5


def search(request):
    """Site search over pages the request may see, and the blog posts they may read (the first few, with a
    link to the blog's own search for the rest). The results are kept per query, page and audience until
    any page or post changes (network.fragments): a search costs tens of milliseconds in the database, and
    people search for the same few words."""
    from network import fragments
    from network.access import is_member
    from network.privacy import audience
    from network.search import clean_text

    query = clean_text(request.GET.get("q"))
    results = ""
    if query:
        site = getattr(request, "_wagtail_site", None)
        results = fragments.fragment(
            "site-search",
            depends_on=["pages", "blog"],
            audience=(audience(request), is_member(request.user)),
            vary=(site.pk if site else None, query, request.GET.get("page", "")[:12]),
            build=lambda: _search_results(request, query),
        )
    return render(request, "cms/search.html", {"query": query, "results": results})


def _search_results(request, query: str) -> str:
    from urllib.parse import urlencode

    from django.core.paginator import Paginator
    from django.db import DatabaseError
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from wagtail.models import Page

    from network.blog.models import Post
    from network.privacy import visible_pages
    from network.search import savepoint_if_in_transaction, search_pks

    pages = visible_pages(Page.objects.live().exclude(depth__lte=1), request)
    pks = search_pks(pages, query, limit=200)  # in order of relevance
    # the newest few of the posts this viewer may read, searched in one query; one more says "there
    # are more" (counting every match cost as much again: the blog's own search counts them)
    visible = Post.objects.visible_to(request.user).only("pk", "slug", "title", "published_at")
    try:  # as network.search.search_pks: input the backend cannot parse finds nothing
        with savepoint_if_in_transaction():
            found = visible.order_by("-published_at").search(query, operator="and", order_by_relevance=False)
            posts = list(found[: POSTS_SHOWN + 1])
    except DatabaseError:
        posts = []
    page = Paginator(pks, 20).get_page(request.GET.get("page"))
    # only this page's results are built, each as its own type (building all 200 cost 60 ms)
    by_pk = {found.pk: found for found in Page.objects.filter(pk__in=page.object_list).specific()}
    page.object_list = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    html = render_to_string(
        "cms/includes/_search_results.html",
        {
            "query": query,
            "page_obj": page,
            "query_string": urlencode({"q": query}),
            "posts": posts[:POSTS_SHOWN],
            "more_posts": len(posts) > POSTS_SHOWN,
        },
        request,
    )
    return mark_safe(html)  # noqa: S308 - our template's output
