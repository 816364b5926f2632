"""Demo blog: categories, posts by the demo members (a few public, most for members only) over the last few
months, with tags, comments and one level of replies. Written in our own words on the themes of the
documents the network grew from.

Made once: each post carries a fixed key (its `submission_key`, the same once-only key a form sends), so
running the demo again adds nothing and leaves posts that people edited, hid or deleted as they are."""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from network.blog.models import Category, Comment, Post
from network.blog.services import recount_comments

KEYS = uuid.UUID("6f1c2d64-8a4b-4e0f-9d55-0c3b7a1e2f90")  # namespace of the demo posts' keys

CATEGORIES = [
    # (slug, name, description)
    (
        "community-capacity",
        "Community capacity",
        "Finding and building on what neighbourhoods, families and groups already do for each other.",
    ),
    (
        "health-and-care",
        "Health and care",
        "Patients, carers and clinicians designing care together.",
    ),
    (
        "time-banking",
        "Time banking",
        "Trading hours of help between neighbours, and linking time banks with surgeries and services.",
    ),
    (
        "evaluation",
        "Evaluation",
        "How we find out what changed for people, and who gets to say.",
    ),
    (
        "practice-notes",
        "Practice notes",
        "Short write-ups from the day job: events, visits, workshops and what we learned.",
    ),
]

# Who writes: the demo accounts by their address; the made-up members as cms.demo addresses them.
PEOPLE = {
    "amara": "member@example.org",  # the demo member people sign in as
    "tom": "host@example.org",
    "priya": "moderator@example.org",
    "grace": "editor@example.org",
    **{
        name.split()[0].lower(): name.lower().replace(" ", ".") + "@example.net"
        for name in (
            "Dele Adeyemi",
            "Helen Marsh",
            "Kwame Mensah",
            "Fiona Campbell",
            "Rhys Pritchard",
            "Aisha Rahman",
            "Martin Doyle",
            "Chloe Bennett",
            "Yusuf Khan",
            "Gareth Lloyd",
            "Imran Siddiqui",
            "Daniel Levy",
            "Rosa Kettering",
            "Leah Thompson",
            "Megan Hughes",
            "Sofia Marino",
            "Oliver Grant",
            "Joseph Okonkwo",
            "Eleanor Price",
        )
    },
}

PUBLIC, MEMBERS = Post.Visibility.PUBLIC, Post.Visibility.MEMBERS

