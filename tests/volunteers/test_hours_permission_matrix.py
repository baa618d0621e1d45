"""This part's permission rules on their own (the project's matrix merges them too)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.security.matrix import ROLES
from tests.security.matrix_volunteers_hours import RULES, world_args

pytestmark = pytest.mark.django_db


def test_each_hours_url_answers_each_role_as_expected(client):
    users = {role.value: make_user(role) for role in Role}
    args = {None: {}, **world_args(users)}
    wrong = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        for name, (arg_key, expected) in sorted(RULES.items()):
            url = reverse(name, kwargs=args[arg_key])
            status = client.get(url).status_code
            if status != expected[role]:
                wrong.append(f"{role:14} {name:32} {url}: got {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
