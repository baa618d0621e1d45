import pytest

from accounts.roles import OrganisationKind, Role
from tests.accounts.factories import OrganisationFactory
from tests.programs.factories import ProgramFactory


@pytest.fixture
def bureau(db):
    return OrganisationFactory(name="臺北市政府社會局測試", kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)


@pytest.fixture
def program(bureau):
    return ProgramFactory(bureau=bureau, published=True, money_target=100000, title="獨居長者送餐")


@pytest.fixture
def donor(make_user):
    return make_user(Role.DONOR, name="王小明")


@pytest.fixture
def reviewer(make_user, bureau):
    return make_user(Role.SW_REVIEWER, organisation=bureau)
