"""Create the floor's tables and 2,000 posts by 50 authors, once: `python -m floor.seed` from bench/."""

import os
import random
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floor.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from floor.models import Author, Post  # noqa: E402

WORDS = ["peer", "support", "time", "bank", "carers", "nursery", "housing", "health", "youth", "council"]


def main(posts: int = 2000) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if Post.objects.exists():
        return
    rng = random.Random(42)
    authors = Author.objects.bulk_create(Author(name=f"Author {n}") for n in range(50))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    Post.objects.bulk_create(
        Post(
            author=rng.choice(authors),
            title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
            body=" ".join(rng.choices(WORDS, k=120)),
            published_at=start + timedelta(hours=n),
        )
        for n in range(posts)
    )


if __name__ == "__main__":
    main()
