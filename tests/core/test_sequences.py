"""Gap-free yearly numbers: one upsert per number, the year's row locked until commit."""

import threading

import pytest
from django.db import close_old_connections, transaction

from core.sequences import take_next_number
from donations.models import ReceiptCounter
from honorcards.models import Counter

pytestmark = pytest.mark.django_db


def take(model, year):
    with transaction.atomic():
        return take_next_number(model, year)


def test_each_year_counts_up_from_one_on_its_own():
    assert [take(ReceiptCounter, 115) for _ in range(3)] == [1, 2, 3]
    assert take(ReceiptCounter, 116) == 1
    assert take(ReceiptCounter, 115) == 4
    assert ReceiptCounter.objects.get(roc_year=115).last == 4


def test_each_counter_table_keeps_its_own_numbers():
    take(ReceiptCounter, 115)
    take(ReceiptCounter, 115)
    assert take(Counter, 115) == 1


def test_a_number_taken_in_a_rolled_back_change_is_given_again():
    take(ReceiptCounter, 115)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_next_number(ReceiptCounter, 115) == 2
        raise RuntimeError("the payment failed after the number was taken")
    assert take(ReceiptCounter, 115) == 2


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused():
    # In autocommit the row lock would end with the statement: a later failure would leave a gap.
    with pytest.raises(RuntimeError, match="inside a transaction"):
        take_next_number(ReceiptCounter, 115)
    assert not ReceiptCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_many_takers_at_once_never_share_or_skip_a_number():
    takers, rounds = 6, 10
    barrier = threading.Barrier(takers)
    numbers, errors = [], []

    def taker():
        try:
            barrier.wait()
            for _ in range(rounds):
                numbers.append(take(ReceiptCounter, 115))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=taker) for _ in range(takers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(numbers) == list(range(1, takers * rounds + 1))
