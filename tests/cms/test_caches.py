"""What pages read from the cache (the site, the menu, page restrictions, facet names, permissions) changes
the moment an editor or moderator changes it: nothing stale, and above all nothing private left showing."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group

from cms.models import StandardPage
from network import roles
from network.models import Theme
from tests.cms.conftest import restrict_to_members
from tests.factories import MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    page = home_page.add_child(instance=StandardPage(title="About us", slug="about", show_in_menus=True))
    page.save_revision().publish()
    return page


def test_a_page_restricted_after_it_was_cached_leaves_the_menu_and_closes_at_once(client, about):
    assert "About us" in client.get("/").content.decode()  # menu, site and restrictions now cached

    restrict_to_members(about)

    assert "About us" not in client.get("/").content.decode()
    assert client.get("/about/").status_code == HTTPStatus.FOUND  # to sign in


def test_lifting_a_restriction_opens_the_page_at_once(client, about):
    restrict_to_members(about)
    assert client.get("/about/").status_code == HTTPStatus.FOUND

    about.view_restrictions.all().delete()

    assert client.get("/about/").status_code == HTTPStatus.OK


def test_a_published_change_to_the_home_page_shows_at_once(client, home_page):
    client.get("/")
    home_page.heading = "A new welcome"

    home_page.save_revision().publish()

    assert "A new welcome" in client.get("/").content.decode()


def test_a_page_taken_out_of_the_menu_goes_at_once(client, about):
    client.get("/")
    about.show_in_menus = False

    about.save_revision().publish()

    assert "About us" not in client.get("/").content.decode()


def test_a_renamed_theme_shows_under_its_new_name(client, make_exemplar):
    theme = Theme.objects.first()
    make_exemplar("Time bank", themes=[theme.slug])
    client.get("/exemplars/")

    theme.name = "Brand new name"
    theme.save()

    assert "Brand new name" in client.get("/exemplars/").content.decode()


def test_leaving_the_moderators_takes_their_rights_at_once(client, home_page):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert client.get("/admin/network_profiles/").status_code == HTTPStatus.OK

    moderator.groups.remove(Group.objects.get(name=roles.MODERATORS))

    assert client.get("/admin/network_profiles/").status_code != HTTPStatus.OK


def test_a_group_losing_a_permission_loses_it_for_everyone_at_once(client, home_page):
    from django.contrib.auth.models import Permission

    client.force_login(ModeratorFactory())
    assert client.get("/admin/network_profiles/").status_code == HTTPStatus.OK

    Group.objects.get(name=roles.MODERATORS).permissions.remove(
        Permission.objects.get(codename="view_profile", content_type__app_label="network")
    )

    assert client.get("/admin/network_profiles/").status_code != HTTPStatus.OK


def test_a_member_removed_from_the_members_group_loses_group_restricted_pages(client, about):
    restrict_to_members(about)
    member = MemberFactory()
    client.force_login(member)
    assert client.get("/about/").status_code == HTTPStatus.OK

    member.groups.remove(Group.objects.get(name=roles.MEMBERS))

    assert client.get("/about/").status_code == HTTPStatus.FORBIDDEN


@pytest.fixture
def memo_redis(settings):
    """The production cache (cms.cache.MemoRedisCache) on the test Redis, under a prefix of its own."""
    import secrets

    from django.core.cache import caches
    from django.test import override_settings

    from tests.network.redis_support import redis_url_or_need

    url = redis_url_or_need()
    prefix = f"test-memo-{secrets.token_hex(4)}"
    config = {"default": {"BACKEND": "cms.cache.MemoRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    with override_settings(CACHES=config):
        cache = caches["default"]
        try:
            yield cache
        finally:
            cache.clear()


def _written_elsewhere(cache, key: str, value: int) -> None:
    """Another web process changes `key` (straight into Redis, past this process's cache object)."""
    cache._cache.get_client(write=True).set(cache.make_and_validate_key(key), value)


@pytest.mark.redis
def test_a_request_reads_each_key_once_and_sees_its_own_writes_and_the_next_sees_everyone_elses(memo_redis):
    from cms.cache import request_memo

    memo_redis.set("restrictions", 1)
    with request_memo():
        assert memo_redis.get("restrictions") == 1
        _written_elsewhere(memo_redis, "restrictions", 2)
        assert memo_redis.get("restrictions") == 1  # one consistent value for the whole request
        memo_redis.incr("restrictions", 10)  # its own write: read back at once
        assert memo_redis.get("restrictions") == 12
        assert memo_redis.get("absent", "fallback") == "fallback"
        _written_elsewhere(memo_redis, "absent", 5)
        assert memo_redis.get("absent", "fallback") == "fallback"
    assert memo_redis.get("absent") == 5  # outside a request (a worker, a job): always fresh
    _written_elsewhere(memo_redis, "restrictions", 3)
    assert memo_redis.get("restrictions") == 3


@pytest.mark.redis
def test_pages_served_with_the_memo_still_follow_every_change(client, about, memo_redis):
    assert "About us" in client.get("/").content.decode()

    restrict_to_members(about)

    assert "About us" not in client.get("/").content.decode()
    assert client.get("/about/").status_code == HTTPStatus.FOUND  # to sign in


@pytest.mark.redis
def test_a_members_page_reads_the_keys_every_page_needs_in_one_round_trip(client, about, memo_redis):
    """The site, restrictions, permissions and fragment versions come in one MGET at the start of the
    request; a member's page then costs a handful of round trips to Redis, not one per key."""
    from unittest import mock

    from redis import Redis

    client.force_login(MemberFactory())
    client.get("/network/")  # everything cached, as for a steady reader
    with mock.patch.object(
        Redis, "execute_command", autospec=True, side_effect=Redis.execute_command
    ) as calls:
        assert client.get("/network/").status_code == HTTPStatus.OK
    commands = [call.args[1] for call in calls.call_args_list]

    assert commands.count("MGET") == 1
    # the MGET, the session, its activity mark, the person with their profile, the menu
    assert len(commands) <= 5, commands


@pytest.mark.redis
def test_addresses_of_posts_that_do_not_exist_leave_nothing_kept_for_ever(client, home_page, memo_redis):
    """A post's number is in its address, and its version key is named after it: a guessed number must not
    leave a key that never expires (they would fill Redis)."""
    from redis import Redis

    from tests.network.redis_support import redis_url_or_need

    for pk in range(900001, 900011):
        assert client.get(f"/network/blog/{pk}/anything/").status_code == HTTPStatus.NOT_FOUND

    redis = Redis.from_url(redis_url_or_need())
    keys = list(redis.scan_iter(f"{memo_redis.key_prefix}:*"))
    per_post = [key for key in keys if b"fragments:version:post:" in key]
    assert len(per_post) == 10  # each number's version is there (it names what would be kept)...
    assert all(0 < redis.ttl(key) <= 4 * 60 * 60 for key in per_post)  # ...and expires
    assert not [key for key in keys if b"fragments:post:" in key]  # nothing is kept for no post


@pytest.mark.redis
def test_what_is_kept_of_people_holds_no_credentials_or_moderators_notes(client, home_page, memo_redis):
    """The signed-in person and a post's author are kept in Redis: never with a password hash of someone
    else's, an email address, a private feed key or what moderators wrote about them."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from redis import Redis

    from network.blog.models import Post
    from network.models import Profile
    from tests.network.redis_support import redis_url_or_need

    author = MemberFactory(email="hidden-author@example.org")
    Profile.objects.filter(user=author).update(
        feed_key="AUTHORFEEDKEY" + "x" * 30, decision_message="Approved after a call"
    )
    reader = MemberFactory(email="hidden-reader@example.org")
    Profile.objects.filter(user=reader).update(feed_key="READERFEEDKEY" + "y" * 30)
    post = Post.objects.create(
        author=author, title="Kept", body="Text", status="published", published_at=timezone.now()
    )
    client.force_login(reader)
    assert client.get(post.get_absolute_url()).status_code == HTTPStatus.OK  # the person and post kept

    redis = Redis.from_url(redis_url_or_need())
    kept = b"".join(redis.get(key) or b"" for key in redis.scan_iter(f"{memo_redis.key_prefix}:*"))
    assert b"signed-in" in b"".join(redis.scan_iter(f"{memo_redis.key_prefix}:*"))  # the person is kept...
    for secret in (b"AUTHORFEEDKEY", b"READERFEEDKEY", b"hidden-author@", b"Approved after a call"):
        assert secret not in kept, secret  # ...without these
    author_hash = get_user_model().objects.get(pk=author.pk).password.encode()
    assert author_hash not in kept
