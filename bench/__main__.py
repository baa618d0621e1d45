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

from bench.web import BENCH_KEYS, ROOT, Gunicorn, load, production_env, spread

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/goodday_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/2"

rows: list[tuple[str, str, str, str]] = []

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
    manage(serve_env, "collectstatic", "--noinput", capture=True)
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
    with Gunicorn(serve_env) as server:
        bare_rps, bare_p99, bare_p99s = load(server.url + "/bench/bare/")
        row(
            "bare Django view", f"{bare_rps:,.0f} req/s, p99 {bare_p99:.1f} ms ({spread(bare_p99s)})", "—", ""
        )
        for name, path in pages.items():
            shown = path if len(path) <= 40 else path[:32] + "…"
            try:
                rps, p99, p99s = load(server.url + path)
            except Exception as exc:
                row(f"GET {shown} ({name})", f"failed: {exc}", "", "FAIL")
                continue
            ok = rps >= bare_rps / 2 and p99 < 50
            row(
                f"GET {shown} ({name})",
                f"{rps:,.0f} req/s, p99 {p99:.1f} ms ({spread(p99s)})",
                f"≥ {bare_rps / 2:,.0f} req/s, p99 < 50 ms",
                "ok" if ok else "BELOW",
            )


def optional_benches(env, scale):
    """Benchmarks that belong to a feature app: bench/<name>.py with main(env, scale, row)."""
    import importlib.util

    for name in ("disclosure_build", "import_records", "card_pdfs", "payment_notify", "staff_pages"):
        if importlib.util.find_spec(f"bench.{name}") is None:
            row(name, "not available yet", "", "MISSING")
            continue
        module = importlib.import_module(f"bench.{name}")
        try:
            module.main(env, scale, row)
        except Exception as exc:
            row(name, f"failed: {type(exc).__name__}: {exc}", "", "FAIL")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 10)))
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

    started = time.monotonic()
    manage(env, "migrate", "--noinput", capture=True)
    out = manage(env, "seed_demo", "--json", "--scale", str(args.scale), capture=True).stdout
    samples = json.loads(out[out.find("{") :]).get("samples", {})
    row(f"seed_demo --scale {args.scale}", f"{time.monotonic() - started:.0f} s", "< 600 s", "")
    # A freshly bulk-loaded database is still being vacuumed, analysed and flushed to disk in the
    # background; measure the steady state a running portal is in instead.
    manage(env, "shell", "-c", SETTLE_DATABASE)

    bench_public_pages(env, samples)
    optional_benches(env, args.scale)

    width = max(len(r[0]) for r in rows)
    figure_width = max(len(r[1]) for r in rows)
    floor_width = max(len(r[2]) for r in rows)
    print(f"\nGoodday benchmarks — scale {args.scale}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"{'what':{width}}  {'figure':{figure_width}}  {'floor':{floor_width}}  verdict")
    for what, figure, floor, verdict in rows:
        print(f"{what:{width}}  {figure:{figure_width}}  {floor:{floor_width}}  {verdict}")


if __name__ == "__main__":
    main()
