import factory

from donations.models import Channel, Pledge, PledgeStatus
from donations.services import new_trade_no
from tests.programs.factories import ProgramFactory


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    program = factory.SubFactory(ProgramFactory, published=True)
    amount = 500
    channel = Channel.CREDIT
    donor_name = "王小明"
    receipt_name = "王小明"
    status = PledgeStatus.PENDING
    merchant_trade_no = factory.LazyFunction(new_trade_no)
    guest_email = "guest@example.tw"
