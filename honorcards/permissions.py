"""Who may check, apply for, review, print and revoke honor cards.

A unit officer applies for the volunteers serving in their unit and prints their unit's cards; the
volunteer centre reviews first; the social welfare bureau's card reviewers review second, revoke and
reissue. Reviewers see every application and card.
"""

from accounts.permissions import has_role
from accounts.roles import Role
from volunteers.permissions import is_officer_of, unit_of

from .workflows import APPLICATION_FLOW, REVIEW_STEP

REVIEWERS = (Role.CENTRE_STAFF, Role.CARD_REVIEWER)


def is_reviewer(user) -> bool:
    """The review queue: the centre (first review) and the bureau's card reviewers (second)."""
    return has_role(user, *REVIEWERS)


# --- Which pages open at all (views ask these through ``allowed_by``; the menu asks them too). ----
# Whose unit, application or card it is is checked on the object, by the predicates further down.


def works_on_cards(user) -> bool:
    """The card and application lists, one card, one application: officers and the reviewers."""
    return has_role(user, Role.UNIT_OFFICER, *REVIEWERS)


def applies_for_cards(user) -> bool:
    """The eligible volunteers, applying and resubmitting: unit officers."""
    return has_role(user, Role.UNIT_OFFICER)


def prints_cards(user) -> bool:
    """Print batches: a unit officer for their unit's cards, a card reviewer for any."""
    return has_role(user, Role.UNIT_OFFICER, Role.CARD_REVIEWER)


def manages_cards(user) -> bool:
    """Revoking and reissuing cards: the bureau's card reviewers."""
    return has_role(user, Role.CARD_REVIEWER)


def decides_record_corrections(user) -> bool:
    """Correction requests for service records an issued card counted: the volunteer centre."""
    return has_role(user, Role.CENTRE_STAFF)


def serves_in(volunteer, unit) -> bool:
    return unit is not None and volunteer.memberships.filter(unit=unit, left_on__isnull=True).exists()


def can_check(user, volunteer) -> bool:
    """See a volunteer's eligibility check: their unit's officers and the reviewers."""
    return is_reviewer(user) or serves_in(volunteer, unit_of(user))


def can_apply_for(user, volunteer) -> bool:
    return serves_in(volunteer, unit_of(user))


def can_view_application(user, application) -> bool:
    return is_reviewer(user) or is_officer_of(user, application.unit)


# Who takes each review step (``honorcards.workflows.REVIEW_STEP``).
REVIEWER_ROLE = {"centre_approve": Role.CENTRE_STAFF, "approve": Role.CARD_REVIEWER}


def can_review(user, application) -> bool:
    """Whose turn it is: the centre for a submitted case, the bureau for one the centre passed."""
    step = REVIEW_STEP.get(application.status)
    return step is not None and has_role(user, REVIEWER_ROLE[step])


def can_resubmit(user, application) -> bool:
    return APPLICATION_FLOW.can(application.status, "resubmit") and is_officer_of(user, application.unit)


def can_view_card(user, card) -> bool:
    return is_reviewer(user) or is_officer_of(user, card.unit)


def can_print_card(user, card) -> bool:
    return has_role(user, Role.CARD_REVIEWER) or is_officer_of(user, card.unit)


def can_revoke(user, card) -> bool:
    return has_role(user, Role.CARD_REVIEWER)


def can_reissue(user, card) -> bool:
    return has_role(user, Role.CARD_REVIEWER)
