from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health


def home(request):
    return render(request, "core/home.html")


def privacy(request):
    return render(request, "core/privacy.html")


@never_cache
def healthz(request):
    results = health.run_checks()
    healthy = all(r["ok"] for r in results.values())
    body = {"status": "ok" if healthy else "fail", "checks": results}
    if results["database"]["ok"]:
        body["unresolved_task_failures"] = health.unresolved_task_failures()
    return JsonResponse(body, status=200 if healthy else 503)
