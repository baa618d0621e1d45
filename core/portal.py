"""The portal's apps in one list, and what each one brings (docs/adding-an-app.md).

``settings.PORTAL_APPS`` names the project's own apps in order. From it come:

- ``INSTALLED_APPS`` (after Django's and the third-party apps), in that order;
- the URL configuration: each app's ``urls`` (``Mount``s, declared on its ``AppConfig``), then
  each app's ``api_urls`` under ``api/v1/`` (``config/urls.py``);
- the demo data: ``<label>/seed.py`` of each app, in list order (later apps build on earlier ones);
- the header's role menu: ``<label>/menu.py`` of each app, ordered by its ``menu_order``;
- the permission matrix's extensions: ``tests/security/matrix_<label>.py``.

The order of PORTAL_APPS is the seed order and the INSTALLED_APPS order; the URL order only matters
where prefixes overlap, and none do (``tests/core/test_portal.py``).

This module is imported by the apps' ``apps.py`` while Django loads them: it must not import
models, and reads the app configs only when asked.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec

# Where an app's menu goes when it says nothing (after every app that does).
DEFAULT_MENU_ORDER = 1000


@dataclass(frozen=True)
class Mount:
    """One ``path(prefix, include(module, namespace=namespace))`` in the root URL configuration."""

    prefix: str
    module: str
    namespace: str | None = None


def labels() -> list[str]:
    from django.conf import settings

    return list(settings.PORTAL_APPS)


def app_configs():
    from django.apps import apps

    return [apps.get_app_config(label) for label in labels()]


def mounts() -> list[Mount]:
    """Every app's own pages, then every app's API modules under ``api/v1/``."""
    pages = [mount for config in app_configs() for mount in getattr(config, "urls", ())]
    api = [Mount("api/v1/", module) for config in app_configs() for module in getattr(config, "api_urls", ())]
    return pages + api


def urlpatterns():
    from django.urls import include, path

    return [path(m.prefix, include(m.module, namespace=m.namespace)) for m in mounts()]


def _modules_named(name: str):
    for label in labels():
        if find_spec(f"{label}.{name}") is not None:
            yield label, import_module(f"{label}.{name}")


def seed_modules():
    """(label, module) of each app with demo data, in the order they must run."""
    return list(_modules_named("seed"))


@cache  # asked on every signed-in page; the list of apps does not change while running
def menu_modules():
    """Each app's ``menu`` module, in the order the header shows them."""
    order = {config.label: getattr(config, "menu_order", DEFAULT_MENU_ORDER) for config in app_configs()}
    found = list(_modules_named("menu"))
    return tuple(module for label, module in sorted(found, key=lambda item: order[item[0]]))


def matrix_modules():
    """The permission matrix's per-app rules, ``tests.security.matrix_<label>``, where they exist."""
    return [
        import_module(f"tests.security.matrix_{label}")
        for label in labels()
        if find_spec(f"tests.security.matrix_{label}") is not None
    ]
