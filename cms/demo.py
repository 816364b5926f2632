"""Demo content for `seed_demo`: the site's pages and one account per role, made idempotently."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.crypto import salted_hmac
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from network import roles

from .models import HomePage, StandardPage

DEMO_ACCOUNTS = [
    # (role shown to the person running the demo, email, name, groups, is_superuser)
    ("member", "member@example.org", "Amara Osei", [roles.MEMBERS], False),
    ("host", "host@example.org", "Tom Breslin", [roles.MEMBERS, roles.HOSTS], False),
    ("moderator", "moderator@example.org", "Priya Natarajan", [roles.MEMBERS, roles.MODERATORS], False),
    ("editor", "editor@example.org", "Grace Okafor", [roles.MEMBERS, roles.EDITORS], False),
]


def demo_password(email: str) -> str:
    """Stable for one SECRET_KEY, so re-running the demo keeps its passwords; secret where the key is."""
    digest = salted_hmac("coproduce.demo-password", email, secret=settings.SECRET_KEY).hexdigest()
    return f"demo-{digest[:12]}"


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    home = _home_page()
    _standard_pages(home)
    return [_account(*spec) for spec in DEMO_ACCOUNTS]


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        for old in Page.objects.filter(depth=2):
            old.delete()  # Wagtail's "Welcome" placeholder (and the Site pointing at it)
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Home",
                slug="home",
                heading="Design public services with the people who use them",
                intro=RichText(
                    "<p>Coproduce is a members' network for people who plan, run and use public services "
                    "and want to shape them as equals. Share what works, learn from exemplar projects and "
                    "visit them in person.</p>"
                ),
                audience=RichText(
                    "<ul><li>Frontline staff and clinicians who already work alongside service users</li>"
                    "<li>People who use services, and the carers and families who support them</li>"
                    "<li>Council officers, commissioners and NHS managers</li>"
                    "<li>Voluntary groups, time banks and peer networks</li>"
                    "<li>Researchers and evaluators of co-produced services</li></ul>"
                ),
                join_text=RichText(
                    "<p>Membership is free. Tell us a little about your work and a moderator will welcome "
                    "you in. In this network a service user and a consultant are both experts.</p>"
                ),
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = "localhost", 80, home, "Coproduce"
    site.save()
    return home


PAGES = [
    (
        "about",
        "About the network",
        True,
        "Why a network of co-production practitioners, and how it works.",
        [
            ("heading", "Everyone is an expert"),
            (
                "paragraph",
                "<p>Public services work better when the people who use them help to design and deliver "
                "them. Members here include nurses, council staff, carers, time bankers and people with "
                "lived experience of services; nobody's voice counts for more because of a job title.</p>",
            ),
            ("heading", "What members do"),
            (
                "paragraph",
                "<ul><li>Write about their practice and comment on each other's work</li>"
                "<li>Discuss questions in the forum</li>"
                "<li>Book study visits to exemplar projects, hosted by the people who run them</li></ul>",
            ),
        ],
    ),
    (
        "terms",
        "Terms of use",
        False,
        "The few rules that keep the network useful and safe.",
        [
            (
                "paragraph",
                "<p>Be respectful, write only what you are happy for other members to read, and never share "
                "another person's story without their consent. Moderators may hide content that breaks "
                "these terms and suspend accounts that repeatedly do.</p>",
            )
        ],
    ),
    (
        "privacy",
        "Privacy",
        False,
        "What we keep about you, who can see it, and how to take it away.",
        [
            (
                "paragraph",
                "<p>What members write is visible to members only unless the author makes it public. "
                "Booking details and access needs are seen only by you, the visit's hosts and moderators. "
                "You can download everything we hold about you, or delete your account, at any time.</p>",
            )
        ],
    ),
]


def _standard_pages(home: HomePage) -> None:
    for slug, title, in_menu, summary, body in PAGES:
        if home.get_children().filter(slug=slug).exists():
            continue
        page = home.add_child(
            instance=StandardPage(title=title, slug=slug, show_in_menus=in_menu, summary=summary, body=body)
        )
        page.save_revision().publish()


def _account(role: str, email: str, name: str, groups: list[str], is_superuser: bool) -> tuple[str, str, str]:
    User = get_user_model()
    first, _, last = name.partition(" ")
    user, _ = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0], "first_name": first, "last_name": last}
    )
    user.set_password(demo_password(email))
    user.is_superuser = is_superuser
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return role, email, demo_password(email)
