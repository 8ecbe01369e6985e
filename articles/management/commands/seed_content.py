from django.core.management.base import BaseCommand

from articles.seeding import launch_content_seed


class Command(BaseCommand):
    help = "Load or update the launch articles (idempotent; keeps articles staff have edited)."

    def handle(self, *args, **options):
        report = launch_content_seed()
        for label, slugs in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("kept (edited by staff since)", report.kept_edits),
            ("skipped (slug already used by another article)", report.conflicts),
        ):
            for slug in slugs:
                self.stdout.write(f"{label}: {slug}")
        self.stdout.write(self.style.SUCCESS("Launch content is in place."))
