"""Load the starting case library and standard answers (knowledge/library.py) into a company."""

from django.core.management.base import BaseCommand, CommandError

from propdesk.org.models import Company

from ...services import library_load


class Command(BaseCommand):
    help = "Load the handbooks' cases and the standard answers to frequent questions into a company (or all)."

    def add_arguments(self, parser):
        parser.add_argument("--company", help="the company's code; every company when left out")

    def handle(self, *args, company=None, **options):
        companies = Company.objects.all()
        if company:
            companies = companies.filter(code=company)
            if not companies.exists():
                raise CommandError(f"No company with code {company!r}.")
        for row in companies.order_by("id"):
            cases, answers = library_load(company=row)
            if options["verbosity"]:
                self.stdout.write(f"{row.name}: {cases} cases, {answers} standard answers added.")
