"""A members-only blog post with a comment on it, the people around them, and helpers to report and decide."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.blog.models import Comment, Post
from tests.factories import MemberFactory, ModeratorFactory

OFFENSIVE = "You are all idiots and I know where Dele lives."


@pytest.fixture
def author(db):
    return MemberFactory(
        email="amara@example.org", profile__display_name="Amara Okafor", profile__handle="amara"
    )


@pytest.fixture
def reporter(db):
    return MemberFactory(
        email="dele@example.org", profile__display_name="Dele Reader", profile__handle="dele"
    )


@pytest.fixture
def moderator(db):
    return ModeratorFactory(email="mo@example.org", profile__display_name="Mo Derator", profile__handle="mo")


@pytest.fixture
def post(author, home_page):
    return Post.objects.create(
        author=author,
        title="What a time bank taught us",
        body="We paid in **hours**, not pounds.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def comment(post):
    commenter = MemberFactory(
        email="sam@example.org", profile__display_name="Sam Commenter", profile__handle="sam"
    )
    return Comment.objects.create(post=post, author=commenter, body=OFFENSIVE)


def report_url(item) -> str:
    content_type = ContentType.objects.get_for_model(item)
    return reverse("network:report", args=[content_type.pk, item.pk])


def queue_item_url(item) -> str:
    content_type = ContentType.objects.get_for_model(item)
    return reverse("network_reports:item", args=[content_type.pk, item.pk])


def decide_url(item, action: str) -> str:
    content_type = ContentType.objects.get_for_model(item)
    return reverse("network_reports:decide", args=[content_type.pk, item.pk, action])


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
