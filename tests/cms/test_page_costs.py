"""Every page costs a member a bounded number of queries, the same with ten times the data, and reading a page
writes nothing to the database. docs/performance.md measures the same pages for speed (make bench)."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from cms.models import HomePageFeatured, SiteImage, StandardPage
from network.models import Theme
from tests.cms.conftest import restrict_to_members
from tests.factories import MemberFactory, ProfileFactory

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12  # the budget of issue 8


@pytest.fixture(autouse=True)
def sessions_in_the_cache(settings):
    """As production keeps them with a shared cache (Redis); the tests' cache is their own process's."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _image(n: int) -> SiteImage:
    out = io.BytesIO()
    Image.new("RGB", (64, 36), (n * 40 % 255, 90, 120)).save(out, "PNG")
    return SiteImage.objects.create(
        title=f"hero {n}", file=SimpleUploadedFile(f"hero{n}.png", out.getvalue())
    )


def _grow(home_page, make_exemplar, size: int, prefix: str = "") -> None:
    """`size` exemplars (a tenth members-only), each with a picture, themes and a sector; 4 × size members."""
    themes = list(Theme.objects.values_list("slug", flat=True)[:3])
    images = [_image(n) for n in range(3)]
    for n in range(size):
        page = make_exemplar(
            f"{prefix}Exemplar {n}",
            themes=themes[: 1 + n % 3],
            sector_slugs=["health"],
            hero_image=images[n % 3],
        )
        if n % 10 == 9:
            restrict_to_members(page)
        if n < 3:
            HomePageFeatured.objects.create(home=home_page, page=page, sort_order=n)
    home_page.add_child(instance=StandardPage(title=f"{prefix}About", show_in_menus=True))
    for profile in ProfileFactory.create_batch(4 * size):
        profile.themes.set(Theme.objects.filter(slug__in=themes[:2]))


def _pages(member) -> list[str]:
    someone = MemberFactory(profile__handle="someone")
    return [
        "/",
        "/exemplars/",
        "/exemplars/?theme=" + Theme.objects.first().slug + "&region=london&q=exemplar",
        "/exemplars/exemplar-1/",
        "/exemplars/feed/",
        "/network/",
        "/network/members/",
        "/network/members/?q=someone",
        someone.network_profile.get_absolute_url(),
        "/search/?q=exemplar",
    ]


def _costs(client, pages) -> dict[str, tuple[int, list[str]]]:
    costs = {}
    for url in pages:
        client.get(url)  # the first view of a page fills the caches every later view reads
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        writes = [
            q["sql"]
            for q in queries
            if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        ]
        # Savepoints exist only because each test runs in a transaction; a served page has none.
        statements = [
            q for q in queries if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
        ]
        costs[url] = (len(statements), writes)
    return costs


@pytest.fixture
def measured(client, home_page, make_exemplar):
    member = MemberFactory()
    client.force_login(member)

    def measure(size: int):
        _grow(home_page, make_exemplar, size)
        return _costs(client, _pages(member))

    return measure


def test_every_page_stays_within_its_queries_and_writes_nothing(measured):
    costs = measured(6)

    for url, (count, writes) in costs.items():
        assert count <= MAX_QUERIES, f"{url}: {count} queries"
        assert writes == [], f"{url} wrote: {writes}"


@pytest.mark.parametrize("size", [60])
def test_ten_times_the_data_costs_no_more_queries(client, home_page, make_exemplar, size):
    member = MemberFactory()
    client.force_login(member)
    _grow(home_page, make_exemplar, size // 10)
    small = _costs(client, _pages(member))
    _grow(home_page, make_exemplar, size, prefix="More ")  # on top: eleven times in all

    large = _costs(
        client,
        [
            "/",
            "/exemplars/",
            "/exemplars/exemplar-1/",
            "/exemplars/feed/",
            "/network/members/",
            "/search/?q=exemplar",
        ],
    )

    for url, (count, _) in large.items():
        assert count == small[url][0], f"{url}: {small[url][0]} queries, then {count}"