# Each post: key, author, title, days ago, visibility, categories, tags, views, body, comments.
# A comment is (author, hours after the post, text, [replies as (author, hours after the post, text)]).
POSTS = [
    {
        "key": "exemplar-call",
        "author": "rosa",
        "title": "Wanted: examples of services that build on community capacity",
        "days_ago": 142,
        "visibility": PUBLIC,
        "categories": ["community-capacity"],
        "tags": ["exemplars", "next practice", "early years"],
        "views": 311,
        "body": """\
I am putting together a collection of **exemplars** for a programme that is trying to get better results
for families with young children while spending less. Case studies are useful, but I want the ones that
will make a tired commissioner sit up and say *we could do that here*.

### What I am looking for

Work you have seen, run or used that does one or more of these:

- finds and works with the networks and skills a community **already has**, rather than starting from
  what a service offers
- removes the reasons people stay away from support: stigma, not knowing it exists, fear of being judged
- takes the service to where people already go and feel at ease
- works with the wider circle around a child, such as grandparents and close friends, not only parents
- mixes paid and unpaid, professional and peer, formal and informal help
- brings public, voluntary and private providers into one system

### How to send one

A comment below is perfect: two lines and a link are plenty. If it is already in the
[exemplar catalogue](/exemplars/), tell me what made it work. I will write up the ones we use, and credit
whoever pointed me to them.
""",
        "comments": [
            (
                "daniel",
                5,
                "Neighbourhood networks in Hackney would fit your first point. The groups existed long before "
                "any service noticed them; the trick was asking them what they needed instead of recruiting "
                "them as volunteers.",
                [("rosa", 9, "That is exactly the shift I mean. Could we talk next week?")],
            ),
            (
                "gareth",
                30,
                "A charity in Scotland is helping grandparents keep in touch with grandchildren after a family "
                "splits up. Early days, but it is the wider *unit of support* you describe.",
                [
                    ("rosa", 33, "Thank you, Gareth. Do you know who runs it?"),
                    ("gareth", 40, "I will ask my sister, she volunteers near there."),
                ],
            ),
            (
                "fiona",
                72,
                "Adult social care has plenty of examples of your mixed economy point: support planning done by "
                "user-led organisations rather than by the council. The contracts are the hard part.",
                [],
            ),
        ],
    },
    {
        "key": "experts-too",
        "author": "kwame",
        "title": "Service users are experts too",
        "days_ago": 128,
        "visibility": PUBLIC,
        "categories": ["health-and-care"],
        "tags": ["lived experience", "mental health"],
        "views": 486,
        "body": """\
Nobody knows the ins and outs of my life better than I do. That sounds obvious, but most of the services I
have used were designed as if I had nothing to add.

### "Non-compliance" is a relationship problem

When someone does not follow a plan, the usual answer is a firmer letter. In my experience the plan was
usually made *for* them, not *with* them. I stopped missing appointments when the appointments started
making sense to me.

### What changes when you ask

1. People say what actually gets in the way (bus fares, childcare, the waiting room).
2. Staff stop guessing, and stop being surprised.
3. People who have been through it can help the next person, and get something back from doing it.

Advice only works once somebody takes it home and lives with it. Services that forget this end up doing
things **to** people. I would rather we did things **with** them.
""",
        "comments": [
            (
                "helen",
                3,
                "Our respiratory patients taught us this the hard way. The sessions we designed alone were half "
                "empty; the ones they designed have a waiting list.",
                [("kwame", 6, "A waiting list is the best evaluation there is.")],
            ),
            ("leah", 20, "Printing this out for our next staff meeting. Thank you.", []),
            (
                "amara",
                26,
                "The part about staff stopping guessing rings true. We guessed for years.",
                [],
            ),
        ],
    },
    {
        "key": "copd-buddies",
        "author": "helen",
        "title": "What our COPD buddies taught the rehab team",
        "days_ago": 117,
        "visibility": MEMBERS,
        "categories": ["health-and-care"],
        "tags": ["respiratory", "peer support", "long-term conditions"],
        "views": 148,
        "body": """\
Two years ago we paired people living with lung conditions with *buddies* who have the same conditions,
and asked both to help design our pulmonary rehabilitation course alongside physios, nurses and an
occupational therapist.

### What the buddies changed

- **Start times.** Nobody breathless wants to be out of the house by nine.
- **The first session.** It is now a cup of tea and a walk round the hall with a buddy, not a fitness test.
- **Who talks.** Buddies lead the session on managing a flare-up at home. They are better at it than we were.

### What it asked of us

Letting go of the script. We still bring the clinical knowledge, but the course is no longer ours alone.
The outcomes are among the best we have had, and I enjoy the work more.

There is a write-up in the catalogue:
[patients buddying patients](/exemplars/hope-respiratory-buddying/).
""",
        "comments": [
            (
                "megan",
                4,
                "Did the buddies get any training, or did you rely on their own experience?",
                [
                    (
                        "helen",
                        8,
                        "Both. A short course we wrote together, then mostly their own experience. The training "
                        "was more about boundaries than about lungs.",
                    )
                ],
            ),
            ("oliver", 50, "This would make a good study visit.", []),
        ],
    },
    {
        "key": "hours-not-pounds",
        "author": "dele",
        "title": "Hours, not pounds: a year at our time bank",
        "days_ago": 103,
        "visibility": PUBLIC,
        "categories": ["time-banking", "community-capacity"],
        "tags": ["time banking", "GP referral", "social isolation"],
        "views": 402,
        "body": """\
At a time bank everyone's hour is worth the same. I fix a bike, you read to my son, someone else gets a
lift to the hospital. Nobody pays, everybody earns.

### Working with the surgery

Our time bank lives in a community centre a few minutes' walk from the GP practice. This year the link got
stronger:

- GPs can **refer** patients who are lonely or struggling, and the receptionists tell people they can come
  along themselves
- we keep a small stall in the waiting room once a week
- members and local experts gave **talks** on diabetes, COPD and how the body copes with stress

### What we do not do

We do not run background checks on everyone. We check where the law needs it, for instance when someone
reads to a group of children, and otherwise treat members like the neighbours they are.

If you want to see it for yourself, we host study visits: see
[the time bank in the catalogue](/exemplars/paxton-green-time-bank/).
""",
        "comments": [
            (
                "imran",
                2,
                "Our surgery has referred eleven people this year. Three of them now run things.",
                [("dele", 5, "And one of them runs the Tuesday gardening group better than I ever did.")],
            ),
            (
                "sofia",
                28,
                "How do you record what people get out of it, beyond hours traded?",
                [("dele", 31, "Honestly, badly. Rhys is helping us with that.")],
            ),
            ("tom", 60, "The waiting-room stall is a lovely idea. Stealing it.", []),
        ],
    },
    {
        "key": "time-bank-income",
        "author": "imran",
        "title": "Should time banks chase income?",
        "days_ago": 94,
        "visibility": MEMBERS,
        "categories": ["time-banking"],
        "tags": ["time banking", "sustainability", "funding"],
        "views": 96,
        "body": """\
A question that split the room on a recent visit: should a time bank work on **steady income** (contracts,
charging for training, selling services) or stay focused on giving local relationships room to grow?

### The case for income

Grants end. A broker's salary is the difference between a time bank and a list of names.

### The case against

The moment a time bank sells hours, people start asking what an hour is *worth*, and the equality that makes
it work starts to wobble.

I do not have an answer. I would like to hear from anyone who has tried both.
""",
        "comments": [
            (
                "dele",
                6,
                "We take a small grant from the health board for the broker and nothing else. It keeps the "
                "hours clean.",
                [
                    ("imran", 9, "Does the health board ask for numbers in return?"),
                    ("dele", 12, "Every quarter. Fair enough, really."),
                ],
            ),
            (
                "fiona",
                30,
                "From the commissioning side: we would rather fund the broker than buy hours. The second one "
                "turns you into a provider, with everything that comes with it.",
                [],
            ),
        ],
    },
    {
        "key": "peer-network-visit",
        "author": "amara",
        "title": "Notes from our study visit to a peer support network",
        "days_ago": 81,
        "visibility": MEMBERS,
        "categories": ["practice-notes", "health-and-care"],
        "tags": ["study visits", "peer support", "mental health"],
        "views": 173,
        "body": """\
Fifteen of us spent a morning with a peer network for people with personality disorders, then an afternoon
at a GP-linked time bank. Here is what I brought back.

### Where it meets matters

The network meets in a **voluntary sector centre**, not a mental health building. Members told us that the
neutral room is half the reason they come.

### Nobody is discharged

Membership has no end date. People decide how often they come and how much support they want. That single
rule changes everything about how the groups feel.

### Facilitators, not leaders

The facilitators have clinical backgrounds, but they *steer* rather than run the groups. As one member put
it: here, the professionals listen before they advise.

### Numbers

The network's own figures show about a third fewer A&E visits and less than half the hospital bed use.
Those numbers have not yet been enough to fund a second network anywhere else.

More about the network: [its page in the catalogue](/exemplars/croydon-service-user-network/).
""",
        "comments": [
            (
                "chloe",
                3,
                "The point about the room is so often missed. Thank you for writing this up.",
                [("amara", 5, "It was the first thing every member mentioned.")],
            ),
            (
                "priya",
                22,
                "Were the members paid for their time on the visit?",
                [("amara", 24, "Yes, the hosts insisted on it, and the programme paid.")],
            ),
            ("kwame", 47, "Never being discharged: that is what I needed ten years ago.", []),
        ],
    },
    {
        "key": "what-changed",
        "author": "rhys",
        "title": "Measuring what changed, not what we did",
        "days_ago": 69,
        "visibility": MEMBERS,
        "categories": ["evaluation"],
        "tags": ["evaluation", "outcomes"],
        "views": 121,
        "body": """\
Most reports I read list **activities**: sessions held, people seen, leaflets handed out. They rarely say
what changed for anyone.

### Three questions I now start with

1. What would the people using the service say is different?
2. What did they stop needing (an A&E visit, a crisis bed, a second referral)?
3. What did it cost, and where did that cost move to?

### Who decides what counts

If service users help design the service, they should help decide how it is judged. In one project the
measure that mattered most to members was *feeling less alone on a bad night*. It was not on anyone's form.

I am happy to share the framework we use. Ask below or message me.
""",
        "comments": [
            (
                "sofia",
                4,
                "Question 3 is the one commissioners care about and evaluators skip.",
                [("rhys", 7, "Agreed. It is also the hardest to answer honestly.")],
            ),
            ("dele", 26, "Yes please to the framework.", []),
        ],
    },
    {
        "key": "young-people-sexual-health",
        "author": "yusuf",
        "title": "How young people redesigned our sexual health service",
        "days_ago": 57,
        "visibility": PUBLIC,
        "categories": ["health-and-care", "practice-notes"],
        "tags": ["young people", "sexual health", "workshops"],
        "views": 264,
        "body": """\
I was one of the young people in a set of workshops with clinicians, managers and voluntary groups about
how sexual health services in our area should work.

### What the professionals expected

A *one-stop shop*. It sounded efficient. We told them it was the last thing we wanted: one building
everyone knows the purpose of is one building you never want to be seen walking into.

### What we talked about most

**Confidentiality.** Every clinician in the room thought they understood it. After hearing what we worried
about, several said they saw it differently.

### What changed

- how free condoms are handed out, and where
- clinicians told the evaluators they felt less defensive and less threatened by each other
- the group kept meeting after the project money ran out

Everyone in the room was treated as an expert, including us. That is why it worked.
""",
        "comments": [
            (
                "chloe",
                2,
                "The one-stop-shop story comes up again and again. Great to have it from your side.",
                [],
            ),
            (
                "martin",
                18,
                "Did the clinicians find it hard to hear?",
                [("yusuf", 21, "Some did at first. By the third workshop they were asking us first.")],
            ),
        ],
    },
    {
        "key": "parent-run-nursery",
        "author": "aisha",
        "title": "The nursery that parents run",
        "days_ago": 44,
        "visibility": MEMBERS,
        "categories": ["community-capacity"],
        "tags": ["early years", "cooperatives", "parents"],
        "views": 88,
        "body": """\
When new childcare rules threatened to close our nursery, the parents did not let it go. We rewrote how it
works so that **parents help deliver the sessions** alongside qualified staff.

### Why it still works years later

- it costs families a few pounds an hour, so parents can afford to go to work
- it is a ready-made circle of friends for anyone new to the area
- there is still a waiting list

### What it is not

It is not free labour replacing staff. The staff role changed: less doing everything, more *coaching* the
parents who are in the room that day. See [the catalogue entry](/exemplars/scallywags-parent-run-nursery/).
""",
        "comments": [
            (
                "joseph",
                5,
                "How do you manage the rota when parents' shifts change?",
                [("aisha", 9, "A shared calendar and a lot of goodwill. Mostly goodwill.")],
            ),
            ("grace", 30, "Would you be willing to host a study visit?", []),
        ],
    },
    {
        "key": "local-area-coordination",
        "author": "martin",
        "title": "Local area coordination: fewer referrals, more conversations",
        "days_ago": 32,
        "visibility": MEMBERS,
        "categories": ["practice-notes", "community-capacity"],
        "tags": ["social care", "local area coordination"],
        "views": 74,
        "body": """\
As a local area coordinator I am paid by the council but based in the neighbourhood, and I know the people
I work with by name.

### A typical week

- a long conversation with a family about what a good life looks like for their son
- an introduction to the walking group rather than a referral to day care
- helping a man who uses a wheelchair find someone to fix his ramp, through the church

### Why it saves money

Much of what people need is informal and close to home. When we find it, fewer people end up in
**residential care**, and the ones who do get there later and by choice. More in
[the catalogue](/exemplars/local-area-coordinators/).
""",
        "comments": [
            (
                "eleanor",
                3,
                "Same role in Norfolk. The hardest part is convincing colleagues that a conversation *is* the "
                "intervention.",
                [("martin", 6, "Yes! I keep a tally of conversations just to have a number to show.")],
            ),
        ],
    },
    {
        "key": "engagement-event",
        "author": "chloe",
        "title": "Designing an engagement event with the people it is for",
        "days_ago": 19,
        "visibility": MEMBERS,
        "categories": ["practice-notes"],
        "tags": ["engagement", "events", "mental health"],
        "views": 57,
        "body": """\
Our trust wanted a new strategy for involving service users and carers. Instead of writing it and
consulting on it, a group of service users and staff **designed the launch event together**.

### On the day

About a hundred people came: service users, carers, voluntary groups and staff. Every table had a mix. We
asked each table to picture the relationship working well and describe:

1. how it would *feel*
2. what we would do differently
3. what would be better as a result

Then they built models of it out of card and string. It sounds silly. It was the best hour of the day.

### Next

Small groups of volunteers from the day are sorting the ideas into themes before the board signs the
strategy off. People left with a clear challenge for us: turn the words into action.
""",
        "comments": [
            (
                "priya",
                6,
                "How did you make sure the quieter people at each table were heard?",
                [("chloe", 10, "A service user facilitator on every table, briefed beforehand.")],
            ),
            ("leah", 28, "I was at table six. It was not silly at all.", []),
        ],
    },
    {
        "key": "before-we-evaluate",
        "author": "amara",
        "title": "Three questions before we evaluate our peer support pilot",
        "days_ago": 6,
        "visibility": PUBLIC,
        "categories": ["evaluation"],
        "tags": ["evaluation", "peer support"],
        "views": 39,
        "body": """\
Our peer support pilot ends in the spring, and I have been asked for an evaluation plan. After Rhys's post
on measuring what changed (it is in [Evaluation](/network/blog/category/evaluation/)) I want to get the
questions right first.

- **Whose outcomes?** The members', the staff's, or the trust's? They are not the same.
- **Compared with what?** Last year, a similar team, or what people say would have happened otherwise?
- **Who writes it?** I would like two members of the group on the evaluation team, paid for their time.

Thoughts very welcome, especially from anyone who has *done* this rather than planned it.
""",
        "comments": [
            (
                "rhys",
                3,
                "On the second question: ask people. A simple *what would you have done otherwise?* is often "
                "more honest than any comparison group.",
                [("amara", 5, "That is reassuring, and much cheaper.")],
            ),
            ("kwame", 20, "Pay them properly and they will tell you the truth.", []),
        ],
    },
]


