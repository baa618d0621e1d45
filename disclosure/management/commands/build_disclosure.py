from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disclosure.services import ReportRefused, build_report


class Command(BaseCommand):
    help = "Build or rebuild the public disclosure of a month (an ended month; the month in progress is provisional)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("month", type=int)

    def handle(self, *args, year, month, **opts):
        try:
            report, created = build_report(year, month)
        except ReportRefused as exc:
            raise CommandError(f"{year}-{month:02d} 未通過對帳，未公開：{exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        state = "published" if created else "unchanged"
        self.stdout.write(f"{year}-{month:02d} version {report.version} {state} sha256={report.digest}")
