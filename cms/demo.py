"""Demo content for `seed_demo`: the site's pages and one account per role, made idempotently."""

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from network import roles
from network.models import Profile, Theme

from .demo_blog import seed_blog
from .demo_exemplars import seed_exemplars
from .demo_forum import seed_forum
from .demo_visits import seed_visits
from .models import HomePage, StandardPage

DEMO_ACCOUNTS = [
    # (role shown to the person running the demo, email, name, groups, membership status)
    ("member", "member@example.org", "Amara Osei", [roles.MEMBERS], Profile.Status.MEMBER),
    ("host", "host@example.org", "Tom Breslin", [roles.MEMBERS, roles.HOSTS], Profile.Status.MEMBER),
    (
        "moderator",
        "moderator@example.org",
        "Priya Natarajan",
        [roles.MEMBERS, roles.MODERATORS],
        Profile.Status.MEMBER,
    ),
    ("editor", "editor@example.org", "Grace Okafor", [roles.MEMBERS, roles.EDITORS], Profile.Status.MEMBER),
    ("applicant", "applicant@example.org", "Sam Whitfield", [], Profile.Status.APPLICANT),
]

R, Rel = Profile.Region, Profile.Relationship
# Made-up people: (name, organisation, job title, relationship, region, theme slugs, bio)
DEMO_MEMBERS = [
    (
        "Dele Adeyemi",
        "Lambeth Time Bank",
        "Time bank broker",
        Rel.VOLUNTEER,
        R.LONDON,
        ["community-capacity", "new-units-of-support"],
        "I match people's skills with their neighbours' needs. Ask me about GP referrals to a time bank.",
    ),
    (
        "Helen Marsh",
        "Lincolnshire Community Health",
        "Respiratory physiotherapist",
        Rel.PRACTITIONER,
        R.EAST_MIDLANDS,
        ["rethinking-the-professional"],
        "Patients with COPD co-design our pulmonary rehab sessions; the buddies teach me as much as I teach them.",
    ),
    (
        "Kwame Mensah",
        "",
        "",
        Rel.SERVICE_USER,
        R.LONDON,
        ["meeting-people-where-they-are", "barriers-to-engagement"],
        "Peer network member for six years. I speak about crisis support that does not discharge you.",
    ),
    (
        "Fiona Campbell",
        "Glasgow City HSCP",
        "Commissioning manager",
        Rel.COMMISSIONER,
        R.SCOTLAND,
        ["diverse-providers"],
        "Interested in contracts that leave room for peer-led and informal support.",
    ),
    (
        "Rhys Pritchard",
        "Cardiff University",
        "Research fellow",
        Rel.RESEARCHER,
        R.WALES,
        ["community-capacity"],
        "Evaluating co-produced mental health services; happy to share evaluation frameworks.",
    ),
    (
        "Aisha Rahman",
        "Tower Hamlets parents' forum",
        "Parent organiser",
        Rel.CARER,
        R.LONDON,
        ["new-units-of-support", "community-capacity"],
        "Parent at a cooperative nursery where families help run the sessions.",
    ),
    (
        "Martin Doyle",
        "Belfast Health and Social Care Trust",
        "Social worker",
        Rel.PRACTITIONER,
        R.NORTHERN_IRELAND,
        ["rethinking-the-professional"],
        "Local area coordination in practice: fewer referrals, more conversations.",
    ),
    (
        "Chloe Bennett",
        "Bristol Mind",
        "Involvement lead",
        Rel.PRACTITIONER,
        R.SOUTH_WEST,
        ["barriers-to-engagement"],
        "I organise engagement events designed by service users and staff together.",
    ),
    (
        "Yusuf Khan",
        "",
        "Youth adviser",
        Rel.SERVICE_USER,
        R.WEST_MIDLANDS,
        ["barriers-to-engagement", "meeting-people-where-they-are"],
        "I helped redesign sexual health services for young people: confidentiality first.",
    ),
    (
        "Eleanor Price",
        "Norfolk County Council",
        "Local area coordinator",
        Rel.PRACTITIONER,
        R.EAST,
        ["community-capacity", "rethinking-the-professional"],
        "Working alongside disabled people and families to find support close to home.",
    ),
    (
        "Gareth Lloyd",
        "North Wales carers' network",
        "Carer",
        Rel.CARER,
        R.WALES,
        ["new-units-of-support"],
        "Looking after my dad and learning from other carers.",
    ),
    (
        "Nadia Kowalski",
        "Leeds Community Foundation",
        "Grants officer",
        Rel.COMMISSIONER,
        R.YORKSHIRE,
        ["diverse-providers", "community-capacity"],
        "Funding small groups that do big things.",
    ),
    (
        "Oliver Grant",
        "Newcastle University",
        "PhD researcher",
        Rel.RESEARCHER,
        R.NORTH_EAST,
        ["rethinking-the-professional"],
        "Studying how professional roles change in co-produced services.",
    ),
    (
        "Sofia Marino",
        "Manchester Health and Care Commissioning",
        "Programme manager",
        Rel.COMMISSIONER,
        R.NORTH_WEST,
        ["diverse-providers", "barriers-to-engagement"],
        "People powered health; measuring what matters to patients.",
    ),
    (
        "Ben Carter",
        "Kent Volunteers",
        "Volunteer coordinator",
        Rel.VOLUNTEER,
        R.SOUTH_EAST,
        ["community-capacity"],
        "Volunteers who once used our services now run half of them.",
    ),
    (
        "Leah Thompson",
        "",
        "",
        Rel.SERVICE_USER,
        R.SOUTH_EAST,
        ["meeting-people-where-they-are"],
        "Expert by experience. I co-facilitate a peer group in a community centre.",
    ),
    (
        "Imran Siddiqui",
        "Birmingham GP federation",
        "GP",
        Rel.PRACTITIONER,
        R.WEST_MIDLANDS,
        ["meeting-people-where-they-are", "community-capacity"],
        "Social prescribing and time banking from the surgery.",
    ),
    (
        "Hannah Fraser",
        "Edinburgh Voluntary Organisations' Council",
        "Policy officer",
        Rel.VOLUNTEER,
        R.SCOTLAND,
        ["diverse-providers"],
        "Third sector voice in health and social care partnerships.",
    ),
    (
        "Joseph Okonkwo",
        "Nottingham City Council",
        "Early years manager",
        Rel.COMMISSIONER,
        R.EAST_MIDLANDS,
        ["new-units-of-support", "barriers-to-engagement"],
        "Radical efficiency in early years: grandparents are part of the team.",
    ),
    (
        "Megan Hughes",
        "",
        "Carer and trainer",
        Rel.CARER,
        R.NORTH_WEST,
        ["rethinking-the-professional"],
        "I train clinicians alongside other carers.",
    ),
    (
        "Daniel Levy",
        "Hackney CVS",
        "Community development worker",
        Rel.VOLUNTEER,
        R.LONDON,
        ["community-capacity", "diverse-providers"],
        "Building neighbourhood networks that services can lean on.",
    ),
    (
        "Rosa Kettering",
        "Public service design studio",
        "Designer",
        Rel.PRACTITIONER,
        R.SOUTH_WEST,
        ["barriers-to-engagement", "rethinking-the-professional"],
        "Collecting exemplars of next practice in complex social policy.",
    ),
]
DEMO_APPLICANTS = [
    (
        "Callum Reid",
        "Dundee Youth Work",
        Rel.PRACTITIONER,
        R.SCOTLAND,
        "I want to learn how other youth services involve young people in design.",
    ),
    (
        "Zara Ahmed",
        "",
        Rel.SERVICE_USER,
        R.YORKSHIRE,
        "I use mental health services and want to help shape them.",
    ),
]


