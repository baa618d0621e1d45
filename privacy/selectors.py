"""Everything the portal holds about one signed-in person, for them to see and take away.

The same sections feed the JSON download (machine keys, ISO dates), the readable page and the PDF
(column labels in the reader's language, ROC dates). ID numbers appear masked here too: the person
knows their own number, and a download left on a shared computer should not give it away.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from audit.models import AuditEvent
from core.roc import to_roc
from core.validators import mask_identity_number
from donations.models import GoodsDonation, Pledge, Receipt, RecurringGift
from honorcards.models import Application, HonorCard
from programs.models import Offer
from volunteers.models import Volunteer
from volunteers.registry.identity import IDENTITY_REVEALED  # the audited "show the whole ID number"

from .models import DataRequest


def _section(key, title, columns, rows):
    return {"key": key, "title": title, "columns": columns, "rows": list(rows)}


def _account(user):
    return _section(
        "account",
        _("帳號"),
        [("email", _("電子郵件")), ("name", _("姓名")), ("phone", _("電話")), ("role", _("角色")),
         ("date_joined", _("註冊時間")), ("last_login", _("最近登入"))],
        [{
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "role": user.get_role_display(),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }],
    )  # fmt: skip


def _volunteer_sections(volunteer):
    yield _section(
        "volunteer",
        _("志工基本資料"),
        [("name", _("姓名")), ("identity_kind", _("證件類別")), ("identity_number", _("證件號碼（遮蔽）")),
         ("birth_date", _("出生日期")), ("sex", _("性別")), ("phone", _("電話")), ("email", _("電子郵件")),
         ("address", _("地址")), ("record_book_number", _("志願服務紀錄冊編號")),
         ("service_started_on", _("服務開始日期"))],
        [{
            "name": volunteer.name,
            "identity_kind": volunteer.get_identity_kind_display(),
            "identity_number": mask_identity_number(volunteer.identity_number),
            "birth_date": volunteer.birth_date,
            "sex": volunteer.get_sex_display(),
            "phone": volunteer.phone,
            "email": volunteer.email,
            "address": volunteer.address,
            "record_book_number": volunteer.record_book_number,
            "service_started_on": volunteer.service_started_on,
        }],
    )  # fmt: skip
    yield _section(
        "memberships",
        _("參與的運用單位"),
        [("unit", _("運用單位")), ("joined_on", _("加入日期")), ("left_on", _("離隊日期")),
         ("domain", _("服務領域"))],
        (
            {"unit": m.unit.name, "joined_on": m.joined_on, "left_on": m.left_on,
             "domain": m.get_main_domain_display()}
            for m in volunteer.memberships.select_related("unit__organisation").order_by("joined_on")
        ),
    )  # fmt: skip
    yield _section(
        "service_records",
        _("服務紀錄"),
        [("served_on", _("服務日期")), ("unit", _("運用單位")), ("hours", _("服務時數")),
         ("domain", _("服務領域")), ("activity", _("服務內容")), ("status", _("狀態"))],
        (
            {"served_on": r.served_on, "unit": r.unit.name, "hours": str(r.hours),
             "domain": r.get_domain_display(), "activity": r.activity, "status": r.get_status_display()}
            for r in volunteer.service_records.select_related("unit__organisation").order_by("served_on", "pk")
        ),
    )  # fmt: skip
    yield _section(
        "trainings",
        _("訓練紀錄"),
        [("kind", _("訓練類別")), ("title", _("課程名稱")), ("provider", _("辦理單位")),
         ("completed_on", _("結訓日期")), ("hours", _("時數")), ("certificate_number", _("結訓證明書字號"))],
        (
            {"kind": t.get_kind_display(), "title": t.title, "provider": t.provider,
             "completed_on": t.completed_on, "hours": str(t.hours), "certificate_number": t.certificate_number}
            for t in volunteer.trainings.order_by("completed_on")
        ),
    )  # fmt: skip
    yield _section(
        "insurance",
        _("意外事故保險"),
        [("unit", _("投保單位")), ("insurer", _("保險公司")), ("policy_number", _("保單號碼")),
         ("starts_on", _("保險期間起")), ("ends_on", _("保險期間迄"))],
        (
            {"unit": p.unit.name, "insurer": p.insurer, "policy_number": p.policy_number,
             "starts_on": p.starts_on, "ends_on": p.ends_on}
            for p in volunteer.insurance_policies.select_related("unit__organisation").order_by("starts_on")
        ),
    )  # fmt: skip
    yield _section(
        "awards",
        _("獎勵表揚"),
        [("title", _("獎項")), ("grantor", _("頒發單位")), ("awarded_on", _("獲獎日期"))],
        (
            {"title": a.title, "grantor": a.grantor, "awarded_on": a.awarded_on}
            for a in volunteer.awards.all()
        ),
    )
    yield _section(
        "honor_card_applications",
        _("榮譽卡申請"),
        [("unit", _("申請單位")), ("kind", _("申請類別")), ("status", _("狀態")), ("submitted_at", _("送出時間"))],
        (
            {"unit": a.unit.name, "kind": a.get_kind_display(), "status": a.get_status_display(),
             "submitted_at": a.submitted_at}
            for a in Application.objects.filter(volunteer=volunteer).select_related("unit__organisation")
        ),
    )  # fmt: skip
    yield _section(
        "honor_cards",
        _("榮譽卡"),
        [("number", _("卡號")), ("issued_on", _("核發日期")), ("expires_on", _("有效期限")), ("status", _("狀態"))],
        (
            {"number": c.number, "issued_on": c.issued_on, "expires_on": c.expires_on,
             "status": c.get_status_display()}
            for c in HonorCard.objects.filter(volunteer=volunteer).order_by("issued_on")
        ),
    )  # fmt: skip
    yield _section(
        "identity_reveals",
        _("誰在何時查看了完整證件號碼"),
        [("at", _("時間")), ("by", _("查看者")), ("organisation", _("機關單位")), ("reason", _("理由"))],
        (
            {"at": e.at, "by": e.actor_label, "organisation": e.organisation.name if e.organisation else "",
             "reason": e.reason}
            for e in AuditEvent.objects.filter(
                action=IDENTITY_REVEALED, target_type="volunteers.volunteer", target_id=str(volunteer.pk)
            ).select_related("organisation").order_by("at")
        ),
    )  # fmt: skip


def _donor_sections(user):

    pledges = Pledge.objects.filter(donor=user).select_related("program").order_by("created_at")
    yield _section(
        "pledges",
        _("捐款"),
        [("merchant_trade_no", _("交易編號")), ("created_at", _("建立時間")), ("amount", _("金額（元）")),
         ("designation", _("指定用途")), ("status", _("狀態")), ("donor_name", _("捐款人姓名／名稱")),
         ("receipt_name", _("收據抬頭")), ("receipt_id_number", _("身分證字號或統一編號（遮蔽）")),
         ("receipt_address", _("收據寄送地址"))],
        (
            {"merchant_trade_no": p.merchant_trade_no, "created_at": p.created_at, "amount": p.amount,
             "designation": p.designation, "status": p.get_status_display(), "donor_name": p.donor_name,
             "receipt_name": p.receipt_name,
             "receipt_id_number": mask_identity_number(p.receipt_id_number) if p.receipt_id_number else "",
             "receipt_address": p.receipt_address}
            for p in pledges
        ),
    )  # fmt: skip
    yield _section(
        "receipts",
        _("收據"),
        [("number", _("收據編號")), ("issued_at", _("開立時間")), ("status", _("狀態")),
         ("receipt_name", _("收據抬頭")), ("merchant_trade_no", _("交易編號"))],
        (
            {"number": r.number, "issued_at": r.issued_at, "status": r.get_status_display(),
             "receipt_name": r.receipt_name, "merchant_trade_no": r.pledge.merchant_trade_no}
            for r in Receipt.objects.filter(pledge__donor=user).select_related("pledge").order_by("issued_at")
        ),
    )  # fmt: skip
    yield _section(
        "recurring_gifts",
        _("定期定額捐款"),
        [("amount", _("每月金額")), ("created_at", _("建立時間")), ("is_active", _("扣款中")),
         ("stopped_at", _("停止時間"))],
        (
            {"amount": g.amount, "created_at": g.created_at, "is_active": g.is_active, "stopped_at": g.stopped_at}
            for g in RecurringGift.objects.filter(donor=user).order_by("created_at")
        ),
    )  # fmt: skip
    yield _section(
        "goods_donations",
        _("物資捐贈"),
        [("item", _("品項")), ("quantity", _("驗收數量")), ("appraised_value", _("市價總值（元）")),
         ("received_at", _("驗收時間")), ("donor_name", _("捐贈者"))],
        (
            {"item": g.item, "quantity": g.quantity_received, "appraised_value": g.appraised_value,
             "received_at": g.received_at, "donor_name": g.donor_name}
            for g in GoodsDonation.objects.filter(donor=user).order_by("received_at")
        ),
    )  # fmt: skip
    yield _section(
        "offers",
        _("捐贈意向"),
        [("item", _("品項或服務")), ("quantity", _("數量")), ("status", _("狀態")),
         ("delivery_place", _("可送達地點")), ("created_at", _("提出時間"))],
        (
            {"item": o.item, "quantity": o.quantity, "status": o.get_status_display(),
             "delivery_place": o.delivery_place, "created_at": o.created_at}
            for o in Offer.objects.filter(donor=user).order_by("created_at")
        ),
    )  # fmt: skip


def _request_section(user):
    return _section(
        "data_requests",
        _("個資請求"),
        [("kind", _("類別")), ("organisation", _("受理機關單位")), ("created_at", _("申請時間")),
         ("status", _("狀態")), ("reply", _("處理說明"))],
        (
            {"kind": r.get_kind_display(), "organisation": r.organisation.name, "created_at": r.created_at,
             "status": r.get_status_display(), "reply": r.reply}
            for r in DataRequest.objects.filter(requester=user).select_related("organisation")
        ),
    )  # fmt: skip


def _application_sections(user):
    """Volunteer opportunity applications (the opportunities app, when installed)."""
    from django.apps import apps

    if not apps.is_installed("opportunities"):
        return
    from opportunities.models import Application

    yield _section(
        "opportunity_applications",
        _("志工招募報名"),
        [("opportunity", _("志工招募")), ("unit", _("運用單位")), ("created_at", _("報名時間")),
         ("status", _("狀態")), ("phone", _("聯絡電話")), ("answer", _("回答與補充說明")),
         ("identity_number", _("證件號碼（遮蔽）")), ("birth_date", _("出生日期"))],
        (
            {"opportunity": a.opportunity.title, "unit": a.opportunity.unit.name, "created_at": a.created_at,
             "status": a.get_status_display(), "phone": a.phone, "answer": a.answer,
             "identity_number": mask_identity_number(a.identity_number) if a.identity_number else "",
             "birth_date": a.birth_date}
            for a in Application.objects.filter(applicant=user).select_related("opportunity__unit__organisation")
        ),
    )  # fmt: skip


def _corporate_sections(volunteer):
    """Companies' rosters that list the person (a coordinator typed their ID number, birth date and
    contacts in): found by the volunteer record or by the ID number's lookup hash."""
    from django.apps import apps

    if not apps.is_installed("corporate"):
        return
    from django.db.models import Q

    from core.crypto import lookup_hashes
    from corporate.models import TeamMember

    found = Q(volunteer=volunteer)
    if volunteer.identity_number:
        found |= Q(identity_hash__in=lookup_hashes(volunteer.identity_number))
    yield _section(
        "corporate_rosters",
        _("企業志工隊名冊"),
        [("team", _("企業志工隊")), ("company", _("企業")), ("name", _("姓名")),
         ("identity_number", _("證件號碼（遮蔽）")), ("birth_date", _("出生日期")), ("phone", _("電話")),
         ("email", _("電子郵件")), ("added_at", _("列入時間"))],
        (
            {"team": m.team.name, "company": m.team.organisation.name, "name": m.name,
             "identity_number": m.masked_identity, "birth_date": m.birth_date, "phone": m.phone,
             "email": m.email, "added_at": m.added_at}
            for m in TeamMember.objects.filter(found).select_related("team__organisation").order_by("added_at")
        ),
    )  # fmt: skip


