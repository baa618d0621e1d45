"""Building a disclosure month of 100,000 income lines, against PostgreSQL aggregating the same rows.

Run by `make bench` (main), or alone inside a configured environment:
    DATABASE_URL=postgres://... python -m bench.disclosure_build --lines 100000
"""

import argparse
import json
import os
import subprocess
import sys
import time

from bench.web import ROOT

TARGET_SECONDS = 20
BENCH_YEAR, BENCH_MONTH = 2019, 7  # a month of its own, before any demo data


def main(env, scale, row):
    lines = 100_000
    out = subprocess.run(
        [sys.executable, "-m", "bench.disclosure_build", "--lines", str(lines)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    row(
        f"build a disclosure month ({lines:,} income lines)",
        f"{result['build_seconds']:.1f} s (PostgreSQL aggregate {result['aggregate_seconds']:.2f} s)",
        f"< {TARGET_SECONDS} s",
        "ok" if result["build_seconds"] < TARGET_SECONDS else "BELOW",
    )


def run(lines: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.db.models import Sum

    from disclosure.services import build_report
    from donations.models import Pledge, PledgeStatus, Receipt

    tz = ZoneInfo("Asia/Taipei")
    start = datetime.datetime(BENCH_YEAR, BENCH_MONTH, 1, tzinfo=tz)
    prefix = "GDBENCH"
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM disclosure_monthlyreport WHERE year = %s AND month = %s", [BENCH_YEAR, BENCH_MONTH]
        )
    if not Pledge.objects.filter(merchant_trade_no__startswith=prefix).exists():
        names = ["王小明", "陳美華", "歐陽志遠", "台灣好食品股份有限公司", "John Smith"]
        batch = []
        for n in range(lines):
            batch.append(
                Pledge(
                    amount=100 + n % 5000,
                    channel="credit",
                    donor_kind="company" if n % 4 == 3 else "person",
                    donor_name=names[n % len(names)],
                    disclosure_mode=["full", "anonymous", "display_name"][n % 3],
                    display_name="愛心人",
                    receipt_name="x",
                    status=PledgeStatus.PAID,
                    merchant_trade_no=f"{prefix}{n:013d}",
                    paid_at=start + datetime.timedelta(seconds=n * 20),
                    guest_email="bench@example.tw",
                )
            )
        Pledge.objects.bulk_create(batch, batch_size=5000)
        ids = (
            Pledge.objects.filter(merchant_trade_no__startswith=prefix)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Receipt.objects.bulk_create(
            (Receipt(pledge_id=pk, number=f"B108-{i:07d}", receipt_name="x") for i, pk in enumerate(ids)),
            batch_size=5000,
        )
    end = datetime.datetime(BENCH_YEAR, BENCH_MONTH + 1, 1, tzinfo=tz)
    t0 = time.perf_counter()
    Pledge.objects.filter(paid_at__gte=start, paid_at__lt=end).aggregate(Sum("amount"))
    aggregate = time.perf_counter() - t0
    t0 = time.perf_counter()
    report, _ = build_report(BENCH_YEAR, BENCH_MONTH)
    build = time.perf_counter() - t0
    return {"lines": len(report.content["income"]), "build_seconds": build, "aggregate_seconds": aggregate}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    print(json.dumps(run(parser.parse_args().lines)))
