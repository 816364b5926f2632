"""Large, made-up data for benchmarks: many members, exemplars, blog posts and comments. Not for a real site."""

import math
import random
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.db.models import Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from cms.models import ExemplarIndexPage, ExemplarPage, HomePage, Sector
from network import roles
from network.blog.models import WORDS_PER_MINUTE, Category, Comment, Post, PostTag
from network.blog.services import visible_comment_count
from network.markup import render_markdown
from network.models import Profile, Region, Theme

WORDS = [
    "peer",
    "support",
    "time",
    "bank",
    "carers",
    "nursery",
    "housing",
    "health",
    "youth",
    "council",
    "commissioning",
    "coproduction",
]
TAGS = ["peer support", "time banking", "evaluation", "carers", "young people", "mental health", "housing"]
BATCH = 2000  # rows built and inserted at a time: a million comments never sit in memory at once
PUBLIC_SHARE = 0.3  # of posts
REPLY_SHARE = 0.3  # of comments
MONTHS = 24  # posts are spread over the last two years


class Command(BaseCommand):
    help = "Add N bench members, exemplars, blog posts and comments (run seed_demo first)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument("--exemplars", type=int, default=500)
        parser.add_argument("--posts", type=int, default=0, help="blog posts by members, over two years")
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            help="comments on them; one post has the most (1%%, at least 300)",
        )
        parser.add_argument("--threads", type=int, default=0, help="forum threads by members, over a year")
        parser.add_argument(
            "--replies",
            type=int,
            default=0,
            help="replies in them; one thread has the most (1%%, at least 300)",
        )
        parser.add_argument(
            "--visits", type=int, default=0, help="study visits to exemplars, over six months"
        )
        parser.add_argument(
            "--bookings",
            type=int,
            default=0,
            help="bookings on them; one visit is full with 500 and a waiting list",
        )

    def handle(
        self,
        *args,
        members: int,
        exemplars: int,
        posts: int,
        comments: int,
        threads: int,
        replies: int,
        visits: int = 0,
        bookings: int = 0,
        **options,
    ):
        if comments and not posts:
            raise CommandError("Comments need posts: add --posts.")
        if replies and not threads:
            raise CommandError("Replies need threads: add --threads.")
        rng = random.Random(42)
        self._members(members, rng)
        if exemplars:
            self._exemplars(exemplars, rng)
        if posts:
            self._blog(posts, comments, rng)
        if threads:
            self._forum(threads, replies, rng)
        if visits:
            self._visits(visits, bookings, rng)
        # bulk inserts send no signals: whatever the cache kept from before is stale now
        from network import fragments

        fragments.bump("pages", "members", "blog", "forum", "visits")
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench data: {members} members, {exemplars} exemplars, {posts} posts, {comments} comments, "
                f"{threads} threads, {replies} replies, {visits} visits, {bookings} bookings added."
            )
        )

    @transaction.atomic
    def _members(self, count: int, rng: random.Random) -> None:
        User = get_user_model()
        start = User.objects.count()
        users = User.objects.bulk_create(
            User(username=f"bench{start + n}", email=f"bench{start + n}@bench.example", password="!")
            for n in range(count)
        )
        regions, relationships = Region.values, Profile.Relationship.values
        profiles = Profile.objects.bulk_create(
            Profile(
                user=user,
                handle=f"bench-{user.pk}",
                status=Profile.Status.MEMBER,
                display_name=f"Bench {rng.choice(WORDS).title()} {user.pk}",
                organisation=f"{rng.choice(WORDS).title()} Trust",
                region=rng.choice(regions),
                relationship=rng.choice(relationships),
                bio=" ".join(rng.choices(WORDS, k=30)),
            )
            for user in users
        )
        themes = list(Theme.objects.all())
        Profile.themes.through.objects.bulk_create(
            Profile.themes.through(profile=profile, theme=theme)
            for profile in profiles
            for theme in rng.sample(themes, 2)
        )
        Group.objects.get(name=roles.MEMBERS).user_set.add(*users)

    def _exemplars(self, count: int, rng: random.Random) -> None:
        home = HomePage.objects.first()
        index = ExemplarIndexPage.objects.child_of(home).first()
        themes, sectors = list(Theme.objects.all()), list(Sector.objects.all())
        for n in range(count):
            page = index.add_child(
                instance=ExemplarPage(
                    title=f"Bench exemplar {n} {rng.choice(WORDS)}",
                    slug=f"bench-exemplar-{n}-{rng.randrange(10**6)}",
                    summary=" ".join(rng.choices(WORDS, k=20)),
                    organisation="Bench org",
                    region=rng.choice(Region.values),
                    live=True,
                    first_published_at=timezone.now(),
                )
            )
            page.themes.set(rng.sample(themes, 2))
            if sectors:
                page.sectors.set(rng.sample(sectors, 1))
            page.save()

    @transaction.atomic
    def _blog(self, posts: int, comments: int, rng: random.Random) -> None:
        """Bulk inserts: Markdown is rendered once per distinct text (bulk_create skips Post.save, so the
        slug and reading time are worked out here too), and comment counts are written in one UPDATE."""
        members = list(Profile.objects.filter(status=Profile.Status.MEMBER).values_list("user_id", flat=True))
        if not members:
            raise CommandError("No members to write the posts: add --members or run seed_demo first.")
        published, hot = self._posts(posts, members, rng)
        if comments:
            self._comments(comments, published, hot, members, rng)
        Post.objects.update(comment_count=visible_comment_count())  # as services.recount_comments does
        # bulk_create sends no signal, so the search index learns of the posts here, in batches
        backend = get_search_backend()
        for start in range(0, posts, BATCH):
            backend.add_bulk(Post, list(Post.objects.order_by("pk")[start : start + BATCH]))

    def _posts(self, count: int, members: list[int], rng: random.Random) -> tuple[dict[int, datetime], int]:
        """{post id: publication time}, and the post that will have the most comments. A tenth of the
        members blog; about 30% of posts are public."""
        bodies = [_markdown(rng, paragraphs) for paragraphs in range(1, 13)]
        rendered = [(body, render_markdown(body), _minutes(body)) for body in bodies]
        authors = rng.sample(members, max(1, min(len(members), len(members) // 10, count)))
        now = timezone.now()
        hot = rng.randrange(count)  # the post with the most comments: public, so visitors can read it too

        def build(n: int) -> Post:
            body, html, minutes = rng.choice(rendered)
            title = f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)}: bench notes {n}"
            published = now - timedelta(seconds=rng.uniform(60, MONTHS * 30.4 * 86400))
            public = n == hot or rng.random() < PUBLIC_SHARE
            return Post(
                author_id=rng.choice(authors),
                title=title,
                slug=slugify(title)[:200],
                body=body,
                body_html=html,
                reading_minutes=minutes,
                visibility=Post.Visibility.PUBLIC if public else Post.Visibility.MEMBERS,
                status=Post.Status.PUBLISHED,
                published_at=published,
                created_at=published,
                view_count=rng.randrange(2000),
            )

        published: dict[int, datetime] = {}
        for post in _insert(build(n) for n in range(count)):
            published[post.pk] = post.published_at
        categories = list(Category.objects.values_list("pk", flat=True))
        if categories:
            Post.categories.through.objects.bulk_create(
                (
                    Post.categories.through(post_id=pk, category_id=category)
                    for pk in published
                    for category in rng.sample(categories, min(len(categories), rng.randint(1, 2)))
                ),
                batch_size=BATCH,
            )
        tags = [Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0].pk for name in TAGS]
        PostTag.objects.bulk_create(
            (
                PostTag(content_object_id=pk, tag_id=tag)
                for pk in published
                for tag in rng.sample(tags, rng.randint(0, 3))
            ),
            batch_size=BATCH,
        )
        return published, list(published)[hot]

    def _comments(
        self,
        count: int,
        published: dict[int, datetime],
        hot_post: int,
        members: list[int],
        rng: random.Random,
    ) -> None:
        """One post gets 1% of the comments (at least 300); the rest are spread over the other posts, some
        more talked about than others. About 30% are replies to a top-level comment on the same post."""
        hot = min(count, max(300, count // 100))
        others = [pk for pk in published if pk != hot_post]
        per_post = defaultdict(int, {hot_post: hot})
        if others and count > hot:
            weights = [rng.uniform(0.2, 2.0) for _ in others]
            for pk in rng.choices(others, weights=weights, k=count - hot):
                per_post[pk] += 1
        elif count > hot:
            per_post[hot_post] = count
        bodies = [_markdown(rng, paragraphs, words=25) for paragraphs in (1, 1, 1, 2, 2, 3)] + [
            f"Thank you, {word}." for word in WORDS
        ]
        rendered = [(body, render_markdown(body)) for body in bodies]
        now = timezone.now()

        def written_after(moment: datetime) -> datetime:
            return min(now, moment + timedelta(seconds=rng.uniform(60, 30 * 86400)))

        def comment(post_id: int, moment: datetime, parent_id: int | None = None) -> Comment:
            body, html = rng.choice(rendered)
            author = rng.choice(members)
            return Comment(
                post_id=post_id,
                author_id=author,
                body=body,
                body_html=html,
                created_at=moment,
                parent_id=parent_id,
            )

        replies = {pk: n - max(1, n - round(n * REPLY_SHARE)) for pk, n in per_post.items()}
        tops = ((pk, n - replies[pk]) for pk, n in per_post.items())
        top_level: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        for made in _insert(comment(pk, written_after(published[pk])) for pk, n in tops for _ in range(n)):
            top_level[made.post_id].append((made.pk, made.created_at))

        def reply(pk: int) -> Comment:
            parent, moment = rng.choice(top_level[pk])
            return comment(pk, min(now, moment + timedelta(seconds=rng.uniform(60, 2 * 86400))), parent)

        for _reply in _insert(reply(pk) for pk, n in replies.items() for _ in range(n)):
            pass  # inserted as the loop goes

    @transaction.atomic
    def _forum(self, count: int, replies: int, rng: random.Random) -> None:
        """Threads over the forum's categories (one is made if there are none) and their replies, numbered
        in order within each thread; one thread has 1% of the replies (at least 300). Counts are then
        recomputed as the services do, in one UPDATE per table."""
        from network.forum.models import Category as ForumCategory
        from network.forum.models import Reply, Thread
        from network.forum.services import recount_category, recount_threads

        members = list(Profile.objects.filter(status=Profile.Status.MEMBER).values_list("user_id", flat=True))
        if not members:
            raise CommandError("No members to write the threads: add --members or run seed_demo first.")
        categories = list(ForumCategory.objects.filter(moderators_only=False).values_list("pk", flat=True))
        if not categories:
            categories = [ForumCategory.objects.create(name="Bench talk", slug="bench-talk").pk]
        bodies = [_markdown(rng, paragraphs, words=40) for paragraphs in (1, 1, 2, 2, 3, 4)]
        rendered = [(body, render_markdown(body)) for body in bodies]
        now = timezone.now()
        year = 365 * 86400

        def thread(n: int) -> Thread:
            body, html = rng.choice(rendered)
            title = f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)}: bench question {n}"
            started = now - timedelta(seconds=rng.uniform(3600, year))
            return Thread(
                category_id=rng.choice(categories),
                author_id=rng.choice(members),
                title=title,
                slug=slugify(title)[:200],
                body=body,
                body_html=html,
                created_at=started,
                last_activity_at=started,
            )

        started = {made.pk: made.created_at for made in _insert(thread(n) for n in range(count))}
        hot = list(started)[rng.randrange(count)]
        per_thread = defaultdict(int, {hot: min(replies, max(300, replies // 100))})
        others = [pk for pk in started if pk != hot]
        if replies > per_thread[hot]:
            for pk in rng.choices(others or [hot], k=replies - per_thread[hot]):
                per_thread[pk] += 1

        def replies_to(pk: int, n: int) -> Iterator[Reply]:
            moment = started[pk]
            step = max(1.0, (now - moment).total_seconds() / (n + 1))
            for number in range(1, n + 1):
                body, html = rng.choice(rendered)
                moment = min(now, moment + timedelta(seconds=rng.uniform(0.2, 1.8) * step))
                yield Reply(
                    thread_id=pk,
                    author_id=rng.choice(members),
                    body=body,
                    body_html=html,
                    number=number,
                    created_at=moment,
                )

        for _reply in _insert(reply for pk, n in per_thread.items() for reply in replies_to(pk, n)):
            pass  # inserted as the loop goes
        numbered = Thread.objects.filter(pk__in=list(per_thread))
        last = Reply.objects.filter(thread=OuterRef("pk")).order_by("-number").values("number")[:1]
        numbered.update(last_number=Coalesce(Subquery(last), 0))
        recount_threads(numbered)
        for category in categories:
            recount_category(category)

    @transaction.atomic
    def _visits(self, count: int, bookings: int, rng: random.Random) -> None:
        """Published visits to random exemplars over the next six months, hosted by the demo host; one is
        full (500 places, 500 held and a waiting list), the other bookings spread over the rest."""
        from django.contrib.auth import get_user_model

        from cms.models import ExemplarPage
        from visits.models import MAX_CAPACITY, Booking, StudyVisit

        host = get_user_model().objects.filter(email="host@example.org").first()
        pages = list(ExemplarPage.objects.live().values_list("pk", "region"))
        members = list(Profile.objects.filter(status=Profile.Status.MEMBER).values_list("user_id", flat=True))
        if host is None or not pages or not members:
            raise CommandError("Visits need the demo host, exemplars and members: run seed_demo first.")
        now = timezone.now()
        description = _markdown(rng, 2, words=50)

        def visit(n: int) -> StudyVisit:
            page, region = rng.choice(pages)
            start = (now + timedelta(days=rng.uniform(1, 180))).replace(minute=0, second=0, microsecond=0)
            return StudyVisit(
                page_id=page,
                region=region,
                host=host,
                title=f"A day with {rng.choice(WORDS)} and {rng.choice(WORDS)} (bench visit {n})",
                description=description,
                description_html=render_markdown(description),
                starts_at=start,
                ends_at=start + timedelta(hours=rng.choice((3, 4, 6))),
                venue="Bench community centre",
                address="1 High Street",
                capacity=rng.choice((8, 12, 15, 20, 30)),
                status=StudyVisit.Status.PUBLISHED,
                published_at=now,
            )

        made = [v.pk for v in _insert(visit(n) for n in range(count))]
        busiest = made[0]
        StudyVisit.objects.filter(pk=busiest).update(capacity=MAX_CAPACITY)
        full = min(bookings, MAX_CAPACITY + 20)

        def booking(n: int, visit_id: int, member: int) -> Booking:
            if visit_id == busiest:
                status = Booking.Status.CONFIRMED if n < MAX_CAPACITY else Booking.Status.WAITLISTED
            else:
                status = Booking.Status.CONFIRMED
            return Booking(
                visit_id=visit_id, member_id=member, status=status, answers={"organisation": "Bench"}
            )

        def spread() -> Iterator[Booking]:
            for n, member in enumerate(rng.sample(members, min(full, len(members)))):
                yield booking(n, busiest, member)
            taken: dict[int, set[int]] = defaultdict(set)
            others = made[1:] or made
            for n in range(max(0, bookings - full)):
                visit_id, member = rng.choice(others), rng.choice(members)
                if (
                    member not in taken[visit_id] and len(taken[visit_id]) < 8
                ):  # at most 8: under every capacity
                    taken[visit_id].add(member)
                    yield booking(n, visit_id, member)

        deque(_insert(spread()), maxlen=0)  # inserted BATCH rows at a time, none kept in memory


def _insert(objects: Iterable[Model]) -> Iterator[Model]:
    """bulk_create, BATCH rows at a time, yielding the rows with their keys. Under DEBUG each chunk's SQL is
    forgotten once run: a million comments' worth of it would otherwise fill the memory."""
    iterator = iter(objects)
    while chunk := list(islice(iterator, BATCH)):
        yield from type(chunk[0]).objects.bulk_create(chunk)
        reset_queries()


def _markdown(rng: random.Random, paragraphs: int, words: int = 60) -> str:
    """Bench text with the Markdown members use: a heading, emphasis, a list and a link."""
    parts = []
    for n in range(paragraphs):
        if n and n % 3 == 0:
            parts.append(f"### {rng.choice(WORDS).title()} {rng.choice(WORDS)}")
        text = " ".join(rng.choices(WORDS, k=words))
        parts.append(f"{text} **{rng.choice(WORDS)}** *{rng.choice(WORDS)}*.")
        if n % 4 == 1:
            parts.append("\n".join(f"- {' '.join(rng.choices(WORDS, k=6))}" for _ in range(3)))
    parts.append("More in [the exemplar catalogue](/exemplars/).")
    return "\n\n".join(parts)


def _minutes(body: str) -> int:
    return max(1, math.ceil(len(body.split()) / WORDS_PER_MINUTE))  # as Post.save works it out
