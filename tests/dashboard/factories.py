from decimal import Decimal

import factory

from accounts.roles import OrganisationKind
from dashboard.models import DropOffPoint, PointRole
from tests.accounts.factories import OrganisationFactory


class DropOffPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropOffPoint

    name = factory.Sequence(lambda n: f"物資收件點{n}")
    role = PointRole.DROPOFF
    bureau = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.BUREAU)
    address = "臺北市信義區市府路1號"
    latitude = Decimal("25.037531")
    longitude = Decimal("121.563731")
    goods_accepted = "白米、罐頭"
    opening_hours = "週一至週五 9:00–17:00"
