"""The core's periodic jobs, registered through its own hook (network_periodic_jobs) as any app's are."""

from django.core.management import call_command
from wagtail import hooks

from . import outbox
from .hooks import PERIODIC_JOBS, PeriodicRun
from .services import notifications


def _retry_outbox(run: PeriodicRun) -> None:
    call_command("outbox_retry", stdout=run.stdout, verbosity=run.verbosity)


def _prune_task_results(run: PeriodicRun) -> None:
    """Finished task results pile up in the database queue; other queues keep their own."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", verbosity=0)


@hooks.register(PERIODIC_JOBS)
def core_jobs():
    return {
        "outbox": _retry_outbox,
        "old sent mail": lambda run: outbox.prune_sent(),
        "task results": _prune_task_results,
        "sessions": lambda run: call_command("clearsessions", verbosity=0),
        "daily notification emails": lambda run: notifications.send_digests(),
    }
