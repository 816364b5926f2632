from http import HTTPStatus

import pytest
from django.core.management import call_command

from network.forum.models import Category, ReadState, Reply, Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_PASSWORDS_FILE = str(tmp_path / "passwords.json")
    call_command("seed_demo", force=True)


def forum_counts() -> tuple[int, ...]:
    return Category.objects.count(), Thread.objects.count(), Reply.objects.count(), ReadState.objects.count()


def test_the_demo_forum_has_categories_threads_replies_quotes_and_mentions(demo):
    threads = list(Thread.objects.select_related("category"))

    assert {"health", "social-care", "early-years", "commissioning", "lived-experience"} <= set(
        Category.objects.values_list("slug", flat=True)
    )
    assert Category.objects.get(slug="announcements").moderators_only
    assert len(threads) >= 4 and Reply.objects.count() >= 10
    assert all(t.reply_count == t.replies.count() and t.last_visible_number == t.reply_count for t in threads)
    assert all(c.thread_count == c.threads.count() for c in Category.objects.all())
    assert Reply.objects.filter(quotes_opening_post=True).exists()
    assert Reply.objects.filter(quoted__isnull=False).exists()
    handles = "".join(Reply.objects.values_list("body", flat=True))
    assert "@rosa-kettering" in handles  # mentions name real handles
    assert not any("**" in t.body_html for t in threads)  # rendered, not raw Markdown


def test_running_the_demo_again_adds_no_forum_content(demo):
    before = forum_counts()

    call_command("seed_demo", force=True)

    assert forum_counts() == before


def test_the_demo_member_reads_the_forum_and_a_visitor_is_asked_to_sign_in(demo, client):
    from django.contrib.auth import get_user_model

    thread = Thread.objects.get(title__startswith="Has anyone linked a time bank")
    assert client.get(thread.get_absolute_url()).status_code == HTTPStatus.FOUND

    client.force_login(get_user_model().objects.get(email="member@example.org"))
    page = client.get(thread.get_absolute_url()).content.decode()

    assert "a named person at the time bank" in page and "wrote</a>:" in page  # a reply, quoting
