"""Tests: fast hashing, tasks run at once, mail delivered to memory unless a test points it at SMTP."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
NETWORK_OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": env.cache("TEST_CACHE_URL", default="locmemcache://tests")}
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "network_private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", default="test_coproduce")
else:
    # A file, as in production, not Django's shared-cache memory database: that one locks whole tables and
    # fails a second writer at once, where a file under WAL makes it wait its turn (the busy timeout), which
    # is what the concurrency tests must see. Tests need no durability, hence synchronous=OFF.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.mkdtemp(prefix="coproduce-db-"), "test.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
STAFF_MFA_REQUIRED = False  # tests of the requirement turn it on
DEMO_PASSWORDS_FILE = os.path.join(tempfile.mkdtemp(prefix="coproduce-tests-"), "demo-passwords.json")
