"""Factories for volunteer records. ``UnitFactory(approved=True)`` gives a unit allowed to record hours."""

import datetime
from decimal import Decimal

import factory

from accounts.roles import OrganisationKind, Role
from core.crypto import lookup_hash
from core.seeding import fake_national_id
from core.validators import IdentityKind
from tests.accounts.factories import OrganisationFactory, make_user
from volunteers.models import (
    Award,
    InsurancePolicy,
    Membership,
    PlanStatus,
    ServiceDomain,
    ServicePlan,
    ServiceRecord,
    ServiceRecordSource,
    Training,
    TrainingKind,
    Volunteer,
    VolunteerUnit,
)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerUnit
        skip_postgeneration_save = True

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.VOLUNTEER_UNIT,
        name=factory.Sequence(lambda n: f"測試志工隊{n}"),
        competent_bureau=factory.SubFactory(OrganisationFactory, kind=OrganisationKind.BUREAU),
    )
    main_domain = ServiceDomain.SOCIAL_WELFARE

    @factory.post_generation
    def approved(obj, create, extracted, **kwargs):
        """``UnitFactory(approved=True)``: the unit's plan for this year is approved (it may record hours)."""
        if create and extracted:
            PlanFactory(unit=obj, status=PlanStatus.APPROVED)


def officer_of(unit, **kwargs):
    """A unit officer (with 2FA set up) of ``unit``."""
    return make_user(Role.UNIT_OFFICER, organisation=unit.organisation, **kwargs)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePlan

    unit = factory.SubFactory(UnitFactory)
    year = factory.LazyFunction(lambda: datetime.date.today().year)
    title = factory.LazyAttribute(lambda o: f"{o.year - 1911}年度志願服務計畫")
    service_items = "關懷訪視、活動協助"
    domain = ServiceDomain.SOCIAL_WELFARE
    expected_volunteers = 30
    created_by = factory.LazyAttribute(lambda o: officer_of(o.unit))


_person = iter(range(1, 10**7))


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"志工{n}")
    identity_kind = IdentityKind.NATIONAL_ID
    identity_number = factory.LazyFunction(lambda: fake_national_id(5_000_000 + next(_person)))
    identity_hash = factory.LazyAttribute(lambda o: lookup_hash(o.identity_number))
    birth_date = datetime.date(1970, 5, 17)
    sex = "F"
    record_book_number = factory.Sequence(lambda n: f"北市志字第{n:06d}號")
    record_book_issued_on = datetime.date(2015, 1, 10)
    service_started_on = datetime.date(2015, 2, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    unit = factory.SubFactory(UnitFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    joined_on = datetime.date(2015, 2, 1)
    main_domain = ServiceDomain.SOCIAL_WELFARE


def member_of(unit, **kwargs) -> Volunteer:
    """A volunteer serving in ``unit``."""
    volunteer = VolunteerFactory(**kwargs)
    MembershipFactory(unit=unit, volunteer=volunteer)
    return volunteer


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    unit = factory.SubFactory(UnitFactory)
    served_on = factory.LazyFunction(datetime.date.today)
    hours = Decimal("3.00")
    domain = ServiceDomain.SOCIAL_WELFARE
    activity = "關懷訪視"
    source = ServiceRecordSource.FORM


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    volunteer = factory.SubFactory(VolunteerFactory)
    kind = TrainingKind.BASIC
    title = "志願服務基礎訓練"
    provider = "臺北市志願服務推廣中心"
    completed_on = datetime.date(2015, 1, 5)
    hours = Decimal("12")


def special_training(volunteer, domain=ServiceDomain.SOCIAL_WELFARE, **kwargs) -> Training:
    return TrainingFactory(
        volunteer=volunteer, kind=TrainingKind.SPECIAL, domain=domain, title="社會福利類特殊訓練", **kwargs
    )


class InsurancePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePolicy

    unit = factory.SubFactory(UnitFactory)
    insurer = "富邦產物保險"
    policy_number = factory.Sequence(lambda n: f"P{n:08d}")
    starts_on = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year, 1, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year, 12, 31))


# --- Added for the unit, plan and résumé tests -----------------------------------------------


def centre_staff(**kwargs):
    """A volunteer-centre staff member (first reviewer), with 2FA set up."""
    return make_user(
        Role.CENTRE_STAFF, organisation=OrganisationFactory(kind=OrganisationKind.VOLUNTEER_CENTRE), **kwargs
    )


def bureau_caseworker_of(unit, **kwargs):
    """A caseworker of the unit's competent bureau (second reviewer)."""
    return make_user(Role.CASEWORKER, organisation=unit.organisation.competent_bureau, **kwargs)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    volunteer = factory.SubFactory(VolunteerFactory)
    title = "績優志工服務獎"
    grantor = "臺北市政府社會局"
    awarded_on = datetime.date(2022, 12, 5)
    recorded_by = factory.LazyFunction(lambda: make_user(Role.SITE_ADMIN))
