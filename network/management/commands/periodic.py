"""Every app's periodic jobs in one command, for cron (once) or a process manager (--loop). Apps register
their jobs through the ``network_periodic_jobs`` hook (network.hooks), so this command imports none of them."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from network import hooks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run every app's periodic jobs (the core's: retry due outbox mail, forget old sent mail, finished task "
        "results and expired sessions). --loop SECONDS repeats; one failing job never stops it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Repeat every SECONDS seconds.")

    def handle(self, *args, loop=None, verbosity=1, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a positive number of seconds.")
        jobs = hooks.periodic_jobs()
        run = hooks.PeriodicRun(stdout=self.stdout, verbosity=verbosity)
        while True:
            for name, job in jobs.items():
                try:
                    job(run)
                except Exception:
                    if loop is None:
                        raise
                    logger.exception("Periodic job %r failed; the others go on", name)
            if loop is None:
                return
            time.sleep(loop)
            close_old_connections()  # a database that restarted meanwhile gets a fresh connection
