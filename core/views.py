from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import health
from .pagecache import cache_public_page


# What the home page shows changes with programs, gifts, goods and updates ("programs"), drop-off
# points ("dashboard") and the figures (their own cache, at most DASHBOARD_CACHE_SECONDS old).
@cache_public_page("core", "programs", "dashboard", timeout=settings.DASHBOARD_CACHE_SECONDS)
def home(request):
    from programs.showcase import home_context  # the portal's front page asks for the programs' needs

    return render(request, "core/home.html", home_context())


def privacy(request):
    return render(request, "core/privacy.html")


@cache_public_page("core")
def sitemap(request):
    """網站導覽: every public section and, for a signed-in user, what their role menu offers."""
    return render(request, "core/sitemap.html")


@cache_public_page("core")
def accessibility(request):
    """The accessibility statement (what the site conforms to, known gaps, how to report a barrier)."""
    return render(request, "core/accessibility.html")


@never_cache
def healthz(request):
    """Up (200) or down (503) for anyone; which service failed, and why, only for the site's admins
    and for monitors that send HEALTHZ_TOKEN (header `Authorization: Bearer …`)."""
    results = health.run_checks()
    healthy = all(r["ok"] for r in results.values())
    body = {"status": "ok" if healthy else "fail"}
    if health.may_see_details(request):
        body["checks"] = results
        if results["database"]["ok"]:
            body["unresolved_task_failures"] = health.unresolved_task_failures()
    return JsonResponse(body, status=200 if healthy else 503)


def bare(request):
    return HttpResponse("ok")


def switch_language(request):
    """The header's language switch. A GET that sets the visitor's language cookie, so public
    pages carry no CSRF token and can be cached whole; a signed-in person's account remembers the
    choice too, so the e-mails they get are written in it."""
    language = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        from accounts.services import remember_language  # core's views know the accounts app lazily

        # A GET: another site could send a signed-in person here (a link, a redirect) to change the
        # language of their e-mails. The account follows only a switch made on our own pages (or a
        # browser that does not say where the request came from); the page's cookie follows anyway.
        if request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none"):
            remember_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
