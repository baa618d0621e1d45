"""The restore drill's figures: totals of gifts, receipts, hours, cards (and files).

python manage.py backup_totals                       # a table
python manage.py backup_totals --json                # what backup.sh writes beside each dump
python manage.py backup_totals --compare backups/goodday-….totals.json   # exit 1 on a difference
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.selectors import backup_totals


class Command(BaseCommand):
    help = "Print the totals a restore drill compares (gifts, receipts, hours, cards, files)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="print as JSON")
        parser.add_argument("--compare", metavar="FILE", help="compare with a backup's .totals.json")

    def handle(self, *args, as_json: bool = False, compare: str | None = None, **options):
        totals = backup_totals()
        if as_json:
            self.stdout.write(json.dumps(totals, ensure_ascii=False, sort_keys=True))
            return
        if compare:
            try:
                expected = json.loads(Path(compare).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read {compare}: {exc}") from None
            differ = [k for k in sorted(set(expected) | set(totals)) if expected.get(k) != totals.get(k)]
            for key in sorted(totals):
                mark = "DIFFERS" if key in differ else "ok"
                self.stdout.write(f"{key:28} {expected.get(key)!s:>16} {totals.get(key)!s:>16}  {mark}")
            if differ:
                raise CommandError(f"{len(differ)} figure(s) differ from the backup: {', '.join(differ)}")
            self.stdout.write(self.style.SUCCESS("Every figure matches the backup."))
            return
        for key, value in totals.items():
            self.stdout.write(f"{key:28} {value}")
