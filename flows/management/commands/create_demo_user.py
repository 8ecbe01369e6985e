from django.core.management.base import BaseCommand

from flows.demo import DEMO_EDITOR, DEMO_USER, demo_accounts_ensure


class Command(BaseCommand):
    help = "Create (or refresh) the demo user with ~60 nights of data, and a demo editor."

    def handle(self, *args, **options):
        demo_accounts_ensure()
        for label, (email, password) in (("Demo user", DEMO_USER), ("Demo editor", DEMO_EDITOR)):
            self.stdout.write(f"{label}: {email} / {password}")
