"""The server's work per staff page (bench/staff_pages.PAGES) without a load generator: each page is
requested in-process by django.test.Client, signed in as its demo user, and timed with perf_counter;
the slowest queries of the last request are shown with their SQL. On a shared machine this is steadier
than wrk's wall clock (issue 21: aim well below 100 ms of work per page at scale 100).

    DATABASE_URL=... python -m bench.staff_work [--runs 20] [--only SUBSTRING] [--sql] [--bench-keys]
"""

import argparse
import os
import statistics
import time


def measure(runs: int, only: str, show_sql: bool) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from bench.staff_pages import PAGES, _arguments, _second_factor_passed
    from core.seeding import DEMO_EMAIL_DOMAIN

    setup_test_environment()
    # No collectstatic here: static URLs unhashed (gunicorn's run serves a manifest; the cost is the same).
    override_settings(
        DEBUG=False,  # a development environment's keys read the database it seeded; DEBUG's extras off
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    print(f"{'page':58} {'median':>8} {'p95':>8} {'queries':>7}  slowest query")
    for label, (local, name, kind) in PAGES.items():
        if only and only not in label and only not in name:
            continue
        try:
            kwargs = _arguments(kind) if kind else {}
            url = reverse(name, kwargs=kwargs or None)
        except Exception as exc:
            print(f"{label:58} MISSING ({type(exc).__name__}: {exc})")
            continue
        user = User.objects.get(email=f"{local}@{DEMO_EMAIL_DOMAIN}")
        client = Client()
        client.force_login(user)
        session = client.session
        _second_factor_passed(session, user)
        session.save()
        client.get(url)  # warm caches, templates, connection
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            print(f"{label:58} HTTP {response.status_code}")
            continue
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
        slow = f"{float(slowest['time']) * 1000:.0f} ms" if slowest else ""
        print(f"{label:58} {statistics.median(timings):6.1f}ms {p95:6.1f}ms {len(captured):7}  {slow}")
        if show_sql:
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"    {float(query['time']) * 1000:.1f} ms  {query['sql'][:600]}")


if __name__ == "__main__":
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument(
        "--bench-keys", action="store_true", help="the database was seeded by `make bench` (its keys)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.bench_keys:
        from bench.web import production_env

        os.environ.update(production_env(os.environ))  # the settings gunicorn serves the benchmark with
    django.setup()
    measure(args.runs, args.only, args.sql)
