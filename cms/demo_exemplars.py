"""Demo exemplars, written in our own words from the facts of the projects the network grew from.

Images and report PDFs are drawn here with Pillow, so the demo downloads nothing."""

import io
import random

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from wagtail.documents.models import Document
from wagtail.models import Collection, PageViewRestriction
from wagtail.rich_text import RichText

from network import roles
from network.models import Region, Theme

from .models import ExemplarIndexPage, ExemplarPage, HomePage, HomePageFeatured, Sector, SiteImage

SECTORS = ["Health", "Mental health", "Social care", "Early years", "Sexual health", "Housing", "Community"]

EXEMPLARS = [
    {
        "slug": "croydon-service-user-network",
        "title": "A peer network for people with personality disorders",
        "summary": "Members support each other through crises in weekly groups held in a voluntary sector "
        "centre, with facilitators who guide rather than run the sessions.",
        "organisation": "Croydon Service User Network",
        "town": "Croydon",
        "region": Region.LONDON,
        "sectors": ["Mental health", "Health"],
        "themes": ["meeting-people-where-they-are", "rethinking-the-professional", "barriers-to-engagement"],
        "people_involved": "More than 70 members; four groups a week",
        "funding_model": "NHS mental health trust",
        "contact_text": "Ask the network's facilitators through the trust's contact page.",
        "started": 2009,
        "outcomes": [
            ("A&E attendances", "30% fewer", "Network's own evaluation"),
            ("Hospital bed use", "More than halved", "Network's own evaluation"),
        ],
        "quote": (
            "It is refreshing to work with professionals who do not assume they know best.",
            "",
            "network member",
        ),
        "body": "<p>The clinical team set out not to impose a service. They recruited a local group led by "
        "service users, who shaped the first ideas and agreed the ground rules.</p><p>Anyone with a "
        "personality disorder can be recommended or refer themselves, membership never ends, and members "
        "decide how much support they want. Meeting in a voluntary action centre rather than a mental "
        "health building keeps the space neutral.</p>",
        "colour": (11, 85, 99),
    },
    {
        "slug": "paxton-green-time-bank",
        "title": "A time bank linked to a GP surgery",
        "summary": "Neighbours trade hours of help; GPs refer patients who are isolated, and the time bank runs "
        "health talks with its members.",
        "organisation": "Paxton Green Time Bank",
        "town": "Dulwich",
        "region": Region.LONDON,
        "sectors": ["Health", "Community"],
        "themes": ["community-capacity", "meeting-people-where-they-are", "new-units-of-support"],
        "people_involved": "Time bank members, GPs and reception staff",
        "funding_model": "Grants and practice support",
        "contact_text": "The time bank broker welcomes visits; ask through the network.",
        "started": 2007,
        "outcomes": [("Health talks run by and for members", "Diabetes, COPD, physiology", "Time bank")],
        "quote": (
            "You would not ask for a criminal records check on your neighbour.",
            "",
            "time bank member",
        ),
        "body": "<p>A doctor inspired by a similar scheme at another practice started it. The time bank lives "
        "in a community centre five minutes from the surgery and keeps a strong presence there: GPs refer "
        "people, and receptionists tell patients they can join.</p><p>It keeps checks for the rare cases "
        "that need them, so that relationships can grow informally, outside services.</p>",
        "colour": (29, 107, 53),
    },
    {
        "slug": "hope-respiratory-buddying",
        "title": "Patients buddying patients in respiratory care",
        "summary": "People living with lung conditions design and deliver the programme with a "
        "multidisciplinary team, and buddy newer patients.",
        "organisation": "HOPE service",
        "town": "Lincoln",
        "region": Region.EAST_MIDLANDS,
        "sectors": ["Health"],
        "themes": ["rethinking-the-professional", "community-capacity"],
        "people_involved": "Patients with lung and respiratory conditions, clinicians, therapists",
        "funding_model": "NHS community health services",
        "contact_text": "Contact the service through the community health trust.",
        "started": 2008,
        "outcomes": [("Patient outcomes", "Among the best in the country", "National comparison")],
        "quote": ("The buddies teach us as much as we teach them.", "", "clinician"),
        "body": "<p>The programme treats every patient with a long-term condition as an expert in living with "
        "it. Experienced patients are paired with people newly referred, and help shape what the sessions "
        "cover. The service has won awards for its approach.</p>",
        "colour": (120, 60, 140),
    },
    {
        "slug": "scallywags-parent-run-nursery",
        "title": "A nursery run with its parents",
        "summary": "Facing closure under new childcare rules, a nursery became a cooperative in which parents "
        "help deliver the care, keeping places affordable.",
        "organisation": "Scallywags nursery",
        "town": "Bethnal Green",
        "region": Region.LONDON,
        "sectors": ["Early years", "Community"],
        "themes": ["new-units-of-support", "community-capacity", "diverse-providers"],
        "people_involved": "Parents, nursery staff and local residents",
        "funding_model": "Cooperative: parents' fees and time",
        "contact_text": "Parents show visitors round by arrangement.",
        "started": 2005,
        "outcomes": [
            ("Cost of a place", "£2.50 an hour", "Nursery's own figures"),
            ("Demand", "A waiting list for places", "Nursery"),
        ],
        "quote": ("We can afford to work, and we found a whole community of other parents.", "", "parent"),
        "body": "<p>When regulations changed in 2005 the nursery could have shut. Instead it wrote a new "
        "framework that lets parents take part in its practice. Parents give time as well as fees, which "
        "keeps the price low and gives families a ready-made network of peers.</p>",
        "colour": (176, 96, 20),
    },
    {
        "slug": "local-area-coordinators",
        "title": "Local area coordinators in social care",
        "summary": "Public servants based in neighbourhoods work alongside disabled people and families to "
        "find support that fits, often outside formal services.",
        "organisation": "Local area coordination programme",
        "town": "",
        "region": Region.EAST,
        "sectors": ["Social care", "Community"],
        "themes": ["rethinking-the-professional", "community-capacity", "diverse-providers"],
        "people_involved": "Coordinators, disabled people, families and local groups",
        "funding_model": "Council social care budget",
        "contact_text": "Ask through the council's adult social care contact page.",
        "started": 2010,
        "outcomes": [("Use of residential care", "Demand redirected to community support", "Council review")],
        "quote": (
            "We start from what the person wants their life to look like.",
            "",
            "local area coordinator",
        ),
        "body": "<p>Coordinators live and work in the communities they serve and get to know people before "
        "any crisis. Together they draw in informal help as well as statutory services, which improves "
        "people's experience and saves money that would have gone on residential care.</p>",
        "colour": (164, 22, 26),
    },
    {
        "slug": "young-peoples-sexual-health",
        "title": "Young people redesign sexual health services",
        "summary": "Whole-system workshops brought young people, clinicians and managers together as equals "
        "to rethink how local sexual health services work.",
        "organisation": "Local multi-agency partnership",
        "town": "",
        "region": Region.SOUTH_EAST,
        "sectors": ["Sexual health", "Health"],
        "themes": ["barriers-to-engagement", "diverse-providers"],
        "people_involved": "Young people, professionals and managers from many agencies",
        "funding_model": "Invest to Save budget",
        "contact_text": "The workshop designers share their materials with members on request.",
        "started": 2003,
        "outcomes": [("Condom distribution", "Reorganised after young people's advice", "NHS manager")],
        "quote": (
            "Hearing young people talk about confidentiality made us see it far more clearly.",
            "",
            "clinician",
        ),
        "body": "<p>An independent evaluation found the joint workshops had the greatest impact: everyone in "
        "the room was treated as an expert. Some professionals had favoured a one-stop shop, until working "
        "with young people showed that was not what they wanted.</p><p>Staff describe a change of culture: "
        "agencies feel less threatened by each other and less defensive.</p>",
        "colour": (30, 90, 160),
    },
    {
        "slug": "moving-forward-together",
        "title": "Moving forward together: an engagement strategy made with service users",
        "summary": "A mental health trust asked about a hundred service users, carers and staff to design how "
        "they would work together. Members-only notes from the day.",
        "organisation": "Mental health partnership trust",
        "town": "Bath",
        "region": Region.SOUTH_WEST,
        "sectors": ["Mental health"],
        "themes": ["barriers-to-engagement", "rethinking-the-professional"],
        "people_involved": "About 100 service users, carers, staff and partners",
        "funding_model": "Trust engagement budget",
        "contact_text": "Members can ask the trust's involvement team through the network.",
        "started": 2012,
        "outcomes": [
            (
                "Attendees confident the trust would deliver",
                "24%",
                "Poll at the event",
            ),
            ("Not sure", "45%", "Poll at the event"),
        ],
        "quote": (
            "We will be judged on what we do, not on what we say we might do.",
            "",
            "non-executive director",
        ),
        "body": "<p>Service user representatives and staff designed the event together. Mixed tables imagined "
        "day-to-day involvement, improvement projects and faster ways to resolve problems, and built simple "
        "models of their vision.</p>",
        "colour": (70, 70, 70),
        "members_only": True,
    },
]


