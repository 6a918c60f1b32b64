"""``manage.py rebuild_rollups [--project ID] [--since YYYY-MM-DD]``: rebuild the reports' rollups from the raw
rows — all of them (which also starts the watermark the worker keeps them exact from), one project's, or from a
day on (a local day received, or due for visits)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from propdesk.reports.rollups import complaints, kpis, visits


class Command(BaseCommand):
    help = "Rebuild the reports' rollups (complaint summary, KPIs, visit statistics) from the raw rows."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="only this project id")
        parser.add_argument("--since", help="only from this local day on (YYYY-MM-DD)")

    def handle(self, *args, project=None, since=None, **options):
        try:
            day = date.fromisoformat(since) if since else None
        except ValueError:
            raise CommandError("--since: give a day as YYYY-MM-DD") from None
        for name, family in (("complaints", complaints), ("kpis", kpis), ("visits", visits)):
            written = family.rebuild(project_id=project, since=day)
            if options["verbosity"]:
                self.stdout.write(f"{name}: {written} rows")
