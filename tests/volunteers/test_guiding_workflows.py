"""Workflows that guide: a resubmitted plan keeps every return reason in its history; re-adding a
member says they already are one."""

import pytest
from django.urls import reverse

from tests.volunteers.factories import (
    PlanFactory,
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    officer_of,
)
from tests.volunteers.test_volunteer_registry import PERSON
from volunteers.models import Membership, PlanStatus, Volunteer
from volunteers.units import services as unit_services

pytestmark = pytest.mark.django_db


def test_a_resubmitted_plan_still_shows_every_return_reason(client):
    unit = UnitFactory()
    officer = officer_of(unit)
    plan = PlanFactory(unit=unit, status=PlanStatus.DRAFT)
    unit_services.submit_plan(plan=plan, actor=officer)
    unit_services.return_plan(plan=plan, actor=centre_staff(), reason="保險計畫未附保單")
    unit_services.submit_plan(plan=plan, actor=officer)
    unit_services.approve_plan_first_review(plan=plan, actor=centre_staff())
    unit_services.return_plan(plan=plan, actor=bureau_caseworker_of(unit), reason="經費概算缺少明細")
    unit_services.submit_plan(plan=plan, actor=officer)
    client.force_login(officer)
    page = client.get(reverse("volunteers:plan_detail", args=[plan.pk])).content.decode()
    assert "退回紀錄" in page
    assert page.index("保險計畫未附保單") < page.index("經費概算缺少明細")
    assert "志推中心初審退回" in page and "主管機關複審退回" in page


def test_re_adding_an_existing_member_says_they_already_are_one(client):
    unit = UnitFactory()
    officer = officer_of(unit)
    client.force_login(officer)
    data = {**PERSON, "birth_date": "1955-03-30"}
    first = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]), data, follow=True
    ).content.decode()
    assert "登錄為本單位志工" in first
    again = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]), data, follow=True
    ).content.decode()
    assert "已是本單位志工，沒有重複登錄" in again and "登錄為本單位志工" not in again
    assert Volunteer.objects.count() == 1 and Membership.objects.count() == 1
