"""Every kind of page passes axe-core's WCAG 2.2 A/AA rules, on a desktop and on a 320 px phone."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from cms.models import ExemplarIndexPage, ExemplarPage
from network.blog.models import Category, Comment, Post
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
    "/network/blog/",
    "/network/blog/902/an-open-letter-on-exemplars/",
    "/visits/",
    "/visits/?region=london&places=on",
    "/visits/past/",
    "/visits/901/",
    "/visits/902/",
]
MEMBER_PAGES = [
    "/network/",
    "/network/members/",
    "/network/members/ama/",
    "/network/profile/",
    "/network/my-data/",
    "/network/blog/",
    "/network/blog/901/what-a-time-bank-taught-us/?reply=901",
    "/network/blog/write/",
    "/network/forum/",
    "/network/forum/category/health/",
    "/network/forum/901/seeking-examples-of-peer-support/",
    "/network/forum/901/seeking-examples-of-peer-support/?quote=opening#reply-form",
    "/network/forum/category/health/new/",
    "/visits/901/",
    "/visits/bookings/",
]
HOST_PAGES = [
    "/visits/host/",
    "/visits/host/new/",
    "/visits/host/901/edit/",
    "/visits/host/901/",
    "/visits/host/902/",
    "/visits/host/902/write-up/",
    "/visits/902/",
]
ATTENDEE_PAGES = ["/visits/902/", "/visits/bookings/990/feedback/"]


@pytest.fixture
def blog(home_page):
    """A members-only post with a comment and a reply (fixed keys, so the page lists can name them), and a
    public post with tags and a category."""
    author = MemberFactory(profile__handle="amara", profile__display_name="Amara Okafor")
    reader = MemberFactory(profile__handle="dele", profile__display_name="Dele Reader")
    category = Category.objects.create(name="Community capacity", slug="community-capacity")
    body = "We paid in **hours**, not pounds.\n\n- tea\n- a rota\n\n> Everyone is an expert.\n\n```\nhours += 1\n```"
    members_only = Post.objects.create(
        pk=901,
        author=author,
        title="What a time bank taught us",
        body=body,
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    public = Post.objects.create(
        pk=902,
        author=author,
        title="An open letter on exemplars",
        body=body,
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
        visibility=Post.Visibility.PUBLIC,
    )
    for post in (members_only, public):
        post.categories.add(category)
        post.tags.add("time banking")
    top = Comment.objects.create(pk=901, post=members_only, author=reader, body="This **helped** us.")
    Comment.objects.create(post=members_only, author=author, parent=top, body="Glad to hear it.")
    Comment.objects.create(post=public, author=reader, body="Thank you for writing this.")


@pytest.fixture
def forum(home_page):
    """A thread with a reply quoting the opening post, and one quoting that reply."""
    from network.forum import services
    from network.forum.models import Category as ForumCategory
    from network.forum.models import Thread

    starter = MemberFactory(profile__handle="rosa", profile__display_name="Rosa Kettering")
    replier = MemberFactory(profile__handle="tom", profile__display_name="Tom Host")
    category = ForumCategory.objects.create(
        name="Health", slug="health", description="Care, designed together"
    )
    thread = Thread.objects.create(
        pk=901,
        category=category,
        author=starter,
        title="Seeking examples of peer support",
        body="Who has seen **buddying** work?\n\n- after hospital\n- at home",
    )
    first = services.add_reply(
        thread=thread, author=replier, body="We have: @rosa, see below.", quoted=thread
    )
    services.add_reply(thread=thread, author=starter, body="Thank you!", quoted=first)
    services.recount_category(category.pk)
    return first


@pytest.fixture
def visits(home_page):
    """A visit still to come with a waiting list (901) and a past one with feedback and a write-up (902),
    once the exemplar page exists; returns its host and an attendee who has yet to give feedback."""
    from tests.factories import BookingFactory, HostFactory, StudyVisitFactory
    from visits.models import Feedback

    host = HostFactory(profile__handle="tomh", profile__display_name="Tom Host")
    attendee = MemberFactory(profile__handle="helen", profile__display_name="Helen Marsh")

    def make(page):
        upcoming = StudyVisitFactory(pk=901, page=page, host=host, capacity=2, region="london")
        upcoming.extra_questions = ["What would you like to ask?"]
        upcoming.agenda = "- 09:30 Welcome\n- 10:00 The surgery"
        upcoming.save()
        for status in ("confirmed", "confirmed", "waitlisted"):
            BookingFactory(
                visit=upcoming, status=status, answers={"organisation": "Org", "access_needs": "Ramp"}
            )
        start = timezone.now() - timedelta(days=9)
        past = StudyVisitFactory(
            pk=902,
            page=page,
            host=host,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            status="completed",
            write_up="We learned **a lot**.",
        )
        for usefulness in (5, 4, 4, 3, 5):
            Feedback.objects.create(
                booking=BookingFactory(visit=past, attendance="attended"),
                usefulness=usefulness,
                confidence=usefulness - 1,
                comment="Good",
            )
        BookingFactory(pk=990, visit=past, member=attendee, attendance="attended")

    return make, host, attendee


@pytest.fixture
def site(home_page, blog, forum, visits):
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
    make_visits, *people = visits
    make_visits(page)
    return home_page, *people


@pytest.mark.parametrize("width", [1280, 320])
def test_pages_meet_wcag_aa_and_fit_a_phone(live_server, site, browser, width):
    member = MemberFactory(profile__handle="ama", profile__display_name="Ama", profile__bio="Peer *support*")
    axe = Axe()
    problems = []
    _, host, attendee = site
    for pages, user in [
        (PUBLIC_PAGES, None),
        (MEMBER_PAGES, member),
        (HOST_PAGES, host),
        (ATTENDEE_PAGES, attendee),
    ]:
        context = browser.new_context(viewport={"width": width, "height": 800})
        if user:
            signed_in(context, live_server, user)
        page = context.new_page()
        for path in pages:
            response = page.goto(live_server.url + path)
            if response.status != 200 and path != "/no-such-page/":  # the page under test, not an error page
                problems.append(f"{path} answered {response.status}")
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
