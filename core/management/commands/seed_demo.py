import json
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.seeding import DEMO_PASSWORD, SeedContext, seeders


class Command(BaseCommand):
    help = "Load idempotent demo data in Traditional Chinese (one account per role, password goodday-demo)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a machine-readable summary only")
        parser.add_argument("--scale", type=int, default=1, help="multiply the volume (benchmarks)")
        parser.add_argument("--force", action="store_true", help="run even with DJANGO_DEBUG=0")

    def handle(self, *args, **opts):
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "seed_demo refuses to run with DJANGO_DEBUG=0 (production); add --force if you mean it."
            )
        if opts["scale"] < 1:
            raise CommandError("--scale must be 1 or more.")
        as_json = opts["json"]

        def log(message):
            # With --json, stdout carries the JSON only; progress goes to stderr.
            print(message, file=sys.stderr if as_json else self.stdout, flush=True)

        ctx = SeedContext(scale=opts["scale"], log=log)
        for app, seed in seeders():
            started = time.monotonic()
            with transaction.atomic():
                seed(ctx)
            log(f"  {app}: {time.monotonic() - started:.1f}s")

        # Where the samples live: the address this portal serves (QR codes and e-mails use it too).
        ctx.samples["site_url"] = settings.SITE_URL
        if as_json:
            self.stdout.write(
                json.dumps({"accounts": ctx.accounts, "samples": ctx.samples}, ensure_ascii=False)
            )
            return
        self.stdout.write(self.style.SUCCESS("示範資料已就緒 Demo data ready. 示範帳號 Demo accounts:"))
        for role, account in ctx.accounts.items():
            extra = " (2FA: python manage.py demo_totp)" if "totp_secret" in account else ""
            self.stdout.write(f"  {role:14} {account['email']:40} {DEMO_PASSWORD}{extra}")
        for key, value in ctx.samples.items():
            self.stdout.write(f"  sample {key}: {value}")
