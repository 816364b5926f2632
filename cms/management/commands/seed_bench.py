"""Large, made-up data for benchmarks: many members and many exemplars. Not for a real site."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cms.models import ExemplarIndexPage, ExemplarPage, HomePage, Sector
from network import roles
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


class Command(BaseCommand):
    help = "Add N bench members and N bench exemplars (run seed_demo first)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument("--exemplars", type=int, default=500)

    def handle(self, *args, members: int, exemplars: int, **options):
        rng = random.Random(42)
        self._members(members, rng)
        self._exemplars(exemplars, rng)
        self.stdout.write(self.style.SUCCESS(f"Bench data: {members} members, {exemplars} exemplars added."))

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
