import json
from pathlib import Path

import pytest

from donations import ecpay

# ECPay's published CheckMacValue test vectors, copied from the project brief's shared folder so
# the suite does not depend on where the repository is checked out.
VECTORS = json.loads((Path(__file__).with_name("ecpay-checkmacvalue-vectors.json")).read_text())


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["check_mac_value"][:8])
def test_check_mac_value_matches_ecpays_published_vectors(vector):
    got = ecpay.check_mac_value(vector["params"], vector["hash_key"], vector["hash_iv"], vector["method"])
    assert got == vector["check_mac_value"]


def test_the_default_merchant_is_ecpays_test_merchant(settings):
    test = VECTORS["test_merchant"]
    m = ecpay.merchant()
    assert (m.merchant_id, m.hash_key, m.hash_iv) == (test["MerchantID"], test["HashKey"], test["HashIV"])
    assert m.is_test_merchant


def test_php_urlencode_matches_php():
    assert ecpay.php_urlencode("a b~c*d(e)") == "a+b%7Ec%2Ad%28e%29"
    assert ecpay.php_urlencode("測") == "%E6%B8%AC"


def test_signature_check_is_case_insensitive_on_names_and_rejects_tampering():
    signed = ecpay.sign({"MerchantID": "3002607", "TotalAmount": "500", "itemName": "x"})
    assert ecpay.is_signed_correctly(signed)
    assert not ecpay.is_signed_correctly({**signed, "TotalAmount": "5000"})
    assert not ecpay.is_signed_correctly({**signed, "CheckMacValue": "0" * 64})
    assert not ecpay.is_signed_correctly({k: v for k, v in signed.items() if k != "CheckMacValue"})


def test_checkout_params_are_signed_and_carry_the_payment_method():
    from django.utils import timezone

    params = ecpay.checkout_params(
        trade_no="GD0001",
        amount=500,
        created_at=timezone.now(),
        channel="atm",
        item_name="捐款",
        return_url="https://x/notify/",
        payment_info_url="https://x/info/",
        order_result_url="https://x/result/",
        client_back_url="https://x/back/",
    )
    assert params["ChoosePayment"] == "ATM"
    assert params["PaymentInfoURL"] == "https://x/info/"
    assert ecpay.is_signed_correctly(params)
