"""What counts as a test setup of ECPay: the merchants and keys ECPay publishes for testing, its stage
site and our local sandbox. Read by the settings (production refuses to start on them) and by the
deploy check (`check --deploy` reports a staging site running on them). No Django imports: the
settings module imports this before Django is set up."""

from urllib.parse import urlsplit

# From ECPay's developer documentation (all-in-one checkout, credit-card/periodic and 3D test shops).
PUBLISHED_TEST_MERCHANTS = frozenset({"2000132", "2000214", "3002599", "3002607"})
PUBLISHED_TEST_KEYS = frozenset(
    {"5294y06JbISpM5x9", "v77hoKGq4kWxNNIS", "pwFHCqoQZGmho4w6", "EkRm7iFT261dpevs", "spPjZn66i0OhqJsQ"}
    | {"hT5OJckN45isQTTs"}
)


def problems_with_test_setup(*, merchant_id, hash_key, hash_iv, urls, sandbox) -> list[str]:
    problems = []
    if merchant_id in PUBLISHED_TEST_MERCHANTS:
        problems.append(f"ECPAY_MERCHANT_ID {merchant_id} is ECPay's published test merchant")
    if hash_key in PUBLISHED_TEST_KEYS:
        problems.append("ECPAY_HASH_KEY is ECPay's published test key")
    if hash_iv in PUBLISHED_TEST_KEYS:
        problems.append("ECPAY_HASH_IV is ECPay's published test IV")
    for url in urls:
        host = urlsplit(url).hostname or ""
        if "stage" in host or urlsplit(url).scheme != "https":
            problems.append(f"{url} is not ECPay's production site")
    if sandbox:
        problems.append("ECPAY_SANDBOX (the local sandbox gateway) is on")
    return problems
