"""Settings for visits. Override any of them in Django settings with a VISITS_ prefix."""

from django.conf import settings

DEFAULTS = {
    "CALENDAR_DOMAIN": "localhost",  # right-hand side of every invite UID
    "REMINDER_DAYS_BEFORE": 2,
}


def __getattr__(name: str):
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"VISITS_{name}", DEFAULTS[name])
