"""Rate limits over the cache: `rate_limited("comment", user)` is true when `user` has done that too often.

Rates are NETWORK_RATES (per action: (how many, per seconds)); members approved in the last
NETWORK_NEW_MEMBER_DAYS get NETWORK_NEW_MEMBER_RATES, since spam accounts are new accounts. Each call that
returns False counts one action. Fixed windows (cache.incr on a key that expires with its window) are
coarse but cost one cache round trip and need no table; a burst across a window edge gets at most twice
the rate, which is fine for a social site (Discourse's per-user limits work the same way).
"""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from . import conf
from .access import profile_of


def rate_for(action: str, user) -> tuple[int, int]:
    profile = profile_of(user)
    recent = timezone.now() - timedelta(days=conf.NEW_MEMBER_DAYS)
    if profile is not None and profile.decided_at and profile.decided_at > recent:
        return conf.NEW_MEMBER_RATES[action]
    return conf.RATES[action]


def rate_limited(action: str, user) -> bool:
    """Count one `action` by `user`; true (and nothing counted) when they are over their rate."""
    if user.is_superuser:
        return False
    limit, seconds = rate_for(action, user)
    window = int(timezone.now().timestamp()) // seconds
    key = f"network:rate:{action}:{user.pk}:{window}"
    cache.add(key, 0, seconds + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, seconds + 60)
        used = 1
    return used > limit
