"""`manage.py check --deploy`: what a production site must not run with."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def ecpay_is_not_a_test_setup(app_configs, **kwargs):
    # With DEBUG off and no staging declared the settings refuse to load at all; what is left to
    # report is a site that runs on test credentials, declared or in DEBUG.
    from donations.ecpay_test_credentials import problems_with_test_setup

    problems = problems_with_test_setup(
        merchant_id=settings.ECPAY_MERCHANT_ID,
        hash_key=settings.ECPAY_HASH_KEY,
        hash_iv=settings.ECPAY_HASH_IV,
        urls=[settings.ECPAY_CHECKOUT_URL, settings.ECPAY_QUERY_URL, settings.ECPAY_PERIOD_ACTION_URL],
        sandbox=settings.ECPAY_SANDBOX,
    )
    if not problems:
        return []
    return [
        Warning(
            "ECPay runs on a test setup: anyone can sign a payment notification. " + "; ".join(problems),
            hint="Set ECPay's production ECPAY_MERCHANT_ID, ECPAY_HASH_KEY, ECPAY_HASH_IV and URLs "
            "(ECPAY_STAGING_SITE=1 only on a staging site).",
            id="goodday.W001",
        )
    ]
