"""Honor-card PDFs: one card, and 100 cards as one batch, against a bare WeasyPrint render of the
same HTML (the floor: WeasyPrint alone; for the batch the floor also prepares the cards' photos and
QR codes, and ours renders ten sheets at a time for the progress bar and joins the pages).

Run by `make bench` (main), or alone inside a configured, seeded environment:
    DATABASE_URL=postgres://... python -m bench.card_pdfs --cards 100
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.web import ROOT

MAX_OVERHEAD = 1.5  # ours may take at most 1.5× the bare render
SINGLE_RUNS = 5


def main(env, scale, row):
    out = subprocess.run(
        [sys.executable, "-m", "bench.card_pdfs", "--cards", "100"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    single_ok = r["card_seconds"] <= r["bare_card_seconds"] * MAX_OVERHEAD
    row(
        "honor card PDF (one card)",
        f"{r['card_seconds'] * 1000:.0f} ms (bare WeasyPrint {r['bare_card_seconds'] * 1000:.0f} ms)",
        f"≤ {MAX_OVERHEAD}× bare",
        "ok" if single_ok else "BELOW",
    )
    batch_ok = r["batch_seconds"] <= r["bare_batch_seconds"] * MAX_OVERHEAD
    row(
        f"honor card batch PDF ({r['cards']} cards, {r['pages']} A4 sheets)",
        f"{r['batch_seconds']:.1f} s (bare WeasyPrint {r['bare_batch_seconds']:.1f} s)",
        f"≤ {MAX_OVERHEAD}× bare",
        "ok" if batch_ok else "BELOW",
    )


def run(count: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from weasyprint import HTML

    from honorcards.models import HonorCard
    from honorcards.pdf import card_context, render_card, render_cards, sheets_html

    cards = list(HonorCard.objects.select_related("volunteer").order_by("pk")[:count])
    if not cards:
        raise SystemExit("no honor cards: run seed_demo first")
    cards = (cards * (count // len(cards) + 1))[:count]  # repeat the seeded cards up to ``count``
    base = str(settings.BASE_DIR)

    html = sheets_html([card_context(cards[0])])
    render_card(cards[0])  # warm up fonts and templates
    HTML(string=html, base_url=base).write_pdf()
    ours, bare = [], []
    for _ in range(SINGLE_RUNS):  # alternate, so both see the same machine load
        t0 = time.perf_counter()
        render_card(cards[0])
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        HTML(string=html, base_url=base).write_pdf()
        bare.append(time.perf_counter() - t0)
    card_seconds, bare_card_seconds = statistics.median(ours), statistics.median(bare)

    t0 = time.perf_counter()
    batch_html = sheets_html([card_context(c) for c in cards])
    document = HTML(string=batch_html, base_url=base).render()
    document.write_pdf()
    bare_batch_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    data = render_cards(cards)
    batch_seconds = time.perf_counter() - t0

    return {
        "cards": len(cards),
        "pages": len(document.pages),
        "bytes": len(data),
        "card_seconds": card_seconds,
        "bare_card_seconds": bare_card_seconds,
        "batch_seconds": batch_seconds,
        "bare_batch_seconds": bare_batch_seconds,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100)
    print(json.dumps(run(parser.parse_args().cards)))
