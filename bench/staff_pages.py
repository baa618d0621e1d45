"""Staff pages with the biggest lists (review queue, a unit's volunteers, import results), signed in,
served by gunicorn with 2 workers and loaded with wrk: p99 under 200 ms (at scale 100).

Run by `make bench` (main) after seeding; the page list is resolved inside Django by
`python -m bench.staff_pages pages`, which also opens a session for each page's demo user.
"""

import json
import os
import subprocess
import sys

from bench.web import ROOT, Gunicorn, load, production_env, spread

TARGET_P99_MS = 200

# The staff lists `make bench` loads (issue 21: p99 < 200 ms at Taipei's size). THE HOOK for new
# pages: add a line here — label → (demo user's e-mail local part, URL name, how to find the URL's
# arguments: None, or a kind handled in _arguments). A URL name not on main yet shows as MISSING,
# nothing fails. tests/core/test_staff_list_queries.py asserts the query count of each list.
PAGES = {
    "honor-card review queue (centre)": ("centre", "honorcards:queue", None),
    "plan review queue (centre)": ("centre", "volunteers:review_queue", None),
    "a unit's volunteers (officer)": ("unit", "volunteers:volunteer_list", "unit"),
    "a unit's service hours (officer)": ("unit", "volunteers:hours_list", None),
    "import results, 500 row errors (officer)": ("unit", "volunteers:import_detail", "import"),
    "volunteer statistics (centre)": ("centre", "volunteers:statistics", None),
    "pledges (reviewer)": ("reviewer", "donations:staff_list", None),
    "audit trail (committee)": ("committee", "audit:list", None),
    "honor cards issued (centre)": ("centre", "honorcards:cards", None),
    "volunteer units (centre)": ("centre", "volunteers:unit_list", None),
    "a unit's opportunities (officer)": ("unit", "opportunities:manage_list", None),
    "corporate volunteer teams (centre)": ("centre", "corporate:team_list", None),
    "large events' volunteer plans (centre)": ("centre", "largeevents:list", None),
    # Issue 21 point 5: every other staff list, queue or figure page that grows with the city.
    "programs review queue (reviewer)": ("reviewer", "programs:review_queue", None),
    "caseworker's workspace (caseworker)": ("caseworker", "programs:workspace", None),
    "a program's donors (caseworker)": ("caseworker", "donations:program_donors", "program"),
    "goods in care (caseworker)": ("caseworker", "donations:goods_list", None),
    "spending review queue (reviewer)": ("reviewer", "disclosure:spending_queue", None),
    "relief committee's half year (committee)": ("committee", "disclosure:committee", None),
    "privacy requests (centre)": ("centre", "privacy:queue", None),
    "a unit's events (officer)": ("unit", "volunteers:event_list", None),
    "a unit's imports (officer)": ("unit", "volunteers:import_list", None),
    "a unit's insurance (officer)": ("unit", "volunteers:insurance_list", "unit"),
    "a unit's page (officer)": ("unit", "volunteers:unit_detail", "unit"),
    "honor card applications (card reviewer)": ("cardreviewer", "honorcards:applications", None),
    "volunteers eligible for honor cards (officer)": ("unit", "honorcards:eligible", None),
    "honor card record corrections (centre)": ("centre", "honorcards:corrections", None),
    "task failures (admin)": ("admin", "audit:task_failures", None),
}


def main(env, scale, row):
    serve_env = production_env(env)
    out = subprocess.run(
        [sys.executable, "-m", "bench.staff_pages", "pages"],
        cwd=ROOT,
        env=serve_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = json.loads(out.strip().splitlines()[-1])
    # The manifest the pages' {% static %} reads (the public pages' part collects it too; `--only
    # staff_pages` on a fresh checkout answered 500 without it).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=serve_env,
        check=True,
        capture_output=True,
    )
    with Gunicorn(serve_env) as server:
        for label, page in pages.items():
            if "missing" in page:
                row(f"staff page: {label}", page["missing"], "", "MISSING")
                continue
            rps, p99, p99s = load(server.url + page["url"], headers={"Cookie": page["cookie"]}, connections=4)
            row(
                f"GET {page['url']} ({label}, scale {scale})",
                f"{rps:,.0f} req/s, p99 {p99:.1f} ms ({spread(p99s)})",
                f"p99 < {TARGET_P99_MS} ms",
                "ok" if p99 < TARGET_P99_MS else "BELOW",
            )


def _arguments(kind):
    from accounts.seed import DEMO_UNIT, SOCIAL_WELFARE
    from volunteers.models import ImportBatch, ImportKind, ImportStatus, VolunteerUnit

    unit = VolunteerUnit.objects.get(organisation__name=DEMO_UNIT)
    if kind == "unit":
        return {"pk": unit.pk}
    if kind == "program":
        # The demo bureau's program with the most gifts: the longest list of donors.
        from django.db.models import Count

        from programs.models import Program

        program = (
            Program.objects.filter(bureau__name=SOCIAL_WELFARE)
            .annotate(gifts=Count("pledges"))
            .order_by("-gifts", "pk")
            .first()
        )
        return {"pk": program.pk} if program else None
    if kind == "import":
        # The longest list an import shows: a refused file with the most row errors listed.
        from accounts.models import User

        batch, _ = ImportBatch.objects.get_or_create(
            unit=unit,
            original_name="bench-refused.xlsx",
            defaults={
                "kind": ImportKind.SERVICE_RECORDS,
                "status": ImportStatus.FAILED,
                "total_rows": 100_000,
                "processed_rows": 100_000,
                "errors": [
                    {"row": n + 2, "column": "服務時數", "message": "服務時數須以 0.25 小時為單位。"}
                    for n in range(500)
                ],
                "created_by": User.objects.filter(organisation=unit.organisation).first(),
            },
        )
        return {"pk": batch.pk}
    return {}


def _second_factor_passed(session, user) -> None:
    """What allauth records in a session whose sign-in passed the second factor (staff pages need it,
    accounts/middleware.py)."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)


def pages() -> dict:
    """Resolve each page's URL and open a signed-in session for its demo user."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from core.seeding import DEMO_EMAIL_DOMAIN

    result = {}
    for label, (local, name, kind) in PAGES.items():
        user = User.objects.get(email=f"{local}@{DEMO_EMAIL_DOMAIN}")
        try:
            kwargs = _arguments(kind) if kind else {}
            if kwargs is None:
                result[label] = {"missing": "no data for this page in the demo"}
                continue
            url = reverse(name, kwargs=kwargs)
        except (NoReverseMatch, Exception) as exc:
            result[label] = {"missing": f"{name}: {type(exc).__name__}"}
            continue
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        _second_factor_passed(session, user)
        session.create()
        result[label] = {"url": url, "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
    return result


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(pages()))
