from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import demo


class Command(BaseCommand):
    help = "Create or refresh the demo content and one account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--show-passwords", action="store_true", help="Print the demo accounts' passwords (DEBUG only)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (it adds staff accounts and made-up people).",
        )

    def handle(self, *args, show_passwords=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills a site with demo accounts and made-up people; with DEBUG off, add --force."
            )
        if show_passwords and not settings.DEBUG:
            raise CommandError("Demo passwords are printed only in development (DEBUG=True).")
        accounts = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if show_passwords:
            self.stdout.write("Demo accounts (role, email, password):")
            for role, email, password in accounts:
                self.stdout.write(f"  {role:<10} {email:<26} {password}")
