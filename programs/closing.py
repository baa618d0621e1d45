"""A closed program's closing report: what it reached, raised, spent and handed out, with its
photos — on its page, and e-mailed once to each of its donors (money and goods)."""

from django.conf import settings
from django.db import IntegrityError, transaction

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


def donor_emails(program: Program) -> list[str]:
    """Everyone who gave to the program: paid money gifts (account or guest) and goods received."""
    from donations.models import GoodsDonation, Pledge, PledgeStatus

    emails = set()
    for account, guest in Pledge.objects.filter(program=program, status=PledgeStatus.PAID).values_list(
        "donor__email", "guest_email"
    ):
        emails.add(account or guest)
    emails.update(
        GoodsDonation.objects.filter(program=program, donor__isnull=False).values_list(
            "donor__email", flat=True
        )
    )
    return sorted({e.strip().lower() for e in emails if e and e.strip()})


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
    for email in donor_emails(program):
        if email in already:
            continue
        try:
            with transaction.atomic():
                ClosingReportDelivery.objects.create(program=program, email=email)
                send_notification(
                    [email], f"結案報告：{program.title}", "programs/email/closing_report.txt", context
                )
        except IntegrityError:  # another run took this address first
            continue
        sent += 1
    return sent
