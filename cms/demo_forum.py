"""Demo forum: categories and threads with replies, quotes and mentions, by the demo members over the last
few weeks. Written in our own words on the themes of the documents the network grew from.

Made once: each thread and reply carries a fixed key (its `submission_key`, the same once-only key a form
sends), so running the demo again adds nothing and leaves what people edited or hid as it is. Rows are
made directly (no notification emails for made-up people); the counts are then recomputed as the
services do."""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from network.forum.models import Category, ReadState, Reply, Thread
from network.forum.services import recount_category, recount_thread
from network.models import Profile

from .demo_blog import PEOPLE

KEYS = uuid.UUID("0d6c8f7e-3b1a-4c52-8e9f-5a4b3c2d1e0f")  # namespace of the demo forum's keys

CATEGORIES = [
    # (slug, name, description, only moderators start threads)
    ("announcements", "Announcements", "News from the people who run the network.", True),
    ("health", "Health", "Patients, carers and clinicians designing care together.", False),
    ("social-care", "Social care", "Care and support at home and in the community.", False),
    ("early-years", "Early years", "Services for young children and the people around them.", False),
    ("commissioning", "Commissioning", "Buying, funding and measuring services differently.", False),
    (
        "lived-experience",
        "Lived experience",
        "Involving people who use services, and paying them fairly.",
        False,
    ),
]

# Each thread: key, category, author, title, days ago, body, replies. A reply is (key, author, hours after
# the thread, text, what it quotes: None, "opening" or another reply's key). "@name" becomes a handle.
THREADS = [
    {
        "key": "welcome",
        "category": "announcements",
        "author": "priya",
        "title": "Welcome to the forum: how it works",
        "days_ago": 40,
        "body": """\
The forum is for members only: ask for examples, share what worked and what did not, and point each
other to people worth talking to.

- Start a thread in the category that fits best; moderators can move it later.
- Quote a reply to answer it, and write @ with someone's handle to bring them in.
- Use "Report" if something breaks the network's rules; a moderator will look at it.""",
        "replies": [],
    },
    {
        "key": "next-practice",
        "category": "early-years",
        "author": "rosa",
        "title": "Looking for examples that build on what families already do",
        "days_ago": 21,
        "body": """\
I am gathering **exemplars** for six places that want better results for families with young children
while spending less. I am most interested in services that:

1. work with the support families already have (grandparents, friends, neighbours);
2. meet people where they already go, rather than asking them to come to an office;
3. mix professional and peer support.

Case studies are welcome, but a name of someone to talk to is better.""",
        "replies": [
            (
                "np-1",
                "dele",
                3,
                "The peer support network we visited last spring does the second very well: the "
                "groups meet in a café, not a clinic. @rosa happy to introduce you to the organiser.",
                "opening",
            ),
            (
                "np-2",
                "helen",
                9,
                "On the first point: a children's centre near us invites grandparents to the "
                "same sessions as parents. Attendance doubled once they did.",
                None,
            ),
            (
                "np-3",
                "rosa",
                20,
                "Thank you both. Helen, did they measure anything besides attendance?",
                "np-2",
            ),
            (
                "np-4",
                "helen",
                26,
                "Some: they asked families what changed for them six months on. @fiona ran "
                "that part and could say more.",
                "np-3",
            ),
            (
                "np-5",
                "fiona",
                30,
                "Happy to share the questions we used. The short answer: families felt less "
                "judged, and came back when things got hard rather than when they were already in crisis.",
                None,
            ),
        ],
    },
    {
        "key": "gp-time-bank",
        "category": "health",
        "author": "kwame",
        "title": "Has anyone linked a time bank with a GP surgery?",
        "days_ago": 12,
        "body": """\
A surgery near us wants to refer patients to the local time bank: people who are lonely or recovering
and would benefit from giving and receiving help. Who has done this, and what did the GPs need to
make referrals a habit?""",
        "replies": [
            (
                "gp-1",
                "tom",
                2,
                "We did, for two years. What made it work was a named person at the time bank "
                "whom the receptionists could phone, not a form.",
                "opening",
            ),
            (
                "gp-2",
                "aisha",
                6,
                "Agree with Tom. Also: count the hours members give, not only the hours they "
                "receive. Patients who give help improve as much as those who get it.",
                "gp-1",
            ),
            ("gp-3", "kwame", 30, "That is very helpful. @tom could we visit?", "gp-1"),
            ("gp-4", "tom", 33, "Yes: I will offer a study visit next month and post the date here.", "gp-3"),
        ],
    },
    {
        "key": "paying-experts",
        "category": "lived-experience",
        "author": "leah",
        "title": "Paying people with lived experience: what rates do you use?",
        "days_ago": 6,
        "body": """\
We ask people who use our services to sit on interview panels and design groups. We pay vouchers, which
some people find patronising. What do others pay, and how do you handle benefits rules?""",
        "replies": [
            (
                "pe-1",
                "martin",
                4,
                "We pay the same hourly rate as the staff in the room, in money, and offer "
                "vouchers only to people who ask for them because of benefits.",
                None,
            ),
            (
                "pe-2",
                "chloe",
                8,
                "Same here. Pay on the day if you can: waiting weeks for an invoice to clear "
                "is a barrier in itself.",
                "pe-1",
            ),
        ],
    },
    {
        "key": "outcomes",
        "category": "commissioning",
        "author": "gareth",
        "title": "Measuring outcomes that matter to people, not to the contract",
        "days_ago": 3,
        "body": """\
Our contracts count visits and waiting times. The people we serve talk about feeling in control and
having someone to call. Has anyone rewritten a contract around outcomes that people chose themselves?""",
        "replies": [
            (
                "oc-1",
                "sofia",
                5,
                "We co-wrote the outcome measures with a panel of service users. It took "
                "three months and was worth every week.",
                "opening",
            ),
        ],
    },
]


