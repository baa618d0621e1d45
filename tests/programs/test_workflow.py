"""draft → submitted → published / returned → closed, and who may make each move."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from programs import services
from programs.models import ProgramStatus
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, category

pytestmark = pytest.mark.django_db


def events(program):
    return list(
        AuditEvent.objects.filter(target_type="programs.program", target_id=str(program.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def draft(bureau, caseworker):
    program = ProgramFactory(bureau=bureau, created_by=caseworker)
    GoodsNeedFactory(program=program)
    return program


def test_caseworker_submits_and_reviewer_publishes(
    draft, caseworker, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_program(program=draft, actor=caseworker)
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.SUBMITTED
    assert reviewer.email in mailoutbox[-1].to

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_program(program=draft, actor=reviewer)
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.PUBLISHED
    assert draft.published_at is not None
    assert caseworker.email in mailoutbox[-1].to
    assert events(draft) == ["program.submitted", "program.approved"]


def test_returned_program_is_fixed_resubmitted_and_published(
    draft, caseworker, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    services.submit_program(program=draft, actor=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_program(program=draft, actor=reviewer, reason="請補充受益人數依據")
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.RETURNED
    assert draft.return_reason == "請補充受益人數依據"
    assert "請補充受益人數依據" in mailoutbox[-1].body

    services.update_program(program=draft, actor=caseworker, beneficiaries_count=42)
    services.submit_program(program=draft, actor=caseworker)
    services.approve_program(program=draft, actor=reviewer)
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.PUBLISHED
    assert draft.beneficiaries_count == 42
    assert draft.return_reason == ""
    assert events(draft) == [
        "program.submitted",
        "program.returned",
        "program.edited",
        "program.submitted",
        "program.approved",
    ]
    edited = AuditEvent.objects.get(target_id=str(draft.pk), action="program.edited")
    assert edited.changes["beneficiaries_count"] == ["10", "42"]


def test_returning_needs_a_reason(draft, caseworker, reviewer):
    services.submit_program(program=draft, actor=caseworker)
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_program(program=draft, actor=reviewer, reason="  ")
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.SUBMITTED


def test_a_program_without_any_need_cannot_be_submitted(bureau, caseworker):
    program = ProgramFactory(bureau=bureau, created_by=caseworker, money_target=0)
    with pytest.raises(ValidationError, match="至少填寫一項需求"):
        services.submit_program(program=program, actor=caseworker)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_another_bureaus_caseworker_can_neither_edit_nor_submit(draft, other_caseworker):
    with pytest.raises(PermissionDenied):
        services.update_program(program=draft, actor=other_caseworker, title="改掉")
    with pytest.raises(PermissionDenied):
        services.submit_program(program=draft, actor=other_caseworker)
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT
    assert draft.title != "改掉"


def test_another_bureaus_caseworker_gets_404_on_the_edit_page(client, draft, other_caseworker):
    client.force_login(other_caseworker)
    assert client.get(reverse("programs:edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("programs:submit", args=[draft.pk])).status_code == 404


def test_submitted_and_published_programs_cannot_be_edited(draft, caseworker, reviewer):
    services.submit_program(program=draft, actor=caseworker)
    with pytest.raises(PermissionDenied):
        services.update_program(program=draft, actor=caseworker, title="審核中改名")
    services.approve_program(program=draft, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.update_program(program=draft, actor=caseworker, title="公開後改名")


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.COMMITTEE, Role.SITE_ADMIN, Role.DONOR, Role.CARD_REVIEWER]
)
def test_only_social_welfare_reviewers_approve_or_return(draft, caseworker, make_user, role, bureau):
    services.submit_program(program=draft, actor=caseworker)
    actor = caseworker if role == Role.CASEWORKER else make_user(role)
    with pytest.raises(PermissionDenied):
        services.approve_program(program=draft, actor=actor)
    with pytest.raises(PermissionDenied):
        services.return_program(program=draft, actor=actor, reason="x")
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.SUBMITTED


def test_a_draft_cannot_be_approved_before_it_is_submitted(draft, reviewer):
    with pytest.raises(PermissionDenied):
        services.approve_program(program=draft, actor=reviewer)


def test_closing_records_the_report_and_needs_one(draft, caseworker, reviewer):
    services.submit_program(program=draft, actor=caseworker)
    services.approve_program(program=draft, actor=reviewer)
    with pytest.raises(ValidationError):
        services.close_program(program=draft, actor=caseworker, closing_report="", beneficiaries_reached=10)
    services.close_program(
        program=draft, actor=caseworker, closing_report="完成 120 戶訪視", beneficiaries_reached=120
    )
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.CLOSED
    assert draft.beneficiaries_reached == 120
    assert "program.closed" in events(draft)


def test_only_the_owning_bureau_closes_a_published_program(draft, caseworker, reviewer, other_caseworker):
    with pytest.raises(PermissionDenied):
        services.close_program(program=draft, actor=caseworker, closing_report="x", beneficiaries_reached=1)
    services.submit_program(program=draft, actor=caseworker)
    services.approve_program(program=draft, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.close_program(
            program=draft, actor=other_caseworker, closing_report="x", beneficiaries_reached=1
        )


def test_the_whole_path_through_the_pages(client, caseworker, reviewer, bureau):
    from programs.models import Program

    client.force_login(caseworker)
    today = timezone.localdate()
    data = {
        "category": category("elderly").pk,
        "title": "長者送餐服務",
        "summary": "送餐到府",
        "description": "為獨居長者送餐",
        "beneficiaries": "獨居長者",
        "beneficiaries_count": 30,
        "place": "大安區",
        "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat(),
        "contact_name": "林承辦",
        "contact_phone": "02-2720-8889",
        "money_target": 50000,
        "goods-TOTAL_FORMS": 1,
        "goods-INITIAL_FORMS": 0,
        "goods-0-item": "保溫餐盒",
        "goods-0-quantity": 100,
        "goods-0-unit": "個",
        "goods-0-unit_value": 150,
        "goods-0-deadline": today.replace(year=today.year + 1).isoformat(),
        "services-TOTAL_FORMS": 0,
        "services-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    program = Program.objects.get(title="長者送餐服務")
    assert program.goods_needs.get().item == "保溫餐盒"
    client.post(reverse("programs:submit", args=[program.pk]))

    client.force_login(reviewer)
    assert "長者送餐服務" in client.get(reverse("programs:review_queue")).content.decode()
    client.post(reverse("programs:review", args=[program.pk]), {"action": "return", "reason": ""})
    program.refresh_from_db()
    assert program.status == ProgramStatus.SUBMITTED  # no reason: nothing changed
    client.post(reverse("programs:review", args=[program.pk]), {"action": "approve"})
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED

    client.logout()
    assert "長者送餐服務" in client.get(reverse("programs:list"), {"q": "送餐"}).content.decode()
