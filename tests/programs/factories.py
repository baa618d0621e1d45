import datetime

import factory
from django.utils import timezone

from accounts.roles import OrganisationKind
from programs.constants import DEFAULT_CATEGORIES
from programs.models import Category, GoodsNeed, Offer, OfferKind, Program, ProgramStatus, ServiceNeed
from tests.accounts.factories import OrganisationFactory, UserFactory


def today():
    return timezone.localdate()


def category(slug: str = "children") -> Category:
    """A standard category (installed by a migration, re-created if a transactional test flushed it)."""
    name, _, sensitive = next(c for c in DEFAULT_CATEGORIES if c[1] == slug)
    return Category.objects.get_or_create(slug=slug, defaults={"name": name, "is_sensitive": sensitive})[0]


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"類別{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    bureau = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.BUREAU)
    category = factory.LazyFunction(category)
    title = factory.Sequence(lambda n: f"測試方案{n}")
    summary = "協助需要幫助的市民"
    description = "方案說明"
    beneficiaries = "弱勢家庭"
    beneficiaries_count = 10
    place = "臺北市中正區"
    starts_on = factory.LazyFunction(today)
    ends_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=60))
    contact_name = "承辦人"
    contact_phone = "02-1234-5678"
    money_target = 100000
    status = ProgramStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            status=ProgramStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class GoodsNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodsNeed

    program = factory.SubFactory(ProgramFactory)
    item = "白米"
    quantity = 100
    unit = "包"
    unit_value = 300
    deadline = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))


class ServiceNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceNeed

    program = factory.SubFactory(ProgramFactory)
    description = "送餐志工"
    people = 5
    hours = 20
    when = "每週六"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    donor = factory.SubFactory(UserFactory)
    kind = OfferKind.GOODS
    goods_need = factory.SubFactory(GoodsNeedFactory, program__status=ProgramStatus.PUBLISHED)
    program = factory.SelfAttribute("goods_need.program")
    item = "白米"
    quantity = 10
    unit = "包"