def demo_password(email: str) -> str:
    """A random password per demo account, made on first use and kept (readable by this user only) in
    DEMO_PASSWORDS_FILE, so re-running the demo keeps it. Never derived from anything public, such as the
    development SECRET_KEY: a demo reachable from elsewhere must not hand out its staff accounts."""
    path = Path(settings.DEMO_PASSWORDS_FILE)
    passwords = json.loads(path.read_text()) if path.exists() else {}
    if email not in passwords:
        passwords[email] = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(passwords, file, indent=1)
    return passwords[email]


def seed() -> list[tuple[str, str, str]]:
    accounts = _seed()
    # Search and reference indexes are normally kept by the task worker; build them now so the demo is
    # complete before the worker starts.
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    return accounts


@transaction.atomic
def _seed() -> list[tuple[str, str, str]]:
    home = _home_page()
    _standard_pages(home)
    accounts = [_account(*spec) for spec in DEMO_ACCOUNTS]
    _members()
    seed_exemplars(home)
    seed_blog()
    seed_forum()
    seed_visits()
    return accounts


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
        # The site answers on SITE_URL's host, and as the default for any other host name.
        url = urlsplit(settings.SITE_URL)
        Site.objects.filter(is_default_site=True).delete()
        Site.objects.create(
            hostname=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 80),
            root_page=home,
            site_name="Coproduce",
            is_default_site=True,
        )
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


def _account(role: str, email: str, name: str, groups: list[str], status: str) -> tuple[str, str, str]:
    user = _person(email, name, groups, status, relationship=Rel.PRACTITIONER, region=R.LONDON)
    user.set_password(demo_password(email))
    user.save(update_fields=["password"])
    return role, email, demo_password(email)


def _members() -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    for name, organisation, title, relationship, region, slugs, bio in DEMO_MEMBERS:
        email = name.lower().replace(" ", ".") + "@example.net"
        user = _person(
            email,
            name,
            [roles.MEMBERS],
            Profile.Status.MEMBER,
            relationship=relationship,
            region=region,
            organisation=organisation,
            job_title=title,
            bio=bio,
        )
        user.network_profile.themes.set([themes[s] for s in slugs if s in themes])
    for name, organisation, relationship, region, reason in DEMO_APPLICANTS:
        email = name.lower().replace(" ", ".") + "@example.net"
        _person(
            email,
            name,
            [],
            Profile.Status.APPLICANT,
            relationship=relationship,
            region=region,
            organisation=organisation,
            application_reason=reason,
        )


def _person(email: str, name: str, groups: list[str], status: str, **profile_fields):
    """An account with a verified address and a profile, made once: running the demo again leaves what
    people changed since (status, name, address) alone. Demo people without a password cannot sign in."""
    User = get_user_model()
    username = email.split("@")[0]
    user = User.objects.filter(email=email).first() or User.objects.filter(username=username).first()
    if user is not None:
        return user
    first, _, last = name.partition(" ")
    user = User.objects.create(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user.groups.add(*Group.objects.filter(name__in=groups))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(
        user=user,
        display_name=name,
        handle=slugify(name),
        status=status,
        **profile_fields,
        **({"applied_at": user.date_joined} if status == Profile.Status.APPLICANT else {}),
    )
    return user