def volunteer_of(user):

    return Volunteer.objects.filter(user=user).first() if user.is_authenticated else None


def personal_data_of(user) -> list[dict]:
    """All sections, in reading order; empty sections are kept so the person sees what is not held."""
    sections = [_account(user)]
    volunteer = volunteer_of(user)
    if volunteer is not None:
        sections += list(_volunteer_sections(volunteer))
        sections += list(_corporate_sections(volunteer))
    sections += list(_donor_sections(user))
    sections += list(_application_sections(user))
    sections.append(_request_section(user))
    return sections


def as_json(sections) -> dict:
    return {
        "generated_at": timezone.now(),
        **{section["key"]: section["rows"] for section in sections},
    }


def _display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{to_roc(local.date())} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return to_roc(value)
    return value


def for_reading(sections) -> list[dict]:
    """The sections with each row as a list of display values in column order."""
    return [
        {
            **section,
            "cells": [[_display(row[key]) for key, _label in section["columns"]] for row in section["rows"]],
        }
        for section in sections
    ]


# --- Requests that reach a unit or the bureau ---------------------------------------------------


def correction_recipients(user):
    """Who may be asked to correct this person's data: their units (active memberships first) for
    volunteer records, and the social welfare bureau for gifts and the account."""

    choices = []
    volunteer = volunteer_of(user)
    if volunteer is not None:
        for membership in volunteer.memberships.select_related("unit__organisation").order_by(
            "left_on", "joined_on"
        ):
            choices.append(membership.unit.organisation)
    bureau = Organisation.objects.filter(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, is_active=True).first()
    if bureau is not None:
        choices.append(bureau)
    return choices


def requests_for(organisation):
    return (
        DataRequest.objects.filter(organisation=organisation)
        .select_related("requester", "volunteer", "organisation")
        .order_by("status", "-created_at")
    )
