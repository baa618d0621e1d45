"""ECPay payment notifications under load: 16 concurrent senders post signed "paid" notifications
(each pledge notified twice, as ECPay retries) to gunicorn with 2 workers, sent by wrk. Reports p99
latency and checks that none is lost or counted twice: every answered pledge paid, one receipt each.

Run by `make bench` (main), or alone inside a configured environment:
    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m bench.payment_notify --pledges 800
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

from bench.web import ROOT, RUNS, Gunicorn, median_run, parse_wrk, production_env, spread

SENDERS = 16
# Steady senders: each waits this long between notifications (16 × 10/s = 160/s, hundreds of
# thousands an hour: far beyond a city's giving, yet below the 2-worker server's capacity).
PAUSE_MS = 100
TARGET_P99_MS = 50
PREFIX = "GDNOTIFY"
NOTIFY_PATH = "/payments/ecpay/notify/"
# wrk sends the prepared bodies in order (each pledge twice, as ECPay retries), cycling if it runs out.
LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "payment_notify.lua")


def main(env, scale, row):
    pledges = 6000
    serve_env = production_env(env)
    with tempfile.TemporaryDirectory() as tmp:
        bodies_file = os.path.join(tmp, "bodies.txt")
        _manage(serve_env, "prepare", pledges, bodies_file)
        with Gunicorn(serve_env) as server:
            sender = _Sender(server.url + NOTIFY_PATH, bodies_file)
            flat_out = sender.run(pause=0, seconds=8)
            # As for the pages: the run with the median p99 is the figure (bench/web.py RUNS).
            steady = median_run([sender.run(pause=PAUSE_MS, seconds=10) for _ in range(RUNS)])
            # Leaving the block stops gunicorn gracefully: requests still in flight finish first.
        check = json.loads(_manage(serve_env, "check", pledges, bodies_file, "--sent", str(sender.sent)))
    safe = not check["lost"] and not check["doubled"] and not sender.errors
    rps, p99 = flat_out
    row(
        f"payment notifications, {SENDERS} senders flat out",
        f"{rps:,.0f}/s, p99 {p99:.0f} ms",
        "capacity (no floor)",
        "",
    )
    rps, p99, p99s = steady
    row(
        f"payment notifications, {SENDERS} senders every {PAUSE_MS} ms",
        f"{rps:,.0f}/s, p99 {p99:.1f} ms ({spread(p99s)}); lost {check['lost']}, "
        f"doubled {check['doubled']}, errors {sender.errors}",
        f"p99 < {TARGET_P99_MS} ms, none lost",
        "ok" if p99 < TARGET_P99_MS and safe else "BELOW",
    )


class _Sender:
    """wrk as 16 senders; each run goes on with fresh notifications where the last one stopped."""

    def __init__(self, url, bodies_file):
        self.url, self.bodies_file = url, bodies_file
        self.sent = self.errors = 0

    def run(self, *, pause: int, seconds: int) -> tuple[float, float]:
        wrk = ["wrk", "-t1", f"-c{SENDERS}", f"-d{seconds}s", "--latency", "-s", LUA, self.url]
        out = subprocess.run(
            [*wrk, "--", self.bodies_file, str(pause), str(self.sent)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.sent += int(re.search(r"(\d+) requests in", out)[1])
        self.errors += int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
        return parse_wrk(out)


def _manage(env, step, pledges, bodies_file, *extra) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.payment_notify",
            step,
            "--pledges",
            str(pledges),
            "--bodies",
            bodies_file,
            *extra,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1] if out.strip() else ""


def prepare(pledges: int, bodies_file: str) -> None:
    """Fresh pending pledges and their signed notifications, each twice (ECPay retries), shuffled."""
    import random

    from donations import ecpay
    from donations.models import PaymentNotification, Pledge, Receipt

    PaymentNotification.objects.filter(merchant_trade_no__startswith=PREFIX).delete()
    Receipt.objects.filter(pledge__merchant_trade_no__startswith=PREFIX).delete()
    Pledge.objects.filter(merchant_trade_no__startswith=PREFIX).delete()
    Pledge.objects.bulk_create(
        Pledge(
            merchant_trade_no=f"{PREFIX}{i:08d}",
            amount=500,
            donor_name="壓測捐款人",
            receipt_name="壓測捐款人",
            channel="credit",
            guest_email="bench@example.tw",
        )
        for i in range(pledges)
    )
    bodies = []
    for i in range(pledges):
        params = ecpay.sign(
            {
                "MerchantID": ecpay.merchant().merchant_id,
                "MerchantTradeNo": f"{PREFIX}{i:08d}",
                "StoreID": "",
                "RtnCode": "1",
                "RtnMsg": "交易成功",
                "TradeNo": f"24112212{i:08d}",
                "TradeAmt": "500",
                "PaymentDate": "2026/11/22 10:30:00",
                "PaymentType": "Credit_CreditCard",
                "PaymentTypeChargeFee": "14",
                "TradeDate": "2026/11/22 10:29:00",
                "SimulatePaid": "0",
            }
        )
        body = urllib.parse.urlencode(params)
        bodies += [body, body]
    random.Random(7).shuffle(bodies)
    with open(bodies_file, "w") as f:
        f.write("\n".join(bodies) + "\n")
    _settle_tables(Pledge, Receipt, PaymentNotification)


def _settle_tables(*models) -> None:
    """Vacuum what this run deleted and inserted: each run replaces the same trade numbers, and
    their dead versions would otherwise slow every lookup of the next run wherever autovacuum is
    off or has not come round yet (as on the machines measured here)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def check(bodies_file: str, sent: int) -> dict:
    """Every notification answered must be in the log, and every one accepted must have paid its
    pledge exactly once (one receipt)."""
    from django.db.models import Count

    from donations.models import NotificationVerdict, PaymentNotification, Pledge, PledgeStatus

    log = PaymentNotification.objects.filter(merchant_trade_no__startswith=PREFIX)
    accepted = set(
        log.filter(verdict__in=[NotificationVerdict.RECORDED, NotificationVerdict.REPEAT]).values_list(
            "merchant_trade_no", flat=True
        )
    )
    ours = Pledge.objects.filter(merchant_trade_no__startswith=PREFIX)
    paid = set(ours.filter(status=PledgeStatus.PAID).values_list("merchant_trade_no", flat=True))
    doubled = ours.annotate(n=Count("receipts")).filter(n__gt=1).count()
    return {"lost": len(accepted - paid) + max(0, sent - log.count()), "doubled": doubled}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["prepare", "check"])
    parser.add_argument("--pledges", type=int, default=4000)
    parser.add_argument("--bodies", required=True)
    parser.add_argument("--sent", type=int, default=0)
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if args.step == "prepare":
        prepare(args.pledges, args.bodies)
    else:
        print(json.dumps(check(args.bodies, args.sent)))
