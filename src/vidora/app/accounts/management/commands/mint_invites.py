from django.core.management.base import BaseCommand

from vidora.app.accounts.services import mint_invites


class Command(BaseCommand):
    help = "Mint single-use invite codes (printed one per line)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1)

    def handle(self, *args, count: int, **options):
        for invite in mint_invites(None, count):
            self.stdout.write(invite.code)
