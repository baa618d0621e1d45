"""The honor-card demo data: every application state, every card state, the sample, idempotent."""

import pytest

from accounts import seed as accounts_seed
from core.seeding import SeedContext
from honorcards import seed as honorcards_seed
from honorcards.models import Application, ApplicationStatus, HonorCard

pytestmark = pytest.mark.django_db


def test_the_seed_makes_every_state_once_and_a_working_sample(client):
    ctx = SeedContext(log=lambda *a: None)
    accounts_seed.seed(ctx)
    honorcards_seed.seed(ctx)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.CENTRE_APPROVED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.APPROVED,
    } <= statuses
    assert Application.objects.filter(declared=True).exists()
    states = {card.state for card in HonorCard.objects.all()}
    assert states == {"valid", "expired", "revoked", "replaced"}
    sample = ctx.samples["honor_card"]
    assert set(sample) == {"number", "verify_url", "holder_name", "national_id", "birth_date", "expires_on"}
    page = client.get(sample["verify_url"])
    assert page.status_code == 200 and sample["holder_name"] in page.content.decode()
    counts = (Application.objects.count(), HonorCard.objects.count())
    honorcards_seed.seed(SeedContext(log=lambda *a: None))
    assert (Application.objects.count(), HonorCard.objects.count()) == counts
