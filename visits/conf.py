"""Settings for visits. Override any of them in Django settings with a VISITS_ prefix."""

from django.conf import settings

DEFAULTS = {
    "CALENDAR_DOMAIN": "localhost",  # right-hand side of every invite UID
    # The organiser of every invite: a mailbox that can receive replies (calendars send them there), and the
    # name shown when a visit has no host.
    "ORGANIZER_EMAIL": "visits@localhost",
    "ORGANIZER_NAME": "Study visits",
    "REMINDER_DAYS_BEFORE": 2,
    # Feedback is shown (as counts only) once at least this many attendees have answered.
    "FEEDBACK_MIN_ANSWERS": 5,
    # The site's address for links in emails; unset, the network's NETWORK_SITE_URL.
    "SITE_URL": None,
    # The page types a host may offer visits to ("app_label.ModelName"); empty: any live page.
    "PAGE_TYPES": [],
    # A dotted path to fn(page) -> visits.pages.PageDetails, for pages that keep summary, region or themes
    # under other names; unset, visits reads `summary`, `region` and `themes` where the page has them.
    "PAGE_DETAILS": None,
    # The longest a visit may last, in days.
    "MAX_DAYS": 7,
}


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    value = getattr(settings, f"VISITS_{name}", DEFAULTS[name])
    if name == "SITE_URL":
        if not value:
            from network import conf as network_conf

            value = network_conf.SITE_URL
        return value.rstrip("/")
    return value
