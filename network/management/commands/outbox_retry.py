"""The outbox's periodic safety net: deliver what is due, flag what was cut off mid-send."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from network import outbox
from network.models import OutboxMessage

Status = OutboxMessage.Status


class Command(BaseCommand):
    help = (
        "Deliver outbox messages whose next attempt is due and mark ones stuck mid-send as uncertain. "
        "Run it from cron every few minutes, or with --loop SECONDS where there is no cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="Keep running, retrying every SECONDS seconds."
        )

    def handle(self, *args, loop: int | None = None, verbosity: int = 1, **options) -> None:
        self.verbosity = verbosity
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a positive number of seconds.")
        while True:
            self.retry_once()
            if loop is None:
                return
            time.sleep(loop)

    def retry_once(self) -> None:
        sent = outbox.retry_due()
        counts = dict(OutboxMessage.objects.order_by().values_list("status").annotate(Count("pk")))
        if self.verbosity < 1 or (self.verbosity == 1 and not sent and not counts.get(Status.FAILED)):
            return  # nothing worth a line in a log that runs every minute
        self.stdout.write(
            f"Outbox: {sent} sent, {counts.get(Status.PENDING, 0)} still pending, "
            f"{counts.get(Status.FAILED, 0)} failed, {counts.get(Status.UNCERTAIN, 0)} uncertain."
        )
