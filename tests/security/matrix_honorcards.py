"""Permission rules for honor cards: the public check page, the units' applications and cards, the
two reviews. The unit officer of the matrix works for the volunteer unit of their organisation
(get_or_create, shared with the volunteers' matrix)."""

from accounts.roles import Role
from tests.security.matrix import only, public

STAFF = only(Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.CARD_REVIEWER)
OFFICER = only(Role.UNIT_OFFICER)
CARD_REVIEWER = only(Role.CARD_REVIEWER)
# Batches are their creator's (the unit officer here): another allowed role gets 404.
CREATOR = {**OFFICER, "card_reviewer": 404}
API = {
    **only(Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.CARD_REVIEWER, others=404, anonymous=401),
}

RULES = {
    "honorcards:index": (None, public()),
    "honorcards:public_key": (None, public()),
    "honorcards:verify": ("honorcards_token", public()),
    "honorcards:verify_photo": ("honorcards_token", public()),
    "honorcards:eligible": (None, OFFICER),
    "honorcards:check": ("honorcards_volunteer", STAFF),
    "honorcards:apply": ("honorcards_volunteer", OFFICER),
    "honorcards:applications": (None, STAFF),
    "honorcards:application": ("honorcards_application", STAFF),
    "honorcards:resubmit": ("honorcards_returned", OFFICER),
    "honorcards:application_image": ("honorcards_image", STAFF),
    "honorcards:queue": (None, only(Role.CENTRE_STAFF, Role.CARD_REVIEWER)),
    "honorcards:cards": (None, STAFF),
    "honorcards:batch_print": (None, public(405)),
    "honorcards:card": ("honorcards_card", STAFF),
    "honorcards:card_pdf": ("honorcards_card", only(Role.UNIT_OFFICER, Role.CARD_REVIEWER)),
    "honorcards:revoke": ("honorcards_card", CARD_REVIEWER),
    "honorcards:reissue": ("honorcards_card", CARD_REVIEWER),
    "honorcards:batch": ("honorcards_batch", CREATOR),
    "honorcards:batch_pdf": ("honorcards_batch", CREATOR),
    "honorcards:batch_retry": ("honorcards_batch", public(405)),
    "honorcards:corrections": (None, only(Role.CENTRE_STAFF)),
    "honorcards:correction_decide": ("honorcards_correction", public(405)),
    "api-honor-card-eligibility": ("honorcards_api_volunteer", API),
}


def world_args(users) -> dict:
    from honorcards import services
    from honorcards.models import PrintBatch
    from tests.honorcards.factories import eligible_volunteer, photo
    from volunteers.models import ServiceDomain, VolunteerUnit

    officer = users["unit_officer"]
    unit, _ = VolunteerUnit.objects.get_or_create(
        organisation=officer.organisation, defaults={"main_domain": ServiceDomain.SOCIAL_WELFARE}
    )

    def apply():
        volunteer = eligible_volunteer(unit)
        return services.submit_application(
            volunteer=volunteer, unit=unit, actor=officer, record_book_number="北市志字第1號", photo=photo()
        )

    application = apply()
    returned = apply()
    services.return_application(application=returned, actor=users["centre_staff"], reason="補件")
    issued = apply()
    services.centre_approve(application=issued, actor=users["centre_staff"])
    card = services.final_approve(application=issued, actor=users["card_reviewer"])
    batch = PrintBatch.objects.create(unit=unit, created_by=officer, total=1, status="done")
    batch.cards.set([card])
    batch.pdf.save("b.pdf", photo(), save=True)
    from honorcards import corrections

    record = card.service_records.order_by("pk").first()
    correction = corrections.request_correction(
        record=record, actor=officer, reason="誤植", hours=record.hours + 1
    )
    return {
        "honorcards_token": {"token": card.token},
        "honorcards_volunteer": {"volunteer_id": eligible_volunteer(unit).pk},
        "honorcards_application": {"pk": application.pk},
        "honorcards_returned": {"pk": returned.pk},
        "honorcards_image": {"pk": application.pk, "which": "photo"},
        "honorcards_card": {"number": card.number},
        "honorcards_batch": {"pk": batch.pk},
        "honorcards_api_volunteer": {"pk": application.volunteer_id},
        "honorcards_correction": {"pk": correction.pk},
    }
