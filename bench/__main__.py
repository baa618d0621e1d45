"""`make bench`: seed PostgreSQL at --scale 10 (BENCH_SCALE=100 for the full size) and print a table,
each figure against its floor measured on the same machine in the same run.

Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaulting to the local services).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

from bench.web import BENCH_KEYS, PEAK_MB, ROOT, RUNS, Gunicorn, load, median_run, production_env, spread

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/goodday_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"

rows: list[tuple[str, str, str, str]] = []

BARE_PROJECT = "bench.bare_project.wsgi:application"
# Anonymous public pages: at least this share of the bare Django project's rate (issue 21).
PUBLIC_PAGE_RATIO = 0.7

SETTLE_DATABASE = """
from django.db import DatabaseError, connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
    try:
        cursor.execute("CHECKPOINT")  # needs a superuser, as the local benchmark database has
    except DatabaseError:
        pass
"""


def row(what, figure, floor, verdict):
    rows.append((what, figure, floor, verdict))
    print(f"  {what}: {figure} (floor {floor}) {verdict}", file=sys.stderr, flush=True)


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )


def bench_public_pages(env, samples):
    serve_env = production_env(env)
    pages = {"home": "/", "program list": "/programs/"}
    if samples.get("program_url"):
        pages["a program"] = samples["program_url"]
    if samples.get("disclosure_month"):
        y, m = samples["disclosure_month"].split("-")
        pages["a disclosure month"] = f"/disclosure/{y}/{m}/"
    if samples.get("opportunity_id"):
        pages["opportunity board"] = "/opportunities/"
        pages["an opportunity"] = f"/opportunities/{samples['opportunity_id']}/"
    if samples.get("honor_card", {}).get("verify_url"):
        pages["a card check page"] = samples["honor_card"]["verify_url"]
    bare_server = Gunicorn(serve_env, port=18901, app=BARE_PROJECT, kind="")
    with bare_server as bare, Gunicorn(serve_env) as server:
        floor_rates = []
        for name, path in pages.items():
            shown = path if len(path) <= 40 else path[:32] + "…"
            try:
                ratio, runs = _paired_runs(bare.url + "/", server.url + path, floor_rates)
            except Exception as exc:
                row(f"GET {shown} ({name})", f"failed: {exc}", "", "FAIL")
                continue
            rps, p99, p99s = median_run(runs)
            shared = _shared(server.url + path)
            ok = (ratio >= PUBLIC_PAGE_RATIO or not shared) and p99 < 50
            row(
                f"GET {shown} ({name})",
                f"{rps:,.0f} req/s = {ratio:.2f} × bare, p99 {p99:.1f} ms ({spread(p99s)})",
                f"≥ {PUBLIC_PAGE_RATIO:.2f} × bare, p99 < 50 ms"
                if shared
                else "p99 < 50 ms (no-store, rate-limited: never shared)",
                "ok" if ok else "BELOW",
            )
        if floor_rates:
            ordered = sorted(rate for rate, _ in floor_rates)
            p99s = sorted(p99 for _, p99 in floor_rates)
            row(
                "bare Django project (floor: no apps, no middleware, one view)",
                f"{ordered[len(ordered) // 2]:,.0f} req/s (runs {ordered[0]:,.0f}–{ordered[-1]:,.0f}), "
                f"p99 {p99s[len(p99s) // 2]:.1f} ms (runs {p99s[0]:.0f}–{p99s[-1]:.0f})",
                "—",
                "",
            )


def _shared(url) -> bool:
    """Whether the page may be shared (Cache-Control: public) and so takes the fast path; the card
    check page shows a person and counts each request against a rate limit, so it never is."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return "public" in (response.headers.get("Cache-Control") or "")


def _paired_runs(floor_url, page_url, floor_rates):
    """Each run of the page right after a run of the bare project: on a machine others are loading,
    the two runs of a pair see the same load, so their ratio is steadier than either rate. The
    figure is the median ratio; the page's runs are returned for its p99."""
    ratios, runs = [], []
    for _ in range(RUNS):
        floor_rps, floor_p99, _ = load(floor_url, runs=1)
        rps, p99, _ = load(page_url, runs=1)
        floor_rates.append((floor_rps, floor_p99))
        ratios.append(rps / floor_rps)
        runs.append((rps, p99))
    return sorted(ratios)[len(ratios) // 2], runs


def optional_benches(env, scale, samples, only=None):
    """Benchmarks that belong to a feature app: bench/<name>.py with main(env, scale, row)."""
    import importlib.util
    import inspect

    for name in (
        "disclosure_build",
        "import_records",
        "card_pdfs",
        "payment_notify",
        "giving_surge",
        "staff_pages",
    ):
        if only and name not in only:
            continue
        if importlib.util.find_spec(f"bench.{name}") is None:
            row(name, "not available yet", "", "MISSING")
            continue
        module = importlib.import_module(f"bench.{name}")
        try:
            if "samples" in inspect.signature(module.main).parameters:
                module.main(env, scale, row, samples=samples)
            else:
                module.main(env, scale, row)
        except Exception as exc:
            row(name, f"failed: {type(exc).__name__}: {exc}", "", "FAIL")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 10)))
    # A part of the run, e.g. `--only public,giving_surge` (parts: public and the bench/<name>.py
    # modules): a quick re-measure of one figure; the README's tables come from a whole run.
    parser.add_argument("--only", default="", help="comma-separated parts (public, giving_surge, …)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.setdefault("REDIS_URL", DEFAULT_REDIS)
    env["DJANGO_DEBUG"] = "1"
    env.update(BENCH_KEYS)
    db_name = env["DATABASE_URL"].rsplit("/", 1)[1]
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", db_name], check=False
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)

    # Others' work on the same machine moves every figure: the table says how loaded it was.
    load_at_start = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    started = time.monotonic()
    manage(env, "migrate", "--noinput", capture=True)
    out = manage(env, "seed_demo", "--json", "--scale", str(args.scale), capture=True).stdout
    samples = json.loads(out[out.find("{") :]).get("samples", {})
    row(f"seed_demo --scale {args.scale}", f"{time.monotonic() - started:.0f} s", "< 600 s", "")
    # A freshly bulk-loaded database is still being vacuumed, analysed and flushed to disk in the
    # background; measure the steady state a running portal is in instead.
    manage(env, "shell", "-c", SETTLE_DATABASE)

    # Every part serves pages with production settings (hashed static names): `--only giving_surge`
    # in a fresh checkout must not answer 500 for want of the manifest.
    manage(production_env(env), "collectstatic", "--noinput", capture=True)
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    if not only or "public" in only:
        bench_public_pages(env, samples)
    optional_benches(env, args.scale, samples, only=only)
    for kind, megabytes in PEAK_MB.items():
        row(f"peak resident memory of a {kind} (over its runs above)", f"{megabytes:,.0f} MB", "", "")

    width = max(len(r[0]) for r in rows)
    figure_width = max(len(r[1]) for r in rows)
    floor_width = max(len(r[2]) for r in rows)
    load_now = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"\nGoodday benchmarks — scale {args.scale}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
        f"load average at start {load_at_start}, at end {load_now}"
    )
    print(f"{'what':{width}}  {'figure':{figure_width}}  {'floor':{floor_width}}  verdict")
    for what, figure, floor, verdict in rows:
        print(f"{what:{width}}  {figure:{figure_width}}  {floor:{floor_width}}  {verdict}")


if __name__ == "__main__":
    main()
