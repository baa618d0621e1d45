"""Program workflow and matching: one function per transition, each in a transaction, audited,
and e-mailing the people concerned."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from audit.services import record_event
from core.notify import people, send_notification
from core.pagecache import invalidate
from core.queueing import queue_after_commit
from dashboard.gazetteer import place_if_unplaced

from . import permissions
from .models import (
    GoodsNeed,
    Offer,
    OfferKind,
    Program,
    ProgramStatus,
    ProgramSubscription,
    ProgramUpdate,
    ServiceNeed,
)
from .subscriptions import notify_subscribers
from .tasks import send_closing_reports_task
from .workflows import OFFER_FLOW, PROGRAM_FLOW

PAGE_CACHE = "programs"


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _bureau_caseworkers(bureau_id) -> list[tuple[str, str]]:
    return people(User.objects.filter(organisation_id=bureau_id, role=Role.CASEWORKER, is_active=True))


def _reviewers() -> list[tuple[str, str]]:
    return people(User.objects.filter(role=Role.SW_REVIEWER, is_active=True))


def _require(allowed: bool, message: str | None = None):
    if not allowed:
        raise PermissionDenied(message or _("您沒有權限執行此操作。"))


# --- Programs ---------------------------------------------------------------------------------


@transaction.atomic
def create_program(*, actor, **fields) -> Program:
    _require(permissions.can_create_program(actor))
    program = Program(bureau=actor.organisation, created_by=actor, status=ProgramStatus.DRAFT, **fields)
    place_if_unplaced(program, program.address)  # no pick on the map: its district on the welfare map
    program.full_clean()
    program.save()
    record_event(actor=actor, action="program.created", target=program, organisation=program.bureau)
    return program


EDITABLE_FIELDS = (
    "category",
    "title",
    "summary",
    "description",
    "beneficiaries",
    "beneficiaries_count",
    "place",
    "address",
    "latitude",
    "longitude",
    "starts_on",
    "ends_on",
    "cover_image",
    "cover_alt",
    "contact_name",
    "contact_phone",
    "contact_email",
    "money_target",
)


@transaction.atomic
def update_program(*, program: Program, actor, **fields) -> Program:
    program = _lock(program)
    _require(
        permissions.can_edit_program(actor, program),
        _("只有方案所屬局處的承辦人可在草稿或退回狀態修改方案。"),
    )
    old = {f: getattr(program, f) for f in EDITABLE_FIELDS}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be edited")
        setattr(program, name, value)
    place_if_unplaced(program, program.address)
    program.full_clean()
    program.save()
    changes = {
        f: [str(old[f]), str(getattr(program, f))]
        for f in EDITABLE_FIELDS
        if str(old[f]) != str(getattr(program, f))
    }
    if changes:
        record_event(actor=actor, action="program.edited", target=program, changes=changes)
    return program


@transaction.atomic
def save_needs(*, program: Program, actor, goods: list[dict], services: list[dict]) -> None:
    """Replace the program's goods and service lines while it is editable (draft or returned)."""
    program = _lock(program)
    _require(permissions.can_edit_program(actor, program))
    today = timezone.localdate()
    errors = []
    for n, line in enumerate(goods, start=1):
        if line["quantity"] is None or line["quantity"] <= 0:
            errors.append(_("物資第 %(n)s 行：數量必須大於 0。") % {"n": n})
        if line["deadline"] < today:
            errors.append(_("物資第 %(n)s 行：需求截止日不可早於今天。") % {"n": n})
    if errors:
        raise ValidationError(errors)
    before = {
        "goods": [str(g) for g in program.goods_needs.all()],
        "services": [str(s) for s in program.service_needs.all()],
    }
    program.goods_needs.all().delete()
    program.service_needs.all().delete()
    GoodsNeed.objects.bulk_create(GoodsNeed(program=program, **line) for line in goods)
    ServiceNeed.objects.bulk_create(ServiceNeed(program=program, **line) for line in services)
    after = {
        "goods": [str(g) for g in program.goods_needs.all()],
        "services": [str(s) for s in program.service_needs.all()],
    }
    if after != before:
        record_event(
            actor=actor,
            action="program.needs_changed",
            target=program,
            changes={"before": before, "after": after},
        )


