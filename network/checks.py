"""System checks for deployments of the network app."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Sign-in, sign-up and password-reset limits are counted in the default cache: in a per-process cache
    every web worker counts apart, so a guesser gets the limit once per worker, and a dummy cache never
    counts at all."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is not shared between processes, so rate limits (sign-in, sign-up, "
            "password reset) are counted per worker or not at all; a change to someone's groups reaches "
            "the other workers' cached permissions only after NETWORK_PERMISSIONS_CACHE_SECONDS, and a "
            "deactivated account or a new password ends the sessions other workers serve only after "
            "NETWORK_SIGNED_IN_CACHE_SECONDS (kept renderings go stale the same way).",
            hint="Set CACHE_URL to a shared cache such as redis://127.0.0.1:6379/1, and TRUSTED_PROXY_COUNT "
            "to the number of proxies in front of the site, so limits count each visitor.",
            id="network.W001",
        )
    ]
