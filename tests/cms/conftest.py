import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import ExemplarIndexPage, ExemplarPage, Sector
from network import roles
from network.models import Theme


@pytest.fixture
def catalogue(home_page) -> ExemplarIndexPage:
    index = home_page.add_child(
        instance=ExemplarIndexPage(title="Exemplars", slug="exemplars", show_in_menus=True)
    )
    return index


@pytest.fixture
def sectors(db) -> dict[str, Sector]:
    return {
        slug: Sector.objects.create(name=slug.title(), slug=slug)
        for slug in ("health", "housing", "early-years")
    }


@pytest.fixture
def make_exemplar(catalogue, sectors):
    def make(
        title, *, region="london", themes=(), sector_slugs=(), members_only=False, **fields
    ) -> ExemplarPage:
        page = catalogue.add_child(
            instance=ExemplarPage(
                title=title,
                summary=fields.pop("summary", f"Summary of {title}"),
                organisation=fields.pop("organisation", f"{title} Org"),
                region=region,
                live=True,
                first_published_at=timezone.now(),
                **fields,
            )
        )
        page.themes.set(Theme.objects.filter(slug__in=themes))
        page.sectors.set([sectors[s] for s in sector_slugs])
        page.save()  # ParentalManyToMany relations are written on save
        if members_only:
            restrict_to_members(page)
        return page

    return make


def restrict_to_members(page) -> None:
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name=roles.MEMBERS))
