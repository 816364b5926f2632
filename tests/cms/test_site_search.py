"""Site search: the best matches first, every visible match exactly once across pages, nothing hidden."""

import re

import pytest
from django.db import connection

from cms.models import ExemplarPage

pytestmark = pytest.mark.django_db


def result_titles(client, **params) -> list[str]:
    html = client.get("/search/", params).content.decode()
    results = html.split('class="search-results"')[1].split("</ul>")[0]
    return re.findall(r"<h2><a [^>]*>([^<]+)</a></h2>", results)


@pytest.fixture
def wakefield(make_exemplar):
    """25 exemplars mention Wakefield in passing, one is about it, one members-only page is too."""
    for n in range(25):
        make_exemplar(
            f"Peer support {n:02}", summary=f"Groups meeting weekly{' nearby' * n}, one in Wakefield."
        )
    make_exemplar("Wakefield time bank", summary="Neighbours trading hours of help in Wakefield.")
    make_exemplar("Wakefield members' notes", summary="Wakefield", members_only=True)


def test_the_page_about_the_words_comes_first_and_every_match_shows_once_across_pages(client, wakefield):
    first, second = result_titles(client, q="wakefield"), result_titles(client, q="wakefield", page=2)

    assert first[0] == "Wakefield time bank"
    assert len(first) == 20 and len(second) == 6
    assert sorted(first + second) == sorted(
        ["Wakefield time bank", *(f"Peer support {n:02}" for n in range(25))]
    )
    assert "26 results" in client.get("/search/", {"q": "wakefield"}).content.decode()


def test_a_members_only_page_is_never_a_result_for_a_visitor(client, wakefield):
    assert (
        "Wakefield members&#x27; notes"
        not in client.get("/search/", {"q": "wakefield notes"}).content.decode()
    )
    assert "0 results" in client.get("/search/", {"q": "wakefield notes"}).content.decode()


def test_sqlite_ranks_as_modelsearch_does_with_each_match_scored_once(wakefield):
    """cms.search_sqlite computes modelsearch's own order without its per-row MATCH: the same pages, same order."""
    from wagtail.search.backends import get_search_backend

    if connection.vendor != "sqlite":  # elsewhere the database's own compiler ranks, untouched
        backend = get_search_backend()
        assert type(backend).query_compiler_class is backend.query_compiler_class
        assert (
            backend.search("wakefield", ExemplarPage.objects.live().public())[0].title
            == "Wakefield time bank"
        )
        return
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler

    pages = ExemplarPage.objects.live()
    ours = get_search_backend()
    theirs = get_search_backend()
    theirs.query_compiler_class = SQLiteSearchQueryCompiler

    def titles(backend, start, stop):
        return [page.title for page in backend.search("wakefield weekly", pages, operator="or")[start:stop]]

    assert len(titles(ours, 0, 30)) == 27
    assert titles(ours, 0, 30) == titles(theirs, 0, 30)
    assert titles(ours, 5, 9) == titles(theirs, 5, 9)


def test_blog_posts_match_every_word_newest_first_with_a_link_to_the_rest(client, home_page):
    from datetime import timedelta

    from django.utils import timezone

    from network.blog.models import Post
    from tests.factories import MemberFactory

    author, now = MemberFactory(), timezone.now()
    for n in range(7):
        Post.objects.create(
            author=author,
            title=f"Time bank diary {n}",
            body="Hours given and received.",
            status=Post.Status.PUBLISHED,
            visibility=Post.Visibility.PUBLIC,
            published_at=now - timedelta(days=n),
        )
    Post.objects.create(
        author=author,
        title="Time well spent",
        body="No banks here.",
        status=Post.Status.PUBLISHED,
        visibility=Post.Visibility.PUBLIC,
        published_at=now + timedelta(days=1),
    )

    html = client.get("/search/", {"q": "time diary"}).content.decode()
    section = html.split('id="blog-results"')[1]

    titles = re.findall(r">(Time [^<]+)</a>", section)
    assert titles == [f"Time bank diary {n}" for n in range(5)]
    assert "All blog posts matching" in section  # the blog's own search has the other two


def test_kept_results_are_per_audience_and_follow_every_change(client, wakefield, make_exemplar):
    """Results are kept per query, page and audience (cms.views.search): a member's results never reach a
    visitor, and publishing, unpublishing or closing a page shows in the next search."""
    from tests.cms.conftest import restrict_to_members
    from tests.factories import MemberFactory

    client.force_login(MemberFactory())
    assert result_titles(client, q="wakefield notes") == ["Wakefield members&#x27; notes"]  # kept now
    client.logout()
    assert result_titles(client, q="wakefield notes") == []

    hub = make_exemplar("Wakefield notes hub", summary="Notes from Wakefield's hub.")
    assert result_titles(client, q="wakefield notes") == ["Wakefield notes hub"]
    restrict_to_members(hub)
    assert result_titles(client, q="wakefield notes") == []
    hub.get_view_restrictions().delete()
    hub.unpublish()
    assert result_titles(client, q="wakefield notes") == []


def test_kept_blog_results_follow_a_post_closed_to_members(client, home_page):
    from django.utils import timezone

    from network.blog.models import Post
    from tests.factories import MemberFactory

    post = Post.objects.create(
        author=MemberFactory(),
        title="Time bank diary",
        body="Hours given and received.",
        status=Post.Status.PUBLISHED,
        visibility=Post.Visibility.PUBLIC,
        published_at=timezone.now(),
    )
    assert "Time bank diary" in client.get("/search/", {"q": "diary"}).content.decode()  # kept now

    post.visibility = Post.Visibility.MEMBERS
    post.save()

    assert "Time bank diary" not in client.get("/search/", {"q": "diary"}).content.decode()
