from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from network.forum.models import Category, Reply, Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_forum(capsys):
    call_command("seed_bench", members=30, exemplars=0, threads=40, replies=500)


def test_seed_bench_adds_exactly_the_threads_and_replies_asked_for(bench_forum):
    assert Thread.objects.count() == 40
    assert Reply.objects.count() == 500


def test_every_bench_thread_counts_and_numbers_its_replies_as_the_forum_does(bench_forum):
    threads = Thread.objects.annotate(real=Count("replies"), top=Max("replies__number"))

    for thread in threads:
        assert thread.reply_count == thread.real == thread.last_visible_number == thread.last_number
        assert (thread.top or 0) == thread.last_number
    numbers = Reply.objects.filter(thread=threads.order_by("-reply_count")[0]).values_list(
        "number", flat=True
    )
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert sum(c.thread_count for c in Category.objects.all()) == 40


def test_one_bench_thread_has_by_far_the_most_replies(bench_forum):
    first, second = Thread.objects.order_by("-reply_count")[:2]

    assert first.reply_count >= 300 and first.reply_count > 10 * second.reply_count


def test_the_busiest_bench_thread_opens_on_its_last_page(bench_forum, client):
    from tests.factories import MemberFactory

    thread = Thread.objects.order_by("-reply_count").first()
    client.force_login(MemberFactory())
    last = (thread.reply_count - 1) // 20 + 1

    response = client.get(thread.get_absolute_url(), {"page": last})

    assert response.status_code == HTTPStatus.OK
    assert f"Page {last} of {last}" in response.content.decode()


def test_replies_without_threads_are_refused(capsys):
    with pytest.raises(CommandError, match="Replies need threads"):
        call_command("seed_bench", members=0, exemplars=0, replies=10)
