"""Settings for network. Override any of them in Django settings with a NETWORK_ prefix.

Read lazily, so `override_settings` in tests just works:
`from network import conf` ... `conf.OUTBOX_MAX_ATTEMPTS`.
"""

from django.conf import settings

DEFAULTS = {
    # The site's address, for absolute links in emails ("https://network.example.org"); unset, Wagtail's
    # own WAGTAILADMIN_BASE_URL, which its notification emails use too.
    "SITE_URL": None,
    # The email backend the outbox hands messages to (EMAIL_BACKEND itself is the outbox).
    "OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    # Attempts before a message is marked failed and left for a moderator to retry.
    # With the defaults below: about 4 hours of doubling waits, then every 6 hours, ~2.5 days in all, so an
    # outage over a weekend night does not lose sign-up and reset mail.
    "OUTBOX_MAX_ATTEMPTS": 16,
    # First retry after this many seconds; each further one waits twice as long, up to a cap.
    "OUTBOX_RETRY_BASE_SECONDS": 60,
    "OUTBOX_RETRY_MAX_SECONDS": 6 * 60 * 60,
    # A message claimed for sending longer ago than this was cut off mid-send: it is marked "uncertain",
    # never re-sent by itself, so no one receives it twice.
    "OUTBOX_STALE_SENDING_SECONDS": 15 * 60,
    # Sent messages are deleted after this many days by the periodic job.
    "OUTBOX_KEEP_SENT_DAYS": 30,
    # A signed-in session's "last seen" (shown on the account's sessions page) is written at most once in
    # this many seconds, so reading pages writes nothing to the database.
    "SESSION_ACTIVITY_SECONDS": 5 * 60,
    # How long the cache keeps a person's permissions (changes to groups clear them at once).
    "PERMISSIONS_CACHE_SECONDS": 5 * 60,
    # How long the cache keeps a signed-in person with their profile (any change to either clears it at once).
    "SIGNED_IN_CACHE_SECONDS": 5 * 60,
    # How long the cache keeps whether a member watches a post or thread (each change clears it at once).
    "WATCHING_CACHE_SECONDS": 60 * 60,
    # How often a member may do each thing (network.ratelimit): (times, per seconds).
    "RATES": {
        "post": (10, 60 * 60),
        "comment": (30, 60 * 60),
        "report": (20, 60 * 60),
        "thread": (10, 60 * 60),
        "reply": (30, 60 * 60),
        "edit": (30, 60 * 60),
        "helpful": (60, 60 * 60),
    },
    # ...and members approved in the last NEW_MEMBER_DAYS days, as spam accounts are new accounts.
    "NEW_MEMBER_RATES": {
        "post": (3, 60 * 60),
        "comment": (10, 60 * 60),
        "report": (10, 60 * 60),
        "thread": (3, 60 * 60),
        "reply": (10, 60 * 60),
        "edit": (10, 60 * 60),
        "helpful": (30, 60 * 60),
    },
    "NEW_MEMBER_DAYS": 7,
    # A comment may be edited by its author for this long after it was written.
    "EDIT_WINDOW_SECONDS": 60 * 60,
}


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    value = getattr(settings, f"NETWORK_{name}", DEFAULTS[name])
    if name == "SITE_URL" and not value:
        value = getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost:8000")
    return value.rstrip("/") if name == "SITE_URL" else value
