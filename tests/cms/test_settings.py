"""Configuration comes from the environment, and production refuses to run unsafely."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.factories import MemberFactory
from tests.network.redis_support import redis_url_or_need

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "coproduce.example.org",
    "SITE_URL": "https://coproduce.example.org",
    "DATABASE_URL": "sqlite:////tmp/coproduce-check.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # only named: the check connects to nothing
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def _settings(*names: str, settings_module="cms.settings.dev", **env: str) -> dict:
    code = f"import json; from django.conf import settings as s; print(json.dumps([str(eval('s.' + n)) for n in {names!r}]))"
    result = _manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE=settings_module, **env)
    assert result.returncode == 0, result.stderr
    return dict(zip(names, json.loads(result.stdout.strip().splitlines()[-1]), strict=True))


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = _manage("check", "--deploy", "--settings=cms.settings.production", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize("cache_url", [None, "locmemcache://", "dummycache://"])
def test_the_deploy_check_warns_when_rate_limits_would_be_counted_per_process(cache_url):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CACHE_URL"}
    if cache_url:
        env["CACHE_URL"] = cache_url

    result = _manage("check", "--deploy", "--settings=cms.settings.production", **env)

    assert "network.W001" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _manage("check", "--settings=cms.settings.production", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_email_and_cache_come_from_their_urls():
    values = _settings(
        "DATABASES['default']['HOST']",
        "NETWORK_OUTBOX_DELIVERY_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_BACKEND",
        "CACHES['default']['LOCATION']",
        DATABASE_URL="postgres://someone@db.internal:5433/network",
        EMAIL_URL="smtp://mailer:secret@mail.internal:2525",
        CACHE_URL="redis://cache.internal:6379/3",
    )

    assert values == {
        "DATABASES['default']['HOST']": "db.internal",
        "NETWORK_OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.internal",
        "EMAIL_PORT": "2525",
        "EMAIL_BACKEND": "network.mail.OutboxBackend",  # every message goes through the outbox first
        "CACHES['default']['LOCATION']": "redis://cache.internal:6379/3",
    }


def test_the_defaults_are_a_local_sqlite_file_and_the_console():
    values = _settings("DATABASES['default']['NAME']", "NETWORK_OUTBOX_DELIVERY_BACKEND", "TIME_ZONE")

    assert values["DATABASES['default']['NAME']"].endswith("var/coproduce.sqlite3")
    assert values["NETWORK_OUTBOX_DELIVERY_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["TIME_ZONE"] == "Europe/London"


@pytest.mark.redis
@pytest.mark.django_db
def test_sign_in_rate_limits_are_kept_in_redis_so_every_web_process_shares_them(client, home_page):
    url = redis_url_or_need()
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{secrets.token_hex(4)}",
        }
    }
    MemberFactory(email="amara@example.org")
    with override_settings(CACHES=redis_cache):  # Django rebuilds its cache handler on this change
        try:
            for _ in range(6):
                client.post("/accounts/login/", {"login": "amara@example.org", "password": "wrong-guess"})
            keys = caches["default"]._cache.get_client().keys(f"{redis_cache['default']['KEY_PREFIX']}*")
            assert keys, "the failed sign-ins left no rate-limit record in Redis"
        finally:
            caches["default"].clear()


def test_production_rate_limits_count_the_visitor_behind_the_proxy_not_the_proxy():
    values = _settings(
        "ALLAUTH_TRUSTED_PROXY_COUNT", settings_module="cms.settings.production", **PRODUCTION_ENV
    )

    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"


@pytest.mark.django_db
def test_one_visitors_failed_sign_ins_do_not_lock_out_another_behind_the_same_proxy(
    client, home_page, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    MemberFactory(email="amara@example.org")
    for n in range(12):
        client.post(
            "/accounts/login/",
            {"login": f"made-up{n}@example.org", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    client.post(
        "/accounts/login/",
        {"login": "amara@example.org", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert "_auth_user_id" in client.session
