"""``manage.py demo``: build the demo company, or show its logins when it is already there."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from propdesk.console import demo as demo_data
from propdesk.org.models import Company


class Command(BaseCommand):
    help = ("Build a realistic demo property company (2 branches, 4 projects, ~10,000 rooms, ~15,000 "
            "residents, a login for every role), deterministically from a seed. "
            "Re-running it shows the logins.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=None,
                            help="Random seed (default: settings.PROPDESK_DEMO_SEED). Same seed, same data.")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Multiply the number of rooms and residents (default 1.0; 0.02 is quick).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete ALL data in the database first (like manage.py flush), then build.")

    def handle(self, *args, seed=None, scale=1.0, reset=False, **options):
        seed = settings.PROPDESK_DEMO_SEED if seed is None else seed
        if not 0 < scale <= 20:
            raise CommandError("--scale must be greater than 0 and at most 20.")
        verbose = options.get("verbosity", 1) >= 1
        if reset:
            if verbose:
                self.stdout.write("Deleting all data…")
            demo_data.demo_reset()
        elif demo_data.demo_present():
            self.stdout.write(self.style.SUCCESS("The demo company is already there "
                                                 "(use --reset to rebuild it)."))
            self._print_logins()
            return
        elif Company.objects.exists():
            raise CommandError("The database already holds a company that is not the demo. "
                               "Run with --reset to delete ALL data and build the demo.")
        taken = list(get_user_model().objects.filter(username__in=demo_data.demo_usernames())
                     .values_list("username", flat=True))
        if taken:
            raise CommandError(f"These usernames already exist: {', '.join(sorted(taken))}. "
                               "Run with --reset to delete ALL data and build the demo.")
        summary = demo_data.build_demo(seed=seed, scale=scale, stdout=self.stdout if verbose else None)
        self.stdout.write(self.style.SUCCESS(
            f"Demo built in {summary.elapsed:.1f} s (seed {summary.seed}, scale {summary.scale:g}):"))
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<18} {count:>8,}")
        self._print_logins(summary.logins)

    def _print_logins(self, logins=None):
        logins = demo_data.demo_logins() if logins is None else logins
        self.stdout.write("")
        self.stdout.write("Demo logins (every password is the same):")
        for line in demo_data.format_logins(logins):
            self.stdout.write("  " + line)
        self._print_phone_logins()

    def _print_phone_logins(self):
        from propdesk.console.demo.phones import demo_phone_logins, format_phone_logins

        rows = demo_phone_logins()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write("手机号登录 (sign in at /login/phone/; the code is on the demo's message log, "
                          "/demo/messages/):")
        for line in format_phone_logins(rows):
            self.stdout.write("  " + line)
