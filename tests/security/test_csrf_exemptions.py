"""Every POST view of the project checks the CSRF token, except the few that must not, each with
its reason: a view marked csrf_exempt that is not listed here fails, so an exemption is decided,
never slipped in. The JSON API's views are exempt by DRF's design; their session authentication
checks the token itself (and a unit's key is not a cookie a browser sends by itself)."""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.settings import api_settings

# name → why no CSRF token can be asked for
EXEMPT = {
    "payments:ecpay_notify": "ECPay's server posts the result; the CheckMacValue signature is checked",
    "payments:ecpay_payment_info": "ECPay's server posts the voucher; the CheckMacValue signature is checked",
    "payments:ecpay_period": "ECPay's server posts each monthly charge; the CheckMacValue signature is checked",
    "donations:pledge": "ECPay posts the donor's browser back here (OrderResultURL); a POST only redirects",
    "payments:sandbox": "the sandbox plays ECPay's cashier (an outside site); 404 unless ECPAY_SANDBOX",
    "payments:sandbox_query": "the sandbox plays ECPay's query API; 404 unless ECPAY_SANDBOX",
    "payments:sandbox_period_action": "the sandbox plays ECPay's period API; 404 unless ECPAY_SANDBOX",
}
SKIPPED_PREFIXES = ("admin/", "^media/")


def _views():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and not (prefix + str(p.pattern)).startswith(SKIPPED_PREFIXES):
                name = f"{namespace}:{p.name}" if namespace else (p.name or prefix + str(p.pattern))
                yield name, p.callback

    return list(walk(get_resolver().url_patterns))


def _api_checks_csrf(view_class) -> bool:
    classes = getattr(view_class, "authentication_classes", api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for auth in classes:
        if issubclass(auth, SessionAuthentication):
            continue  # DRF's session authentication enforces the token
        if not issubclass(auth, TokenAuthentication):
            return False  # an authentication we have not looked at
    return True


def test_every_csrf_exemption_is_listed_with_its_reason():
    unlisted = []
    for name, callback in _views():
        if not getattr(callback, "csrf_exempt", False):
            continue
        view_class = getattr(callback, "cls", None)
        if view_class is not None and _api_checks_csrf(view_class):
            continue
        if name not in EXEMPT:
            unlisted.append(name)
    assert not unlisted, f"csrf_exempt views without a reason in EXEMPT: {sorted(unlisted)}"


def test_the_listed_exemptions_still_exist():
    names = {name for name, _callback in _views()}
    assert set(EXEMPT) <= names


def test_the_csrf_middleware_is_on(settings):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
