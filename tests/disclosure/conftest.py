import pytest

from accounts.roles import Role
from tests.donations.conftest import bureau, donor, program, reviewer  # noqa: F401


@pytest.fixture
def caseworker_of_program(make_user, program):  # noqa: F811 (the fixture imported above)
    return make_user(Role.CASEWORKER, organisation=program.bureau)