@transaction.atomic
def save_program(
    *, program: Program | None, actor, fields: dict, goods: list[dict], services: list[dict]
) -> Program:
    """The edit page's one write: create (or update) the program and replace its need lines together,
    so a refused need line leaves neither a new program nor changed fields behind."""
    if program is None:
        program = create_program(actor=actor, **fields)
    else:
        program = update_program(program=program, actor=actor, **fields)
    save_needs(program=program, actor=actor, goods=goods, services=services)
    return program


@transaction.atomic
def submit_program(*, program: Program, actor) -> Program:
    program = _lock(program)
    _require(
        permissions.can_submit_program(actor, program), _("只有方案所屬局處的承辦人可送審草稿或退回的方案。")
    )
    if not (program.money_target or program.goods_needs.exists() or program.service_needs.exists()):
        raise ValidationError(_("送審前請至少填寫一項需求：募款目標、物資或服務。"))
    if program.ends_on < timezone.localdate():
        raise ValidationError(_("方案結束日期已過，請修改期間後再送審。"))
    previous = PROGRAM_FLOW.advance(program, "submit")
    program.submitted_at = timezone.now()
    program.save(update_fields=["status", "submitted_at"])
    record_event(
        actor=actor,
        action="program.submitted",
        target=program,
        changes={"status": [previous, program.status]},
    )
    send_notification(
        _reviewers(),
        format_lazy(gettext_lazy("方案待審核：{title}"), title=program.title),
        "programs/email/submitted.txt",
        {"program": program},
    )
    return program


@transaction.atomic
def approve_program(*, program: Program, actor) -> Program:
    program = _lock(program)
    _require(permissions.can_review_program(actor, program), _("只有社會局審核人員可核准送審中的方案。"))
    previous = PROGRAM_FLOW.advance(program, "approve")
    program.published_at = timezone.now()
    program.return_reason = ""
    program.save(update_fields=["status", "published_at", "return_reason"])
    record_event(
        actor=actor, action="program.approved", target=program, changes={"status": [previous, program.status]}
    )
    send_notification(
        _bureau_caseworkers(program.bureau_id),
        format_lazy(gettext_lazy("方案已核准公開：{title}"), title=program.title),
        "programs/email/approved.txt",
        {"program": program},
    )
    invalidate(PAGE_CACHE)
    return program


