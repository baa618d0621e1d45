"""python manage.py honorcard_pdf NUMBER [NUMBER...] -o FILE: the printable PDF of one or more cards."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from honorcards.models import HonorCard
from honorcards.pdf import render_cards


class Command(BaseCommand):
    help = "Write the printable PDF (A4 sheets, front and back 6 × 9 cm) of one or more honor cards."

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="+", metavar="NUMBER", help="card numbers, e.g. 11500042")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write ('-' for stdout)")

    def handle(self, *args, numbers, output, **options):
        cards = {
            c.number: c for c in HonorCard.objects.filter(number__in=numbers).select_related("volunteer")
        }
        missing = [n for n in numbers if n not in cards]
        if missing:
            raise CommandError(f"No such card: {', '.join(missing)}")
        data = render_cards([cards[n] for n in dict.fromkeys(numbers)])
        if output == "-":
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout.write(
                data.decode("latin-1")
            )
        else:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {len(cards)} card(s) to {output} ({len(data):,} bytes).")
