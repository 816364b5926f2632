"""At scale the outbox's delivery tasks go through Redis (RQ); a worker on any machine delivers them."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.network.redis_support import redis_url_or_need

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django
django.setup()
from django.db import transaction
from network import outbox
from network.models import OutboxMessage
import django_rq
with transaction.atomic():
    message = outbox.queue_email(to=["rq@example.org"], subject="Through Redis", body="Hello")
print("QUEUED", django_rq.get_queue("default").count)
from django.core.management import call_command
call_command("rqworker", "default", burst=True, job_class="django_tasks_rq.backend.Job")
message.refresh_from_db()
print("STATUS", message.status)
"""


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # leaves the next serialized test its rows
def test_an_outbox_message_is_queued_in_redis_and_delivered_by_an_rq_worker(tmp_path):
    redis_url = redis_url_or_need()
    base = redis_url.rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "RQ_URL": f"{base}/14",
        "EMAIL_URL": "memorymail://",
        "SECRET_KEY": uuid.uuid4().hex,
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    redis.Redis.from_url(f"{base}/14").flushdb()

    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "QUEUED 1" in result.stdout  # the task waited in Redis until a worker took it
    assert "STATUS sent" in result.stdout, result.stderr[-3000:]
