from django.core.management.base import BaseCommand, CommandError

from vidora.app.accounts.models import User
from vidora.app.quotas.services import grant


class Command(BaseCommand):
    help = "Give an account credits for extra, priority generations (negative to take them away)."

    def add_arguments(self, parser):
        parser.add_argument("handle")
        parser.add_argument("amount", type=int)
        parser.add_argument("--reason", default="granted by an operator")

    def handle(self, *args, handle: str, amount: int, reason: str, **options):
        user = User.objects.filter(username=handle.lstrip("@").lower()).first()
        if user is None:
            raise CommandError(f"no account @{handle.lstrip('@')}")
        try:
            balance = grant(user, amount, reason=reason)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"@{user.handle} now has {balance} credits")
