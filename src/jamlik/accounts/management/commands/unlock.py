"""``jamlik manage unlock USERNAME``: clear a user name's failed logins and wait."""

from django.core.management.base import BaseCommand

from jamlik.accounts import throttle


class Command(BaseCommand):
    help = "Let a user name log in again at once (clears its failed attempts and delay)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("username", nargs="+")

    def handle(self, *args, username: list[str], **options) -> None:  # noqa: ANN002, ANN003
        for name in username:
            if throttle.unlock(name):
                self.stdout.write(f"{name}: unlocked")
            else:
                self.stdout.write(f"{name}: had no failed attempts")
