"""Hooks other apps register (with `wagtail.hooks.register`) so network can show or handle their data
without importing them. Each hook name below is a promise of this app's public interface.

- ``network_profile_activity``: ``fn(profile, viewer) -> list[Activity]``: recent items for a profile page,
  already filtered to what `viewer` may see. Give `fn` a ``depends_on`` attribute naming the
  network.fragments versions its answer follows (``("blog",)``) and profile pages are kept between changes
  (per viewer kind and the pages the viewer may see, network.privacy.audience); without it, every profile
  page is rendered afresh.
- ``network_member_data``: ``fn(user) -> dict``: more of what the site holds about a member, merged into
  their data export under the keys it returns.
- ``network_before_delete_member``: ``fn(user, remove_content: bool) -> None``: called inside the deletion
  transaction; keep content attributed to "former member", or delete it when `remove_content` is true.
- ``network_periodic_jobs``: ``fn() -> dict[str, Callable[[PeriodicRun], None]]``: jobs the ``periodic``
  command runs (every minute, from cron or ``--loop``), by name; each must be safe to run twice at once.
"""

from dataclasses import dataclass
from datetime import datetime

from wagtail import hooks

PROFILE_ACTIVITY = "network_profile_activity"
MEMBER_DATA = "network_member_data"
BEFORE_DELETE_MEMBER = "network_before_delete_member"
PERIODIC_JOBS = "network_periodic_jobs"


@dataclass(frozen=True)
class PeriodicRun:
    """What a periodic job is given: where to report, and how much."""

    stdout: object
    verbosity: int


@dataclass(frozen=True)
class Activity:
    title: str
    url: str
    when: datetime
    kind: str  # e.g. "Blog post", "Study visit"
    when_text: str = ""  # how to show `when`, where the reader's zone is the wrong one (a visit's own day)


def profile_activity(profile, viewer, limit: int = 10) -> list[Activity]:
    items = [item for fn in hooks.get_hooks(PROFILE_ACTIVITY) for item in fn(profile, viewer)]
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]


def profile_activity_depends_on() -> list[str] | None:
    """The fragment versions every activity hook's answer follows, or None when one of them does not say."""
    names: set[str] = set()
    for fn in hooks.get_hooks(PROFILE_ACTIVITY):
        if not hasattr(fn, "depends_on"):
            return None
        names.update(fn.depends_on)
    return sorted(names)


def member_data(user) -> dict:
    data: dict = {}
    for fn in hooks.get_hooks(MEMBER_DATA):
        data.update(fn(user))
    return data


def before_delete_member(user, remove_content: bool) -> None:
    for fn in hooks.get_hooks(BEFORE_DELETE_MEMBER):
        fn(user, remove_content)


def periodic_jobs() -> dict:
    jobs: dict = {}
    for fn in hooks.get_hooks(PERIODIC_JOBS):
        jobs.update(fn())
    return jobs
