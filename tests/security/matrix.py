"""Helpers for the permission matrix (tests/security/test_permission_matrix.py and matrix_<app>.py)."""

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role

ROLES = ["anonymous", *[r.value for r in Role]]
SKIPPED_PREFIXES = ("admin/", "accounts/", "^media/")  # Django's admin and allauth test their own


def all_url_names():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and not (prefix + str(p.pattern)).startswith(SKIPPED_PREFIXES):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(get_resolver().url_patterns))


def public(code=200):
    return dict.fromkeys(ROLES, code)


def signed_in(code=200, anonymous=302):
    return {role: (anonymous if role == "anonymous" else code) for role in ROLES}


def only(*roles, code=200, others=403, anonymous=302):
    allowed = {r.value for r in roles}
    return {
        role: anonymous if role == "anonymous" else (code if role in allowed else others) for role in ROLES
    }
