"""The forum's pages cost the same number of queries however long a thread or full a category, and reading
writes nothing once read. Replies from several connections at once keep their numbers and counts right."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection, connections
from django.utils import timezone

from network.forum import services
from network.forum.models import Reply, Thread
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def with_replies(thread: Thread, count: int, people) -> None:
    """Bulk replies, as seed_bench makes them, then the counts the services keep."""
    Reply.objects.bulk_create(
        Reply(
            thread=thread,
            author=people[n % len(people)],
            body=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
            number=n + 1,
            created_at=timezone.now(),
        )
        for n in range(count)
    )
    Thread.objects.filter(pk=thread.pk).update(last_number=count)
    services.recount_thread(thread.pk)
    services.recount_category(thread.category_id)


@pytest.mark.parametrize("replies", [5, 5000])
def test_a_thread_costs_the_same_at_5_or_5000_replies_first_and_last_page(
    client, home_page, make_thread, starter, replier, replies, django_assert_max_num_queries
):
    thread = make_thread()
    with_replies(thread, replies, [starter, replier])
    client.force_login(replier)
    last = (replies - 1) // 20 + 1
    for page in {1, last}:
        client.get(thread.get_absolute_url(), {"page": page})  # read now: later views write nothing
        with django_assert_max_num_queries(8):
            response = client.get(thread.get_absolute_url(), {"page": page})
        assert response.status_code == HTTPStatus.OK
        shown = response.content.decode().count('class="comment forum-reply')
        assert shown == min(20, replies - (page - 1) * 20)


@pytest.mark.parametrize("threads", [10, 1000])
def test_the_index_and_a_category_cost_the_same_at_10_or_1000_threads(
    client, home_page, category, starter, replier, threads, django_assert_max_num_queries
):
    Thread.objects.bulk_create(
        Thread(
            category=category,
            author=starter if n % 2 else replier,
            title=f"Thread {n}",
            slug=f"thread-{n}",
            body="Body",
            body_html="<p>Body</p>",
            created_at=timezone.now(),
            last_activity_at=timezone.now(),
        )
        for n in range(threads)
    )
    services.recount_category(category.pk)
    client.force_login(replier)
    for route in [
        "/network/forum/",
        "/network/forum/category/health/",
        "/network/forum/category/health/?page=2",
    ]:
        client.get(route)
        with django_assert_max_num_queries(7):
            response = client.get(route)
        assert response.status_code == HTTPStatus.OK, route
    assert f'<td data-label="Threads">{threads}</td>' in client.get("/network/forum/").content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite runs one writer at a time"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_from_several_connections_at_once_keep_numbers_and_counts_right(home_page, make_thread):
    thread = make_thread()
    people = [MemberFactory() for _ in range(8)]
    start = threading.Barrier(len(people))
    errors = []

    def reply(person):
        try:
            start.wait(5)
            for n in range(3):
                services.add_reply(thread=thread, author=person, body=f"From {person.pk}, {n}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reply, args=(person,)) for person in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert errors == []
    numbers = sorted(Reply.objects.filter(thread=thread).values_list("number", flat=True))
    assert numbers == list(range(1, 25))
    thread.refresh_from_db()
    newest = Reply.objects.get(thread=thread, number=24)
    assert (thread.reply_count, thread.last_number, thread.last_visible_number) == (24, 24, 24)
    assert thread.last_reply_id == newest.pk
    assert thread.category.thread_count == 1
