import pytest

from accounts.roles import OrganisationKind, Role
from tests.accounts.factories import OrganisationFactory


@pytest.fixture
def bureau(db):
    return OrganisationFactory(name="臺北市政府教育局", kind=OrganisationKind.BUREAU)


@pytest.fixture
def other_bureau(db):
    return OrganisationFactory(name="臺北市政府衛生局", kind=OrganisationKind.BUREAU)


@pytest.fixture
def caseworker(make_user, bureau):
    return make_user(Role.CASEWORKER, organisation=bureau, name="林承辦")


@pytest.fixture
def other_caseworker(make_user, other_bureau):
    return make_user(Role.CASEWORKER, organisation=other_bureau, name="王承辦")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.SW_REVIEWER, name="陳審核")


@pytest.fixture
def donor(make_user):
    return make_user(Role.DONOR, name="王小明")
