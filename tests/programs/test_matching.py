"""Matching goods and service offers to needs, and the over-acceptance race."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse

from audit.models import AuditEvent
from programs import services
from programs.models import GoodsNeed, Offer, OfferStatus
from tests.programs.factories import GoodsNeedFactory, OfferFactory, ProgramFactory, ServiceNeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(bureau):
    return GoodsNeedFactory(program=ProgramFactory(bureau=bureau, published=True), quantity=100, item="白米")


def test_a_donor_offers_goods_and_the_caseworker_accepts_it(
    client, need, donor, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(donor)
    response = client.post(
        reverse("programs:make_offer", args=[need.program.pk]) + f"?goods={need.pk}",
        {"item": "白米", "quantity": 30, "unit": "包", "condition": "全新", "delivery_place": "社會局"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.goods_need, offer.status) == (need, OfferStatus.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_offer(offer=offer, actor=caseworker)
    need.refresh_from_db()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert need.quantity_accepted == 30
    assert donor.email in mailoutbox[-1].to
    assert AuditEvent.objects.filter(action="offer.accepted", target_id=str(offer.pk)).exists()
    # The progress bar on the program page moved.
    client.logout()
    html = client.get(reverse("programs:detail", args=[need.program.pk])).content.decode()
    assert '<progress max="100" value="30"' in html or "已媒合" in html


def test_partly_accepting_records_the_accepted_quantity(need, caseworker):
    offer = OfferFactory(goods_need=need, quantity=40)
    services.accept_offer(offer=offer, actor=caseworker, quantity=25)
    offer.refresh_from_db()
    need.refresh_from_db()
    assert (offer.status, offer.accepted_quantity, need.quantity_accepted) == (
        OfferStatus.PARTLY_ACCEPTED,
        25,
        25,
    )


def test_accepting_more_than_remains_is_refused_and_changes_nothing(need, caseworker):
    services.accept_offer(offer=OfferFactory(goods_need=need, quantity=90), actor=caseworker)
    late = OfferFactory(goods_need=need, quantity=20)
    with pytest.raises(ValidationError, match="尚缺 10"):
        services.accept_offer(offer=late, actor=caseworker)
    late.refresh_from_db()
    need.refresh_from_db()
    assert late.status == OfferStatus.PENDING
    assert need.quantity_accepted == 90


@pytest.mark.parametrize("quantity", [0, -1])
def test_accepting_zero_or_less_is_refused(need, caseworker, quantity):
    with pytest.raises(ValidationError):
        services.accept_offer(offer=OfferFactory(goods_need=need), actor=caseworker, quantity=quantity)


@pytest.mark.parametrize("quantity", [0, -3])
def test_offers_of_zero_or_negative_quantity_are_refused(client, need, donor, quantity):
    client.force_login(donor)
    response = client.post(
        reverse("programs:make_offer", args=[need.program.pk]) + f"?goods={need.pk}",
        {"item": "白米", "quantity": quantity, "unit": "包"},
    )
    assert response.status_code == 200
    assert not Offer.objects.exists()


def test_declining_needs_a_reason(need, caseworker):
    offer = OfferFactory(goods_need=need)
    with pytest.raises(ValidationError):
        services.decline_offer(offer=offer, actor=caseworker, reason="")
    services.decline_offer(offer=offer, actor=caseworker, reason="品項已足夠")
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "品項已足夠")


def test_another_bureaus_caseworker_cannot_decide(client, need, other_caseworker):
    offer = OfferFactory(goods_need=need)
    with pytest.raises(PermissionDenied):
        services.accept_offer(offer=offer, actor=other_caseworker)
    client.force_login(other_caseworker)
    assert client.get(reverse("programs:offer", args=[offer.pk])).status_code == 404


def test_delivery_then_the_offer_waits_for_receipt(need, caseworker):
    offer = OfferFactory(goods_need=need)
    with pytest.raises(PermissionDenied):
        services.record_offer_delivery(offer=offer, actor=caseworker)  # not accepted yet
    services.accept_offer(offer=offer, actor=caseworker)
    services.record_offer_delivery(offer=offer, actor=caseworker)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DELIVERED
    assert offer.delivered_at is not None


def test_a_free_form_offer_is_claimed_by_a_bureau_then_accepted(need, donor, caseworker):
    offer = services.make_offer(donor=donor, kind="goods", item="白米", quantity=5, unit="包")
    assert offer.program is None
    services.claim_offer(offer=offer, actor=caseworker, program=need.program, goods_need=need)
    services.accept_offer(offer=offer, actor=caseworker)
    need.refresh_from_db()
    assert need.quantity_accepted == 5


def test_a_service_offer_is_matched_to_a_service_need(bureau, donor, caseworker):
    service = ServiceNeedFactory(program=ProgramFactory(bureau=bureau, published=True))
    offer = services.make_offer(
        donor=donor, kind="goods", service_need=service, item="送餐", quantity=8, unit="小時"
    )
    assert offer.kind == "service"
    services.accept_offer(offer=offer, actor=caseworker)
    assert Offer.objects.get().status == OfferStatus.ACCEPTED


def test_offers_to_unpublished_programs_are_refused(bureau, donor):
    need = GoodsNeedFactory(program=ProgramFactory(bureau=bureau))
    with pytest.raises(ValidationError):
        services.make_offer(donor=donor, kind="goods", goods_need=need, item="白米", quantity=1, unit="包")


def test_donors_withdraw_only_their_own_pending_offers(client, need, donor, make_user):
    offer = OfferFactory(goods_need=need, donor=donor)
    stranger = make_user()
    client.force_login(stranger)
    assert client.post(reverse("programs:my_offers"), {"offer": offer.pk}).status_code == 404
    client.force_login(donor)
    client.post(reverse("programs:my_offers"), {"offer": offer.pk})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_accepting_at_once_never_exceed_the_need(bureau, caseworker, make_user):
    from accounts.roles import Role

    colleague = make_user(Role.CASEWORKER, organisation=bureau)
    need = GoodsNeedFactory(program=ProgramFactory(bureau=bureau, published=True), quantity=100)
    offers = [OfferFactory(goods_need=need, quantity=60), OfferFactory(goods_need=need, quantity=60)]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(offer, actor):
        try:
            barrier.wait()
            services.accept_offer(offer=offer, actor=actor)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=accept, args=(offers[0], caseworker)),
        threading.Thread(target=accept, args=(offers[1], colleague)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert GoodsNeed.objects.get(pk=need.pk).quantity_accepted == 60


def test_offer_events_are_filed_under_the_deciding_bureau(need, caseworker):
    offer = OfferFactory(goods_need=need)
    services.accept_offer(offer=offer, actor=caseworker)
    event = AuditEvent.objects.get(action="offer.accepted", target_id=str(offer.pk))
    assert event.organisation == need.program.bureau
