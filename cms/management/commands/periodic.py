"""The site's periodic jobs in one command, for cron (once) or a process manager (--loop)."""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from network import outbox

logger = logging.getLogger(__name__)


def _prune_task_results() -> None:
    """Finished task results pile up in the database queue; other queues keep their own."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", verbosity=0)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: retry due outbox mail, publish scheduled pages, forget old sent mail, "
        "finished task results and expired sessions. --loop SECONDS repeats; one failing job never stops it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Repeat every SECONDS seconds.")

    def handle(self, *args, loop=None, verbosity=1, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a positive number of seconds.")
        jobs = {
            "outbox": lambda: call_command("outbox_retry", stdout=self.stdout, verbosity=verbosity),
            "scheduled pages": lambda: call_command("publish_scheduled", stdout=self.stdout, verbosity=0),
            "old sent mail": outbox.prune_sent,
            "task results": _prune_task_results,
            "sessions": lambda: call_command("clearsessions", verbosity=0),
        }
        while True:
            for name, job in jobs.items():
                try:
                    job()
                except Exception:
                    if loop is None:
                        raise
                    logger.exception("Periodic job %r failed; the others go on", name)
            if loop is None:
                return
            time.sleep(loop)
            close_old_connections()  # a database that restarted meanwhile gets a fresh connection
