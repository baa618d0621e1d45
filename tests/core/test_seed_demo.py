import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.roles import Role
from core.seeding import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def table_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def run_seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_seed_demo_twice_in_a_row_changes_nothing_the_second_time(settings):
    settings.DEBUG = True
    run_seed()
    first = table_counts()
    run_seed()
    assert table_counts() == first


def test_seed_demo_json_lists_one_account_per_role_with_the_demo_password(settings, client):
    settings.DEBUG = True
    data = json.loads(run_seed("--json"))
    assert set(data["accounts"]) == {role.value for role in Role}
    assert isinstance(data["samples"], dict)
    donor = data["accounts"]["donor"]
    assert donor["password"] == DEMO_PASSWORD
    assert client.login(email=donor["email"], password=donor["password"])


def test_seed_demo_json_samples_use_the_portals_own_address(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8080"
    samples = json.loads(run_seed("--json"))["samples"]
    assert samples["site_url"] == "http://127.0.0.1:8080"


def test_seed_demo_refuses_to_run_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=0"):
        run_seed()
    run_seed("--force")


def test_seed_demo_prints_the_demo_accounts(settings):
    settings.DEBUG = True
    out = run_seed()
    assert "donor@demo.goodday.tw" in out
    assert DEMO_PASSWORD in out
