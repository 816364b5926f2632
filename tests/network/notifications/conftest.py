"""The blog's people and posts: notifications are tested on blog comments, the first thing members watch."""

from tests.network.blog.conftest import author, make_post, reader  # noqa: F401 - fixtures
