"""Who may do what with programs and offers."""

from accounts.permissions import belongs_to, has_role
from accounts.roles import Role

from .models import Offer, Program, ProgramStatus
from .workflows import OFFER_FLOW, PROGRAM_FLOW


def is_caseworker_of(user, bureau) -> bool:
    return has_role(user, Role.CASEWORKER) and belongs_to(user, bureau)


def is_caseworker(user) -> bool:
    """The bureau workspace and the offers to answer: every bureau's caseworkers."""
    return has_role(user, Role.CASEWORKER)


def is_giver(user) -> bool:
    """Donors and volunteers: the menu leads them to their offers of goods and services."""
    return has_role(user, Role.DONOR, Role.VOLUNTEER)


def can_view_program(user, program: Program) -> bool:
    """The public sees published and closed programs; the owning bureau and reviewers see all of theirs."""
    if program.is_public:
        return True
    return is_caseworker_of(user, program.bureau_id) or (
        has_role(user, Role.SW_REVIEWER, Role.SITE_ADMIN, Role.COMMITTEE)
        and program.status != ProgramStatus.DRAFT
    )


def can_create_program(user) -> bool:
    return (
        has_role(user, Role.CASEWORKER) and user.organisation_id is not None and user.organisation.is_bureau
    )


def can_edit_program(user, program: Program) -> bool:
    """Editing keeps the status: allowed where submitting is (a draft, or a program sent back)."""
    return is_caseworker_of(user, program.bureau_id) and PROGRAM_FLOW.can(program.status, "submit")


can_submit_program = can_edit_program


def can_review_program(user, program: Program | None = None) -> bool:
    if not has_role(user, Role.SW_REVIEWER):
        return False
    return program is None or PROGRAM_FLOW.can(program.status, "approve")


def can_post_update(user, program: Program) -> bool:
    return is_caseworker_of(user, program.bureau_id) and program.is_public


def can_close_program(user, program: Program) -> bool:
    return is_caseworker_of(user, program.bureau_id) and PROGRAM_FLOW.can(program.status, "close")


def can_make_offer(user, program: Program | None = None) -> bool:
    if not (user and user.is_authenticated):
        return False
    return program is None or program.status == ProgramStatus.PUBLISHED


def can_decide_offer(user, offer: Offer) -> bool:
    bureau = offer.bureau_id
    return bureau is not None and is_caseworker_of(user, bureau) and OFFER_FLOW.can(offer.status, "accept")


def can_claim_offer(user, offer: Offer) -> bool:
    return (
        has_role(user, Role.CASEWORKER)
        and offer.program_id is None
        and offer.claimed_by_id is None
        and OFFER_FLOW.can(offer.status, "accept")
    )


def can_record_delivery(user, offer: Offer) -> bool:
    bureau = offer.bureau_id
    return is_caseworker_of(user, bureau) and OFFER_FLOW.can(offer.status, "deliver")


def can_withdraw_offer(user, offer: Offer) -> bool:
    return offer.donor_id == getattr(user, "pk", None) and OFFER_FLOW.can(offer.status, "withdraw")


def can_view_offer(user, offer: Offer) -> bool:
    if offer.donor_id == getattr(user, "pk", None):
        return True
    bureau = offer.bureau_id
    if bureau is None:
        return has_role(user, Role.CASEWORKER)  # unclaimed free-form offers are open to every bureau
    return is_caseworker_of(user, bureau)
