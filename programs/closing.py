"""A closed program's closing report: what it reached, raised, spent and handed out, with its
photos — on its page, and e-mailed once to each of its donors (money and goods)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.notify import send_notification

from .models import ClosingReportDelivery, Program, ProgramStatus


def closing_summary(program: Program) -> dict:
    from disclosure.gift_use import program_use

    use = program_use(program)
    return {
        "beneficiaries_reached": program.beneficiaries_reached,
        "money_raised": program.money_raised,
        "money_spent": use["spent_total"],
        "goods": use["goods"],
        "photos": closing_photos(program),
    }


def closing_photos(program: Program) -> list[dict]:
    """The cover and the updates' photos, each with the alt text the caseworker wrote."""
    photos = []
    if program.cover_image:
        photos.append({"url": program.cover_image.url, "alt": program.cover_alt or program.title})
    for update in program.updates.exclude(photo="").order_by("posted_on", "pk"):
        photos.append({"url": update.photo.url, "alt": update.photo_alt or update.title})
    return photos


def donors(program: Program) -> list[tuple[str, str]]:
    """Everyone who gave to the program, ``(address, language)``: paid money gifts (the account's
    language, or the one a guest gave in) and goods received; each address once, newest gift's
    language first."""
    from donations.models import GoodsDonation, Pledge, PledgeStatus

    found: dict[str, str] = {}
    pledges = (
        Pledge.objects.filter(program=program, status=PledgeStatus.PAID)
        .order_by("-pk")
        .values_list("donor__email", "donor__language", "guest_email", "language")
    )
    for account, account_language, guest, guest_language in pledges:
        email = account or guest
        if email and email.strip():
            found.setdefault(email.strip().lower(), account_language if account else guest_language)
    goods = GoodsDonation.objects.filter(program=program, donor__isnull=False).values_list(
        "donor__email", "donor__language"
    )
    for email, language in goods:
        if email and email.strip():
            found.setdefault(email.strip().lower(), language)
    return sorted(found.items())


def donor_emails(program: Program) -> list[str]:
    return [email for email, _language in donors(program)]


def send_closing_reports(program_id: int) -> int:
    """E-mail the closing report to each donor not yet sent it; returns how many were queued now.

    Idempotent: a ``ClosingReportDelivery`` row per (program, address), made in the transaction that
    queues the e-mail, so a retried or repeated task never sends one twice."""
    program = Program.objects.filter(pk=program_id, status=ProgramStatus.CLOSED).first()
    if program is None:
        return 0
    already = set(ClosingReportDelivery.objects.filter(program=program).values_list("email", flat=True))
    context = {
        "program": program,
        "summary": closing_summary(program),
        "program_url": settings.SITE_URL + program.get_absolute_url(),
    }
    sent = 0
    for email, language in donors(program):
        if email in already:
            continue
        try:
            with transaction.atomic():
                ClosingReportDelivery.objects.create(program=program, email=email)
                send_notification(
                    [(email, language)],
                    format_lazy(gettext_lazy("結案報告：{title}"), title=program.title),
                    "programs/email/closing_report.txt",
                    context,
                )
        except IntegrityError:  # another run took this address first
            continue
        sent += 1
    return sent