def seed_exemplars(home: HomePage) -> None:
    index = _index(home)
    sectors = {
        name: Sector.objects.get_or_create(slug=_slug(name), defaults={"name": name})[0] for name in SECTORS
    }
    themes = {t.slug: t for t in Theme.objects.all()}
    for spec in EXEMPLARS:
        if ExemplarPage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = _exemplar(index, spec)
        page.sectors.set([sectors[name] for name in spec["sectors"]])
        page.themes.set([themes[slug] for slug in spec["themes"] if slug in themes])
        page.save_revision().publish()
        if spec.get("members_only"):
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.set(Group.objects.filter(name=roles.MEMBERS))
    if not home.featured_items.exists():
        for order, slug in enumerate(
            ["croydon-service-user-network", "paxton-green-time-bank", "scallywags-parent-run-nursery"]
        ):
            HomePageFeatured.objects.create(
                home=home, page=ExemplarPage.objects.get(slug=slug), sort_order=order
            )


def _index(home: HomePage) -> ExemplarIndexPage:
    index = ExemplarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ExemplarIndexPage(
                title="Exemplars",
                slug="exemplars",
                show_in_menus=True,
                intro=RichText(
                    "<p>Projects where services were designed and delivered with the people who use "
                    "them. Filter by theme, sector or region, and book a study visit to see one.</p>"
                ),
            )
        )
        index.save_revision().publish()
    return index


