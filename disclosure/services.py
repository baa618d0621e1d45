"""Spending (record, approve, return) and the monthly report (build, reconcile, version)."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from audit.services import record_event
from core.notify import people, send_notification
from core.pagecache import invalidate
from core.roc import to_roc
from core.uploads import clean_document_upload
from donations import selectors as gifts
from programs.models import Program

from . import builder, funds, permissions
from .models import CommitteeMeeting, MonthlyReport, Spending
from .workflows import SPENDING_FLOW

logger = logging.getLogger(__name__)
MAX_ATTACHMENT = 10 * 1024 * 1024


class ReportRefused(Exception):
    """The month does not reconcile; nothing was published."""


# --- Designated balances and spending ---------------------------------------------------------


def designated_balance(program: Program, *, excluding: Spending | None = None) -> int:
    """What the program's fund can spend today (see ``funds``)."""
    return funds.available_from(program, timezone.now(), excluding=excluding)


def _refuse_beyond_balance(available: int, spent_on: datetime.date) -> None:
    raise ValidationError(
        _(
            "超過此方案的指定用途餘額：支出日期 %(date)s 當日及其後各月底的可用餘額 NT$%(balance)s"
            "（支出不可早於捐款入帳）。"
        )
        % {"date": to_roc(spent_on), "balance": f"{max(available, 0):,}"}
    )


def check_attachment(upload):
    """The voucher as it will be stored: a PDF without active content or a re-encoded image
    (core/uploads.py, like every other upload); None without one."""
    if upload is None:
        return None
    return clean_document_upload(upload, max_bytes=MAX_ATTACHMENT)


@transaction.atomic
def record_spending(
    *,
    actor,
    program: Program,
    spent_on: datetime.date,
    item: str,
    amount: int,
    payee_type: str,
    voucher_number: str,
    attachment=None,
) -> Spending:
    program = Program.objects.select_for_update().get(pk=program.pk)  # one spender at a time per fund
    if not permissions.can_record_spending(actor, program):
        raise PermissionDenied(_("只有方案所屬局處的承辦人可登錄支出。"))
    if amount is None or amount <= 0:
        raise ValidationError(_("金額必須大於 0。"))
    if spent_on > timezone.localdate():
        raise ValidationError(_("支出日期不可晚於今天。"))
    attachment = check_attachment(attachment)
    available = funds.available_for_spending(program, spent_on)
    if amount > available:
        _refuse_beyond_balance(available, spent_on)
    spending = Spending(
        program=program,
        spent_on=spent_on,
        item=item,
        amount=amount,
        payee_type=payee_type,
        voucher_number=voucher_number,
        recorded_by=actor,
    )
    if attachment:
        spending.attachment.save(
            f"{voucher_number or 'voucher'}.{_extension(attachment)}", attachment, save=False
        )
    spending.save()
    record_event(
        actor=actor,
        action="spending.recorded",
        target=spending,
        organisation=program.bureau,
        changes={"amount": amount, "item": item},
    )
    send_notification(
        people(User.objects.filter(role=Role.SW_REVIEWER, is_active=True)),
        format_lazy(gettext_lazy("支出待核定：{title}"), title=program.title),
        "disclosure/email/spending_recorded.txt",
        {"spending": spending},
    )
    return spending


def _extension(cleaned) -> str:
    return cleaned.name.rsplit(".", 1)[-1]


def _lock_spending(spending: Spending) -> Spending:
    return Spending.objects.select_for_update(of=("self",)).select_related("program").get(pk=spending.pk)


