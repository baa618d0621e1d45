from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# Each app may offer a ``menu.py`` with ``items_for(user) -> list[dict(label, url)]``:
# the role menu in the header is what they offer to the signed-in user.
# The default city's name is in the catalogue, so English pages say "Taipei City".
DEFAULT_CITY_NAME = gettext_noop("臺北市")
MENU_APPS = (
    "programs",
    "donations",
    "disclosure",
    "volunteers",
    "honorcards",
    "dashboard",
    "accounts",
    "audit",
    "privacy",
    "corporate",
    "largeevents",
)


def _menu_modules():
    for app in MENU_APPS:
        if find_spec(f"{app}.menu") is not None:
            yield import_module(f"{app}.menu")


def portal(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for module in _menu_modules():
            items.extend(module.items_for(user))
    return {"SITE_URL": settings.SITE_URL, "CITY_NAME": gettext(settings.CITY_NAME), "role_menu": items}