def seed_blog() -> None:
    """Categories and the demo posts with their comments; what is already there is left alone."""
    categories = {
        slug: Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )[0]
        for order, (slug, name, description) in enumerate(CATEGORIES)
    }
    done = set(
        Post.objects.filter(submission_key__in=[_key(spec["key"]) for spec in POSTS]).values_list(
            "submission_key", flat=True
        )
    )
    people = {user.email: user for user in get_user_model().objects.filter(email__in=PEOPLE.values())}
    now = timezone.now()
    for spec in POSTS:
        author = people.get(PEOPLE[spec["author"]])
        if _key(spec["key"]) in done or author is None:
            continue
        _post(spec, author, categories, people, now)


def _post(spec: dict, author, categories: dict[str, Category], people: dict, now) -> Post:
    published = (now - timedelta(days=spec["days_ago"])).replace(hour=9, minute=30, second=0, microsecond=0)
    post = Post.objects.create(
        author=author,
        title=spec["title"],
        body=spec["body"],  # Post.save renders body_html and counts the reading time
        visibility=spec["visibility"],
        status=Post.Status.PUBLISHED,
        published_at=published,
        created_at=published,
        view_count=spec["views"],
        submission_key=_key(spec["key"]),
    )
    post.categories.set([categories[slug] for slug in spec["categories"]])
    post.tags.add(*spec["tags"])
    for who, hours, text, replies in spec["comments"]:
        parent = _comment(post, people.get(PEOPLE[who]), published + timedelta(hours=hours), text)
        for reply_who, reply_hours, reply_text in replies if parent else ():
            written = published + timedelta(hours=reply_hours)
            _comment(post, people.get(PEOPLE[reply_who]), written, reply_text, parent)
    recount_comments(post)
    return post


def _comment(post: Post, author, written, text: str, parent: Comment | None = None) -> Comment | None:
    if author is None:  # a demo member someone has deleted
        return None
    return Comment.objects.create(post=post, author=author, body=text, parent=parent, created_at=written)


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(KEYS, name)
