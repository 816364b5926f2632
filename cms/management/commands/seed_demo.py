from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import demo


class Command(BaseCommand):
    help = "Create or refresh the demo content and one account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--show-passwords", action="store_true", help="Print the demo accounts' passwords (DEBUG only)."
        )

    def handle(self, *args, show_passwords=False, **options):
        if show_passwords and not settings.DEBUG:
            raise CommandError("Demo passwords are printed only in development (DEBUG=True).")
        accounts = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if show_passwords:
            self.stdout.write("Demo accounts (role, email, password):")
            for role, email, password in accounts:
                self.stdout.write(f"  {role:<10} {email:<26} {password}")
