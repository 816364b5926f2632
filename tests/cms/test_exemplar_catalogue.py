"""The exemplar catalogue: combinable filters with counts, search, sorting, paging, bounded queries."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

CAP, BARRIERS, PROF = "community-capacity", "barriers-to-engagement", "rethinking-the-professional"


@pytest.fixture
def known_set(make_exemplar):
    """Five exemplars whose every filter combination we can count by hand."""
    make_exemplar("Time bank", region="london", themes=[CAP], sector_slugs=["health"])
    make_exemplar("Peer network", region="london", themes=[CAP, BARRIERS], sector_slugs=["health"])
    make_exemplar("Parent nursery", region="london", themes=[CAP], sector_slugs=["early-years"])
    make_exemplar("Housing coop", region="wales", themes=[PROF], sector_slugs=["housing"])
    make_exemplar(
        "Respiratory buddies", region="east_midlands", themes=[PROF, BARRIERS], sector_slugs=["health"]
    )


def titles(response) -> set[str]:
    return {page.title for page in response.context["page_obj"]}


def counts(response, facet_name) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f.name == facet_name)
    return {value: count for value, _, count in facet.options if count}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Time bank", "Peer network", "Parent nursery", "Housing coop", "Respiratory buddies"}),
        ({"theme": CAP}, {"Time bank", "Peer network", "Parent nursery"}),
        ({"theme": CAP, "sector": "health"}, {"Time bank", "Peer network"}),
        ({"theme": CAP, "sector": "health", "region": "london"}, {"Time bank", "Peer network"}),
        ({"theme": BARRIERS, "region": "east_midlands"}, {"Respiratory buddies"}),
        ({"sector": "housing", "region": "london"}, set()),
        ({"region": "wales"}, {"Housing coop"}),
    ],
)
def test_filters_combine(client, catalogue, known_set, params, expected):
    response = client.get("/exemplars/", params)

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == expected


def test_each_option_counts_the_exemplars_it_would_show_under_the_other_filters(client, catalogue, known_set):
    response = client.get("/exemplars/", {"sector": "health"})

    assert counts(response, "theme") == {CAP: 2, BARRIERS: 2, PROF: 1}
    assert counts(response, "region") == {"london": 2, "east_midlands": 1}
    # the sector facet ignores its own selection, so every sector keeps its count
    assert counts(response, "sector") == {"health": 3, "housing": 1, "early-years": 1}
    assert "(2)" in response.content.decode()


def test_filter_urls_are_shareable_and_work_without_javascript(client, catalogue, known_set):
    html = client.get("/exemplars/", {"theme": CAP, "sector": "health"}).content.decode()

    assert '<form method="get"' in html
    assert 'value="community-capacity" checked' in html
    assert "Remove sector: Health" in html and 'href="?theme=community-capacity"' in html


def test_text_search_within_the_catalogue_combines_with_filters(client, catalogue, known_set, make_exemplar):
    make_exemplar("Time bank in Wales", region="wales", themes=[CAP])

    assert titles(client.get("/exemplars/", {"q": "time bank"})) == {"Time bank", "Time bank in Wales"}
    assert titles(client.get("/exemplars/", {"q": "time bank", "region": "wales"})) == {"Time bank in Wales"}


def test_sorting_newest_first_or_a_to_z(client, catalogue, known_set):
    newest = [p.title for p in client.get("/exemplars/").context["page_obj"]]
    a_to_z = [p.title for p in client.get("/exemplars/", {"sort": "az"}).context["page_obj"]]

    assert newest[0] == "Respiratory buddies"
    assert a_to_z == sorted(a_to_z)


def test_the_catalogue_is_paginated(client, catalogue, make_exemplar):
    for n in range(14):
        make_exemplar(f"Exemplar {n:02}")

    first, second = client.get("/exemplars/"), client.get("/exemplars/", {"page": 2})

    assert len(first.context["page_obj"]) == 12 and len(second.context["page_obj"]) == 2


def test_unknown_filter_values_show_nothing_rather_than_an_error(client, catalogue, known_set):
    response = client.get("/exemplars/", {"theme": "no-such-theme", "sort": "<script>", "page": "x"})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == set()


@pytest.mark.parametrize("count", [6, 600])
def test_the_listing_runs_a_bounded_number_of_queries(
    client, catalogue, make_exemplar, django_assert_max_num_queries, count
):
    for n in range(count):
        make_exemplar(f"Exemplar {n:03}", themes=[CAP, PROF], sector_slugs=["health"])

    with django_assert_max_num_queries(25):
        response = client.get("/exemplars/", {"theme": CAP, "sector": "health", "region": "london"})

    assert response.context["page_obj"].paginator.count == count


@pytest.mark.parametrize(
    "q", ['"unbalanced', "time\x00bank", "OR AND NOT *", "ü" * 500, "'); DROP TABLE x; --"]
)
def test_odd_search_text_finds_nothing_or_something_but_never_fails(client, catalogue, known_set, q):
    for url in ["/exemplars/", "/search/"]:
        response = client.get(url, {"q": q, "theme": "x\x00y", "region": "\x00"})

        assert response.status_code == HTTPStatus.OK, url
