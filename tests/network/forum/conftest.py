import pytest

from network.forum import services
from network.forum.models import Category, Thread
from tests.factories import MemberFactory


@pytest.fixture
def starter(db):
    return MemberFactory(
        profile__display_name="Amara Okafor", profile__handle="amara", email="amara@example.org"
    )


@pytest.fixture
def replier(db):
    return MemberFactory(
        profile__display_name="Dele Reader", profile__handle="dele", email="dele@example.org"
    )


@pytest.fixture
def category(db):
    return Category.objects.create(name="Health", slug="health", description="Health and care services")


@pytest.fixture
def make_thread(starter, category):
    def make(**fields) -> Thread:
        fields.setdefault("category", category)
        fields.setdefault("author", starter)
        fields.setdefault("title", "Seeking examples of peer support in respiratory care")
        fields.setdefault("body", "Has anyone seen **buddying** work for people leaving hospital?")
        return services.start_thread(**fields)

    return make
