from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import dispatch


class Command(BaseCommand):
    help = "Run one reminder tick now: claim every due reminder and enqueue its sending."

    def handle(self, *args, **options):
        # The same service the beat entry "reminders-tick" runs every minute.
        claimed = dispatch.reminders_claim_due(now=timezone.now())
        self.stdout.write(f"Claimed {claimed} due reminder(s); sending is queued.")