@transaction.atomic
def return_program(*, program: Program, actor, reason: str) -> Program:
    program = _lock(program)
    _require(permissions.can_review_program(actor, program), _("只有社會局審核人員可退回送審中的方案。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("請填寫退回理由，讓承辦人知道要修正什麼。"))
    previous = PROGRAM_FLOW.advance(program, "return")
    program.return_reason = reason
    program.save(update_fields=["status", "return_reason"])
    record_event(
        actor=actor,
        action="program.returned",
        target=program,
        changes={"status": [previous, program.status]},
        reason=reason,
    )
    send_notification(
        _bureau_caseworkers(program.bureau_id),
        format_lazy(gettext_lazy("方案退回修正：{title}"), title=program.title),
        "programs/email/returned.txt",
        {"program": program, "reason": reason},
    )
    return program


@transaction.atomic
def close_program(*, program: Program, actor, closing_report: str, beneficiaries_reached: int) -> Program:
    program = _lock(program)
    _require(permissions.can_close_program(actor, program), _("只有方案所屬局處的承辦人可結案募集中的方案。"))
    if not (closing_report or "").strip():
        raise ValidationError(_("請填寫結案報告：方案完成了什麼。"))
    if beneficiaries_reached is None or beneficiaries_reached < 0:
        raise ValidationError(_("受益人次不可為負數。"))
    previous = PROGRAM_FLOW.advance(program, "close")
    program.closing_report = closing_report.strip()
    program.beneficiaries_reached = max(program.beneficiaries_reached, beneficiaries_reached)
    program.closed_at = timezone.now()
    program.save(update_fields=["status", "closing_report", "beneficiaries_reached", "closed_at"])
    record_event(
        actor=actor,
        action="program.closed",
        target=program,
        changes={
            "status": [previous, program.status],
            "beneficiaries_reached": program.beneficiaries_reached,
        },
    )
    closed = format_lazy(gettext_lazy("方案結案：{title}"), title=program.title)
    send_notification(_reviewers(), closed, "programs/email/closed.txt", {"program": program})
    notify_subscribers(program, closed, "programs/email/closed.txt", {"program": program})
    # Every donor gets the closing report (programs/closing.py), once each, after the commit.
    queue_after_commit(send_closing_reports_task, program.pk)
    invalidate(PAGE_CACHE)
    return program


# --- Updates and subscriptions ----------------------------------------------------------------


@transaction.atomic
def post_update(
    *,
    program: Program,
    actor,
    title: str,
    body: str,
    posted_on: datetime.date,
    photo=None,
    photo_alt: str = "",
    beneficiaries_reached=0,
) -> ProgramUpdate:
    program = _lock(program)
    _require(permissions.can_post_update(actor, program), _("只有方案所屬局處的承辦人可發布進度更新。"))
    if posted_on > timezone.localdate():
        raise ValidationError(_("進度日期不可晚於今天。"))
    update = ProgramUpdate(
        program=program,
        title=title,
        body=body,
        posted_on=posted_on,
        beneficiaries_reached=beneficiaries_reached or 0,
        posted_by=actor,
        photo_alt=(photo_alt or "").strip(),
    )
    if photo:
        update.photo.save(photo.name, photo, save=False)
    update.full_clean()
    update.save()
    if update.beneficiaries_reached:
        Program.objects.filter(pk=program.pk).update(
            beneficiaries_reached=F("beneficiaries_reached") + update.beneficiaries_reached
        )
    record_event(actor=actor, action="program.update_posted", target=program, changes={"update": title})
    notify_subscribers(
        program,
        format_lazy(gettext_lazy("方案進度：{title}"), title=program.title),
        "programs/email/update.txt",
        {"program": program, "update": update},
    )
    invalidate(PAGE_CACHE)
    return update


def subscribe_to_updates(*, user, program: Program, by_email: bool) -> ProgramSubscription:
    subscription, created = ProgramSubscription.objects.get_or_create(
        user=user, program=program, defaults={"by_email": by_email}
    )
    if not created and by_email and not subscription.by_email:
        subscription.by_email = True
        subscription.save(update_fields=["by_email"])
    return subscription


# --- Offers and matching ----------------------------------------------------------------------


@transaction.atomic
def make_offer(
    *,
    donor,
    kind: str,
    item: str,
    quantity: int,
    unit: str,
    program: Program | None = None,
    goods_need: GoodsNeed | None = None,
    service_need: ServiceNeed | None = None,
    condition: str = "",
    delivery_place: str = "",
    delivery_window: str = "",
    note: str = "",
) -> Offer:
    if not (donor and donor.is_authenticated):
        raise PermissionDenied(_("請先登入再提供物資或服務。"))
    if quantity is None or quantity <= 0:
        raise ValidationError(_("數量必須大於 0。"))
    if goods_need is not None:
        program = goods_need.program
        kind = OfferKind.GOODS
    if service_need is not None:
        program = service_need.program
        kind = OfferKind.SERVICE
    if program is not None and program.status != ProgramStatus.PUBLISHED:
        raise ValidationError(_("此方案目前未開放捐贈。"))
    if goods_need is not None and goods_need.remaining <= 0:
        raise ValidationError(_("此物資需求已募足，謝謝您的心意。"))
    offer = Offer(
        donor=donor,
        kind=kind,
        program=program,
        goods_need=goods_need,
        service_need=service_need,
        item=item,
        quantity=quantity,
        unit=unit,
        condition=condition,
        delivery_place=delivery_place,
        delivery_window=delivery_window,
        note=note,
    )
    offer.full_clean()
    offer.save()
    record_event(
        actor=donor, action="offer.made", target=offer, organisation=program.bureau if program else None
    )
    if program is not None:
        # The donor follows the program's progress on their dashboard from now on.
        subscribe_to_updates(user=donor, program=program, by_email=False)
        send_notification(
            _bureau_caseworkers(program.bureau_id),
            format_lazy(gettext_lazy("新的捐贈意向：{title}"), title=program.title),
            "programs/email/offer_made.txt",
            {"offer": offer, "program": program},
        )
    return offer


def _lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("program").get(pk=offer.pk)


@transaction.atomic
def claim_offer(*, offer: Offer, actor, program: Program, goods_need: GoodsNeed | None = None) -> Offer:
    """A bureau takes a free-form offer for one of its published programs (and a need line)."""
    offer = _lock_offer(offer)
    _require(permissions.can_claim_offer(actor, offer), _("此捐贈意向無法認領。"))
    if program.bureau_id != actor.organisation_id or program.status != ProgramStatus.PUBLISHED:
        raise ValidationError(_("只能認領到本局處募集中的方案。"))
    if goods_need is not None and goods_need.program_id != program.pk:
        raise ValidationError(_("物資需求不屬於所選方案。"))
    offer.program = program
    offer.goods_need = goods_need
    offer.claimed_by_id = actor.organisation_id
    offer.save(update_fields=["program", "goods_need", "claimed_by"])
    record_event(actor=actor, action="offer.claimed", target=offer, organisation=program.bureau)
    return offer


@transaction.atomic
def accept_offer(*, offer: Offer, actor, quantity: int | None = None) -> Offer:
    """Accept all or part of an offer. The need line is locked so two caseworkers accepting offers
    for it at the same moment can never accept more than it still needs."""
    offer = _lock_offer(offer)
    _require(
        permissions.can_decide_offer(actor, offer), _("只有方案所屬局處的承辦人可回覆待回覆的捐贈意向。")
    )
    quantity = offer.quantity if quantity is None else quantity
    if quantity <= 0:
        raise ValidationError(_("接受數量必須大於 0；若不需要請選擇婉拒。"))
    if quantity > offer.quantity:
        raise ValidationError(_("接受數量不可超過提供數量（%(n)s）。") % {"n": offer.quantity})
    if offer.goods_need_id:
        need = GoodsNeed.objects.select_for_update().get(pk=offer.goods_need_id)
        if quantity > need.remaining:
            raise ValidationError(
                _("接受數量超過此需求尚缺的數量（尚缺 %(n)s%(unit)s）。")
                % {"n": need.remaining, "unit": need.unit}
            )
        GoodsNeed.objects.filter(pk=need.pk).update(quantity_accepted=F("quantity_accepted") + quantity)
    offer.accepted_quantity = quantity
    previous = OFFER_FLOW.advance(offer, "accept" if quantity == offer.quantity else "accept_part")
    offer.decided_by = actor
    offer.decided_at = timezone.now()
    offer.save(update_fields=["accepted_quantity", "status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="offer.accepted",
        target=offer,
        organisation=offer.program.bureau if offer.program_id else None,
        changes={"status": [previous, offer.status], "accepted_quantity": quantity},
    )
    send_notification(
        [offer.donor],
        gettext_lazy("您的捐贈意向已獲接受"),
        "programs/email/offer_decided.txt",
        {"offer": offer},
    )
    invalidate(PAGE_CACHE)
    return offer


@transaction.atomic
def decline_offer(*, offer: Offer, actor, reason: str) -> Offer:
    offer = _lock_offer(offer)
    _require(
        permissions.can_decide_offer(actor, offer), _("只有方案所屬局處的承辦人可回覆待回覆的捐贈意向。")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("請填寫婉拒理由，讓捐贈者了解。"))
    previous = OFFER_FLOW.advance(offer, "decline")
    offer.decline_reason = reason
    offer.decided_by = actor
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="offer.declined",
        target=offer,
        reason=reason,
        changes={"status": [previous, offer.status]},
    )
    send_notification(
        [offer.donor], gettext_lazy("您的捐贈意向回覆"), "programs/email/offer_decided.txt", {"offer": offer}
    )
    return offer


@transaction.atomic
def record_offer_delivery(*, offer: Offer, actor) -> Offer:
    offer = _lock_offer(offer)
    _require(permissions.can_record_delivery(actor, offer), _("只有已接受的捐贈意向可登記送達。"))
    previous = OFFER_FLOW.advance(offer, "deliver")
    offer.delivered_at = timezone.now()
    offer.save(update_fields=["status", "delivered_at"])
    record_event(
        actor=actor, action="offer.delivered", target=offer, changes={"status": [previous, offer.status]}
    )
    return offer


@transaction.atomic
def withdraw_offer(*, offer: Offer, actor) -> Offer:
    offer = _lock_offer(offer)
    _require(permissions.can_withdraw_offer(actor, offer), _("只能撤回自己尚未回覆的捐贈意向。"))
    previous = OFFER_FLOW.advance(offer, "withdraw")
    offer.save(update_fields=["status"])
    record_event(
        actor=actor, action="offer.withdrawn", target=offer, changes={"status": [previous, offer.status]}
    )
    return offer
