"""Two officers accepting the last place at the same moment: one is accepted, the other refused
(the opportunity's row is locked while places are counted). Two threads on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from opportunities import applications
from opportunities.models import Application, ApplicationStatus
from tests.opportunities.factories import citizen, identity, open_opportunity
from tests.volunteers.factories import officer_of


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_the_last_place_at_once_accept_one():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    opportunity = open_opportunity(capacity=1)
    colleague = officer_of(opportunity.unit)
    first = applications.apply(opportunity=opportunity, user=citizen(), **identity(1))
    second = applications.apply(opportunity=opportunity, user=citizen(email="b@example.org"), **identity(2))
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(application, actor):
        try:
            barrier.wait()
            applications.decide(application=application, actor=actor, action="accept")
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=accept, args=(first, opportunity.officer)),
        threading.Thread(target=accept, args=(second, colleague)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 1
