"""Reads for the event pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Event, ShiftSignup
from . import services


def code_refusal(event: Event, code: str, volunteer) -> str | None:
    """Why the venue's code cannot be used by this person now (None when it can)."""
    try:
        services.verify_code(event, code)
    except ValidationError as exc:
        return exc.messages[0]
    if volunteer is None:
        return _("您的帳號沒有連結志工資料，請先在「我的服務履歷」認領您的志工紀錄，或洽運用單位承辦人。")
    return None


def last_signed_out_today(event: Event, volunteer) -> ShiftSignup | None:
    return (
        ShiftSignup.objects.filter(
            shift__event=event,
            shift__date=timezone.localdate(),
            volunteer=volunteer,
            signed_out_at__isnull=False,
        )
        .select_related("shift")
        .order_by("-signed_out_at")
        .first()
    )


def check_in_page(event: Event, volunteer, error: str | None) -> dict:
    """What the phone page shows: the sign-up to act on and its action, or today's finished shift,
    or why there is nothing to do."""
    if volunteer is None or error is not None:
        return {
            "error": error,
            "signup": None,
            "action": None,
            "done": None,
            "done_hours": None,
            "waiting": None,
        }
    signup, waiting = services.signup_for_scan(event, volunteer)
    done = last_signed_out_today(event, volunteer) if signup is None else None
    return {
        "error": None,
        "signup": signup,
        "action": services.next_action(signup),
        "done": done,
        "done_hours": services.signed_hours(done) if done else None,
        "waiting": waiting if done is None else None,
    }
