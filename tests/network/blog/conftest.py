import pytest
from django.utils import timezone

from network.blog.models import Category, Comment, Post
from tests.factories import MemberFactory


@pytest.fixture
def author(db):
    return MemberFactory(profile__display_name="Amara Okafor", profile__handle="amara")


@pytest.fixture
def reader(db):
    return MemberFactory(profile__display_name="Dele Reader", profile__handle="dele")


@pytest.fixture
def category(db):
    return Category.objects.create(name="Community capacity", slug="community-capacity")


@pytest.fixture
def make_post(author):
    def make(**fields) -> Post:
        fields.setdefault("author", author)
        fields.setdefault("title", "What a time bank taught us")
        fields.setdefault("body", "We paid in **hours**, not pounds.")
        fields.setdefault("status", Post.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now())
        tags = fields.pop("tags", [])
        categories = fields.pop("categories", [])
        post = Post.objects.create(**fields)
        if tags:
            post.tags.add(*tags)
        if categories:
            post.categories.add(*categories)
        return post

    return make


@pytest.fixture
def make_comment():
    def make(post: Post, author, body: str = "Thank you for this.", **fields) -> Comment:
        return Comment.objects.create(post=post, author=author, body=body, **fields)

    return make
