"""Every kind of page passes axe-core's WCAG 2.2 A/AA rules, on a desktop and on a 320 px phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cms.models import ExemplarIndexPage, ExemplarPage
from network.models import Theme
from tests.e2e.conftest import signed_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
PUBLIC_PAGES = [
    "/",
    "/exemplars/",
    "/exemplars/time-bank/",
    "/accounts/login/",
    "/accounts/signup/",
    "/no-such-page/",
    "/search/?q=time",
]
MEMBER_PAGES = [
    "/network/",
    "/network/members/",
    "/network/members/ama/",
    "/network/profile/",
    "/network/my-data/",
]


@pytest.fixture
def site(home_page):
    index = home_page.add_child(
        instance=ExemplarIndexPage(title="Exemplars", slug="exemplars", show_in_menus=True)
    )
    page = index.add_child(
        instance=ExemplarPage(
            title="A time bank",
            slug="time-bank",
            summary="Neighbours trade hours.",
            organisation="Time Bank",
            region="london",
            body=[
                ("quote", {"quote": "It moved me on", "role": "clinician"}),
                ("outcome", {"label": "A&E visits", "value": "30% fewer", "source": "Audit", "year": 2012}),
            ],
        )
    )
    page.themes.set(Theme.objects.all()[:2])
    page.save_revision().publish()
    return home_page


@pytest.mark.parametrize("width", [1280, 320])
def test_pages_meet_wcag_aa_and_fit_a_phone(live_server, site, browser, width):
    member = MemberFactory(profile__handle="ama", profile__display_name="Ama", profile__bio="Peer *support*")
    axe = Axe()
    problems = []
    for pages, user in [(PUBLIC_PAGES, None), (MEMBER_PAGES, member)]:
        context = browser.new_context(viewport={"width": width, "height": 800})
        if user:
            signed_in(context, live_server, user)
        page = context.new_page()
        for path in pages:
            page.goto(live_server.url + path)
            results = axe.run(page, options=WCAG_AA)
            if results.violations_count:
                problems.append(f"{path} at {width}px:\n{results.generate_report()}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"{path} at {width}px scrolls sideways by {overflow}px")
        context.close()

    assert not problems, "\n".join(problems)