def _exemplar(index: ExemplarIndexPage, spec: dict) -> ExemplarPage:
    body = [("paragraph", RichText(spec["body"]))]
    quote, speaker, role = spec["quote"]
    body.append(("quote", {"quote": quote, "speaker": speaker, "role": role}))
    for label, value, source in spec["outcomes"]:
        body.append(
            ("outcome", {"label": label, "value": value, "source": source, "year": spec["started"] + 3})
        )
    page = ExemplarPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        organisation=spec["organisation"],
        town=spec["town"],
        region=spec["region"],
        people_involved=spec["people_involved"],
        funding_model=spec["funding_model"],
        contact_text=spec["contact_text"],
        started=spec["started"],
        hero_image=_image(spec),
        hero_alt="",
        body=body,
    )
    index.add_child(instance=page)
    page.reports.create(document=_report(spec), title=f"Case study: {spec['organisation']}", sort_order=0)
    return page


def _image(spec: dict) -> SiteImage:
    """A decorative placeholder: overlapping circles in the exemplar's colour."""
    rng = random.Random(spec["slug"])
    image = Image.new("RGB", (1200, 675), spec["colour"])
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(14):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(60, 260)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, rng.randint(25, 70)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return SiteImage.objects.create(
        title=spec["title"],
        file=ImageFile(io.BytesIO(out.getvalue()), name=f"{spec['slug']}.jpg"),
        collection=Collection.get_first_root_node(),
    )


def _report(spec: dict) -> Document:
    """A one-page PDF standing in for the project's report."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 180), fill=spec["colour"])
    draw.text((80, 70), spec["organisation"], fill="white")
    y = 260
    for line in [spec["title"], "", spec["summary"]]:
        draw.text((80, y), line, fill="black")
        y += 40
    out = io.BytesIO()
    page.save(out, "PDF")
    return Document.objects.create(
        title=f"{spec['organisation']} case study",
        file=SimpleUploadedFile(
            f"{spec['slug']}-case-study.pdf", out.getvalue(), content_type="application/pdf"
        ),
        collection=Collection.get_first_root_node(),
    )


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")
