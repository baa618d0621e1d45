"""The volunteer statistics XLSX carries a sheet for corporate volunteering and large events:
teams, people and hours by year, the registered teams and rosters, the large events' volunteer
plans; read back with openpyxl. A bureau's download counts only its own units' service."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from corporate import selectors as corporate_selectors
from corporate.models import CorporateTeam, TeamMember
from largeevents.figures import PARTICIPATION_SHEET
from largeevents.models import LargeEventPlan
from largeevents.selectors import large_events_by_year
from tests.accounts.factories import make_user
from tests.largeevents.test_seed_and_figures import run

pytestmark = pytest.mark.django_db


def _sheet(client, user):
    client.force_login(user)
    response = client.get(reverse("volunteers:statistics_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert PARTICIPATION_SHEET in wb.sheetnames
    return list(wb[PARTICIPATION_SHEET].iter_rows(values_only=True))


def test_the_statistics_xlsx_has_a_sheet_for_corporate_volunteering_and_large_events(client):
    run()
    year = timezone.localdate().year
    rows = _sheet(client, make_user(Role.CENTRE_STAFF))
    assert rows[0][:4] == ("年度（民國）", "服務的企業志工隊", "企業志工人數", "企業志工時數")
    by_year = {r[0]: r for r in rows[1:6]}
    assert sorted(by_year) == [year - 1911 - n for n in range(4, -1, -1)]
    corporate = corporate_selectors.corporate_by_year(last_year=year)
    assert sum(Decimal(str(r[3])) for r in by_year.values()) == sum(c["hours"] for c in corporate) > 0
    assert sum(r[1] for r in by_year.values()) == sum(c["teams"] for c in corporate) > 0
    events = large_events_by_year(last_year=year)
    assert [by_year[e["roc_year"]][4:] for e in events] == [
        (e["events"], e["people"], float(e["hours"])) for e in events
    ]
    facts = {r[0]: r[1] for r in rows[6:] if r and r[0]}
    assert facts["登錄的企業志工隊（開放媒合）"] == CorporateTeam.objects.filter(is_active=True).count() > 0
    assert facts["企業志工隊員名單人數"] == TeamMember.objects.count() > 0
    approved = LargeEventPlan.objects.filter(status="approved", event__starts_on__year=year)
    assert facts[f"{year - 1911} 年大型活動志工計畫（審查通過）"] == approved.count()
    assert facts[f"{year - 1911} 年審查通過計畫的志工人數"] == sum(p.headcount for p in approved)


def test_a_bureau_of_none_of_the_units_downloads_zero_service_in_that_sheet(client):
    run()
    rows = _sheet(client, make_user(Role.CASEWORKER))
    assert all(r[2] == 0 and r[3] == 0 and r[5] == 0 for r in rows[1:6])
