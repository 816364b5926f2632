"""The site's periodic jobs in one command, for cron (once) or a process manager (--loop)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the periodic jobs: retry due outbox mail, publish scheduled pages. --loop SECONDS repeats."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Repeat every SECONDS seconds.")

    def handle(self, *args, loop=None, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a positive number of seconds.")
        while True:
            call_command("outbox_retry", stdout=self.stdout)
            call_command("publish_scheduled", stdout=self.stdout)
            if loop is None:
                return
            time.sleep(loop)
