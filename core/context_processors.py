from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from core import portal as portal_apps

# The default city's name is in the catalogue, so English pages say "Taipei City".
DEFAULT_CITY_NAME = gettext_noop("臺北市")


def portal(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        # Each app may offer a ``menu.py`` with ``items_for(user) -> list[dict(label, url)]``: the
        # role menu in the header is what they offer to the signed-in user, in their ``menu_order``.
        for module in portal_apps.menu_modules():
            items.extend(module.items_for(user))
    return {"SITE_URL": settings.SITE_URL, "CITY_NAME": gettext(settings.CITY_NAME), "role_menu": items}