def seed_forum() -> None:
    """Categories, threads and replies; what is already there is left alone."""
    categories = {
        slug: Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "sort_order": order, "moderators_only": only},
        )[0]
        for order, (slug, name, description, only) in enumerate(CATEGORIES)
    }
    done = set(
        Thread.objects.filter(submission_key__in=[_key(spec["key"]) for spec in THREADS]).values_list(
            "submission_key", flat=True
        )
    )
    people = {user.email: user for user in get_user_model().objects.filter(email__in=PEOPLE.values())}
    handles = dict(
        Profile.objects.filter(user__email__in=PEOPLE.values()).values_list("user__email", "handle")
    )
    now = timezone.now()
    for spec in THREADS:
        author = people.get(PEOPLE[spec["author"]])
        if _key(spec["key"]) in done or author is None:
            continue
        _thread(spec, author, categories[spec["category"]], people, handles, now)
    for category in categories.values():
        recount_category(category.pk)


def _thread(spec: dict, author, category: Category, people: dict, handles: dict, now) -> Thread:
    started = (now - timedelta(days=spec["days_ago"])).replace(minute=15, second=0, microsecond=0)
    thread = Thread.objects.create(
        category=category,
        author=author,
        title=spec["title"],
        body=_mentions(spec["body"], handles),
        created_at=started,
        submission_key=_key(spec["key"]),
    )
    ReadState.objects.create(user=author, thread=thread, last_read_number=0)
    made: dict[str, Reply] = {}
    number = 0
    for key, who, hours, text, quote in spec["replies"]:
        writer = people.get(PEOPLE[who])
        if writer is None:  # a demo member someone has deleted
            continue
        number += 1
        made[key] = Reply.objects.create(
            thread=thread,
            author=writer,
            body=_mentions(text, handles),
            number=number,
            created_at=started + timedelta(hours=hours),
            quoted=made.get(quote) if quote not in (None, "opening") else None,
            quotes_opening_post=quote == "opening",
            submission_key=_key(key),
        )
        ReadState.objects.update_or_create(user=writer, thread=thread, defaults={"last_read_number": number})
    Thread.objects.filter(pk=thread.pk).update(last_number=number)
    recount_thread(thread.pk)
    return thread


def _mentions(text: str, handles: dict) -> str:
    for name, email in PEOPLE.items():
        if email in handles:
            text = text.replace(f"@{name}", f"@{handles[email]}")
    return text


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(KEYS, f"forum:{name}")