@transaction.atomic
def approve_spending(*, spending: Spending, actor) -> Spending:
    Program.objects.select_for_update().filter(pk=spending.program_id).first()
    spending = _lock_spending(spending)
    if not permissions.is_spending_reviewer(actor):
        raise PermissionDenied(_("只有社會局審核人員可核定支出。"))
    if not permissions.can_decide_spending(actor, spending):
        raise PermissionDenied(_("登錄支出的人不能核定同一筆支出。"))
    SPENDING_FLOW.target(spending.status, "approve")  # refused here, before the fund is read
    available = funds.available_for_spending(spending.program, spending.spent_on, excluding=spending)
    if spending.amount > available:
        _refuse_beyond_balance(available, spending.spent_on)
    previous = SPENDING_FLOW.advance(spending, "approve")
    spending.decided_by = actor
    spending.decided_at = timezone.now()
    spending.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="spending.approved",
        target=spending,
        changes={"status": [previous, spending.status]},
    )
    invalidate("programs")  # the program's page lists its approved spending lines
    return spending


@transaction.atomic
def return_spending(*, spending: Spending, actor, reason: str) -> Spending:
    spending = _lock_spending(spending)
    if not permissions.can_decide_spending(actor, spending):
        raise PermissionDenied(_("只有未登錄此筆支出的社會局審核人員可退回。"))
    SPENDING_FLOW.target(spending.status, "return")
    if not (reason or "").strip():
        raise ValidationError(_("請填寫退回理由。"))
    previous = SPENDING_FLOW.advance(spending, "return")
    spending.return_reason = reason.strip()
    spending.decided_by = actor
    spending.decided_at = timezone.now()
    spending.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="spending.returned",
        target=spending,
        reason=reason,
        changes={"status": [previous, spending.status]},
    )
    send_notification(
        [spending.recorded_by],
        gettext_lazy("支出退回"),
        "disclosure/email/spending_returned.txt",
        {"spending": spending},
    )
    return spending


# --- The monthly report -----------------------------------------------------------------------


def latest_report(year: int, month: int) -> MonthlyReport | None:
    return MonthlyReport.objects.filter(year=year, month=month).order_by("-version").first()


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def reconcile(content: dict, year: int, month: int) -> list[str]:
    """Why the month does not add up (empty when it does)."""
    problems = []
    start, end = builder.month_bounds(year, month)
    expected = gifts.gifts_counted_between(start, end).aggregate(s=Sum("amount"))["s"] or 0
    if content["totals"]["income"] != expected:
        problems.append(
            f"收入明細合計 {content['totals']['income']:,} 元與本月已付款捐款 {expected:,} 元不符。"
        )
    without_receipt = sum(1 for line in content["income"] if not line["receipt"])
    if without_receipt:
        problems.append(f"有 {without_receipt} 筆已付款捐款沒有收據編號。")
    for fund in content["funds"]:
        if fund["fund"] != builder.UNRESTRICTED and fund["closing"] < 0:
            problems.append(
                f"指定用途「{fund['name']}」期末餘額 {fund['closing']:,} 元低於零"
                "（支出早於捐款入帳，或退款未由不指定用途基金撥補）。"
            )
    previous = latest_report(*_previous_month(year, month))
    if previous is not None:
        closing = {f["fund"]: f["closing"] for f in previous.content["funds"]}
        for fund in content["funds"]:
            if fund["opening"] != closing.get(fund["fund"], 0):
                problems.append(
                    f"「{fund['name']}」期初餘額 {fund['opening']:,} 元與上月期末 {closing.get(fund['fund'], 0):,} 元不符"
                    "（上月有遲到的異動，請先重建上月報告）。"
                )
    return problems


def _describe_change(old: dict, new: dict) -> str:
    notes = []
    for key, label in (
        ("income_lines", "收入筆數"),
        ("income", "收入"),
        ("refunds", "退款"),
        ("goods_value", "物資市值"),
        ("spending", "支出"),
    ):
        if old["totals"].get(key) != new["totals"].get(key):
            notes.append(f"{label} {old['totals'].get(key, 0):,} → {new['totals'].get(key, 0):,}")
    newly_refunded = sum(1 for line in new["income"] if line["refunded"]) - sum(
        1 for line in old["income"] if line["refunded"]
    )
    if newly_refunded > 0:
        notes.append(f"{newly_refunded} 筆捐款已於其後退款")
    return "；".join(notes) or "內容更新"


