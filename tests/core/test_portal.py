"""The app registry (settings.PORTAL_APPS, core/portal.py) is the one list of the project's apps.

INSTALLED_APPS, the URL configuration, the demo data, the header's menu and the permission matrix
all follow it; nothing else names the apps."""

import uuid
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from core import portal
from core.seeding import seeders
from tests.security.test_permission_matrix import EXTENSIONS

BASE = Path(settings.BASE_DIR)


def _has(label, name):
    return find_spec(f"{label}.{name}") is not None


def test_installed_apps_end_with_the_registry_in_its_order():
    assert settings.INSTALLED_APPS[-len(settings.PORTAL_APPS) :] == settings.PORTAL_APPS


def test_every_app_of_the_project_is_in_the_registry():
    ours = {path.parent.name for path in BASE.glob("*/apps.py")}
    assert ours == set(settings.PORTAL_APPS)
    venv = BASE / ".venv"
    installed_here = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(BASE) and not Path(config.path).is_relative_to(venv)
    }
    assert installed_here == set(settings.PORTAL_APPS)


def test_each_app_with_pages_or_an_api_is_mounted():
    for config in portal.app_configs():
        mounted = {mount.module for mount in getattr(config, "urls", ())}
        if _has(config.label, "urls"):
            assert f"{config.label}.urls" in mounted, f"{config.label}/urls.py is not in its AppConfig.urls"
        for module in [*mounted, *getattr(config, "api_urls", ())]:
            assert module.split(".")[0] == config.label, f"{config.label} mounts another app's {module}"
            assert find_spec(module) is not None, module


def test_the_root_urlconf_includes_the_apps_only_through_the_registry():
    included = [
        (str(p.pattern), p.urlconf_module.__name__, p.namespace)
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver)
        and getattr(p.urlconf_module, "__name__", "").split(".")[0] in settings.PORTAL_APPS
    ]
    declared = []
    for mount in portal.mounts():
        namespace = mount.namespace or getattr(__import__(mount.module, fromlist=["_"]), "app_name", None)
        declared.append((mount.prefix, mount.module, namespace))
    assert included == declared


def _named_urls():
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ":".join(x for x in (namespace, p.namespace) if x) or None)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), p

    return list(walk(get_resolver().url_patterns))


@pytest.mark.parametrize("candidate", [1, "2026", "01", "x", str(uuid.UUID(int=1))])
def test_no_app_shadows_another(candidate):
    """Two apps are mounted at "" (core, dashboard) and several under api/v1/: every URL still
    resolves to its own view, whatever the order of the mounts."""
    wrong, checked = [], []
    for name, pattern in _named_urls():
        kwargs = dict.fromkeys(pattern.pattern.converters, candidate)
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue  # this candidate does not fit the pattern's converters (another one will)
        match = resolve(url)
        checked.append(name)
        if match.view_name != name:
            wrong.append(f"{url}: {match.view_name}, expected {name}")
    assert checked and not wrong


def test_demo_data_follows_the_registry():
    expected = [label for label in settings.PORTAL_APPS if _has(label, "seed")]
    assert [label for label, _ in seeders()] == expected
    assert expected[0] == "accounts", "every seeder builds on the demo accounts"


def test_the_header_menu_takes_every_app_menu_in_its_order():
    modules = portal.menu_modules()
    labels = [module.__name__.split(".")[0] for module in modules]
    assert set(labels) == {label for label in settings.PORTAL_APPS if _has(label, "menu")}
    known = [
        "programs",
        "donations",
        "disclosure",
        "volunteers",
        "honorcards",
        "dashboard",
        "accounts",
        "audit",
    ]
    assert [label for label in labels if label in known] == known


def test_the_permission_matrix_takes_every_app_extension():
    names = {module.__name__ for module in EXTENSIONS}
    for path in (BASE / "tests" / "security").glob("matrix_*.py"):
        module = f"tests.security.{path.stem}"
        label = path.stem.removeprefix("matrix_")
        if label in settings.PORTAL_APPS:
            assert module in names
        else:
            # A part of an app's rules (matrix_volunteers_hours): its app's extension imports it.
            assert any(_imports(ext, module) for ext in EXTENSIONS), (
                f"{path.name} is not read by the matrix: name it matrix_<app label>.py after the app whose "
                "URLs it rules (an app of settings.PORTAL_APPS), or import it from that app's matrix file"
            )


def _imports(extension, module):
    return any(getattr(value, "__name__", None) == module for value in vars(extension).values())


@pytest.mark.parametrize(
    "path",
    [
        "config/urls.py",
        "core/seeding.py",
        "core/context_processors.py",
        "tests/security/test_permission_matrix.py",
    ],
)
def test_no_other_list_of_apps(path):
    source = (BASE / path).read_text(encoding="utf-8")
    named = [label for label in settings.PORTAL_APPS if f'"{label}"' in source or f'"{label}.' in source]
    assert not named, f"{path} names {named}: add apps to settings.PORTAL_APPS only"
