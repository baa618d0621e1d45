"""Who may see which gifts: donors their own, bureaus theirs, the committee and reviewers all."""

from accounts.permissions import belongs_to, has_role
from accounts.roles import Role

from .models import GoodsDonation, Pledge
from .workflows import PLEDGE_FLOW

OVERSIGHT_ROLES = (Role.SW_REVIEWER, Role.COMMITTEE, Role.SITE_ADMIN)
# The tax export carries ID numbers: only the social welfare bureau's reviewers and site admins.
TAX_EXPORT_ROLES = (Role.SW_REVIEWER, Role.SITE_ADMIN)
# Refunds, receipt corrections, gifts recorded at the counter, bank statements.
REFUNDERS = (Role.SW_REVIEWER, Role.SITE_ADMIN)


def can_view_pledge(user, pledge: Pledge, *, guest_trade_nos=()) -> bool:
    if pledge.merchant_trade_no in guest_trade_nos and pledge.donor_id is None:
        return True
    if not (user and user.is_authenticated):
        return False
    if pledge.donor_id == user.pk:
        return True
    if sees_every_bureaus_gifts(user):
        return True
    return (
        bool(pledge.program_id)
        and has_role(user, Role.CASEWORKER)
        and belongs_to(user, pledge.program.bureau_id)
    )


def sees_every_bureaus_gifts(user) -> bool:
    """The overseers (the social welfare bureau, the committee, site admins) see every bureau's gifts."""
    return has_role(user, *OVERSIGHT_ROLES)


def can_view_statements(user) -> bool:
    """Imported bank statements: those who import them, and the committee (read only)."""
    return has_role(user, *REFUNDERS, Role.COMMITTEE)


def can_see_staff_list(user) -> bool:
    return has_role(user, Role.CASEWORKER, *OVERSIGHT_ROLES)


def can_view_program_donors(user, program) -> bool:
    return has_role(user, *OVERSIGHT_ROLES) or (
        has_role(user, Role.CASEWORKER) and belongs_to(user, program.bureau_id)
    )


def can_refund(user, pledge: Pledge | None = None) -> bool:
    """Refunds: the social welfare bureau's reviewers and site admins; of a pledge the table lets
    be refunded (a paid one), when one is named."""
    return has_role(user, *REFUNDERS) and (pledge is None or PLEDGE_FLOW.can(pledge.status, "refund"))


def can_correct_receipt(user) -> bool:
    """Receipt corrections (void and reissue): the same people as refunds."""
    return has_role(user, *REFUNDERS)


def can_record_offline_gift(user) -> bool:
    """Remittances and cheques received outside the gateway, and the bank statement reconciliation."""
    return has_role(user, *REFUNDERS)


def can_export_tax(user) -> bool:
    return has_role(user, *TAX_EXPORT_ROLES)


# --- Goods in custody -------------------------------------------------------------------------


def can_manage_goods(user, bureau_id) -> bool:
    """Receiving, storing and handing out: the caseworkers of the bureau whose program it is."""
    return has_role(user, Role.CASEWORKER) and belongs_to(user, bureau_id)


def can_list_goods(user) -> bool:
    """The goods pages: every bureau's caseworkers (their own goods) and the overseers (all)."""
    return has_role(user, Role.CASEWORKER, *OVERSIGHT_ROLES)


def can_view_goods(user, goods: GoodsDonation) -> bool:
    return can_manage_goods(user, goods.bureau_id) or sees_every_bureaus_gifts(user)


def can_view_goods_receipt(user, goods: GoodsDonation) -> bool:
    """The donor's own goods receipt, and everyone who may see the goods."""
    return bool(user and user.is_authenticated and goods.donor_id == user.pk) or can_view_goods(user, goods)