def build_report(year: int, month: int, *, actor=None) -> tuple[MonthlyReport, bool]:
    """Build (or rebuild) a month. Returns (report, created): an unchanged month keeps its version.

    Raises ReportRefused (and alerts staff) when the month does not reconcile.
    """
    if not (1 <= month <= 12) or year < 2000:
        raise ValidationError(_("年份或月份不正確。"))
    if builder.month_bounds(year, month)[1] > timezone.now():
        raise ValidationError(
            _(
                "%(month)s 尚未結束：進行中的月份在公開徵信頁以「本月進行中」暫定顯示、隨捐款入帳更新，"
                "月份結束後才產製凍結的正式版本。"
            )
            % {"month": f"{year}-{month:02d}"}
        )
    with transaction.atomic():
        content = builder.build_content(year, month)
        problems = reconcile(content, year, month)
        if problems:
            transaction.set_rollback(True)
        else:
            digest = builder.digest_of(content)
            latest = (
                MonthlyReport.objects.select_for_update()
                .filter(year=year, month=month)
                .order_by("-version")
                .first()
            )
            if latest is not None and latest.digest == digest:
                return latest, False
            report = MonthlyReport.objects.create(
                year=year,
                month=month,
                version=(latest.version + 1) if latest else 1,
                content=content,
                summary=builder.summarise(content),
                digest=digest,
                change_note=_describe_change(latest.content, content) if latest else "首次公開",
                built_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record_event(
                actor=actor,
                action="disclosure.published",
                target=report,
                changes={"version": report.version, "digest": digest, "income": content["totals"]["income"]},
            )
            invalidate("disclosure", "programs")
            return report, True
    _alert_refusal(year, month, problems, actor)
    raise ReportRefused("；".join(problems))


def _alert_refusal(year, month, problems, actor):
    logger.error("disclosure %s-%02d refused: %s", year, month, "; ".join(problems))
    with transaction.atomic():
        send_notification(
            people(User.objects.filter(role__in=[Role.SW_REVIEWER, Role.SITE_ADMIN], is_active=True)),
            format_lazy(gettext_lazy("公開徵信 {period} 未通過對帳"), period=f"{year}-{month:02d}"),
            "disclosure/email/refused.txt",
            {"year": year, "month": month, "problems": problems},
        )


# --- The committee ----------------------------------------------------------------------------


@transaction.atomic
def record_meeting(*, actor, held_on, title, period_start, period_end, minutes="") -> CommitteeMeeting:
    if not permissions.can_record_meeting(actor):
        raise PermissionDenied(_("會議紀錄由社會局承辦人員登錄。"))
    if period_end < period_start:
        raise ValidationError(_("審查期間的迄日不可早於起日。"))
    meeting = CommitteeMeeting.objects.create(
        held_on=held_on,
        title=title,
        period_start=period_start,
        period_end=period_end,
        minutes=minutes,
        recorded_by=actor,
    )
    record_event(actor=actor, action="committee.meeting_recorded", target=meeting)
    return meeting


@transaction.atomic
def sign_off_meeting(*, meeting: CommitteeMeeting, actor) -> CommitteeMeeting:
    """A committee member signs the minutes off (once)."""
    if not permissions.can_sign_off_meeting(actor):
        raise PermissionDenied(_("只有救濟會報委員可簽核會議紀錄。"))
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.signed_off_at:
        raise ValidationError(_("此會議紀錄已簽核。"))
    meeting.signed_off_by = actor.get_full_name()
    meeting.signed_off_at = timezone.now()
    meeting.save(update_fields=["signed_off_by", "signed_off_at"])
    record_event(actor=actor, action="committee.signed_off", target=meeting)
    return meeting
