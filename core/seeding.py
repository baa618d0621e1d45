"""The demo data framework behind ``manage.py seed_demo``.

Each app that has demo data offers ``<app>/seed.py`` with ``seed(ctx: SeedContext) -> None``.
Seeders run in the order of ``settings.PORTAL_APPS`` (``core/portal.py``; later ones build on
earlier ones), each in its own transaction, and must be idempotent: running ``seed_demo`` twice
changes nothing the second time.
They add demo accounts to ``ctx.accounts`` and sample identifiers to ``ctx.samples``; both are
printed at the end (``--json`` prints them as JSON for scripts).
"""

from dataclasses import dataclass, field

from core import portal

DEMO_PASSWORD = "goodday-demo"
# Staff must use two-factor sign-in. Demo staff share this authenticator secret, so anyone trying
# the demo can add it to an authenticator app or run `python manage.py demo_totp` for a code.
DEMO_TOTP_SECRET = "GOODDAYDEMOTOTPSECRETGOODDAYDEMO"
DEMO_EMAIL_DOMAIN = "demo.goodday.tw"


@dataclass
class SeedContext:
    scale: int = 1
    log: callable = print
    accounts: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict)

    def add_account(self, role: str, user, *, totp: bool = False) -> None:
        entry = {"email": user.email, "password": DEMO_PASSWORD}
        if totp:
            entry["totp_secret"] = DEMO_TOTP_SECRET
        self.accounts[role] = entry


def seeders():
    for app, module in portal.seed_modules():
        yield app, module.seed


def fake_national_id(n: int, *, sex: str = "F") -> str:
    """A checksum-valid, made-up national ID number for demo and test people (the n-th one)."""
    from core.validators import _LETTER_CODES, _WEIGHTS

    letters = sorted(_LETTER_CODES)
    first = letters[(n // 10_000_000) % len(letters)]
    second = 2 if sex == "F" else 1
    body = f"{n % 10_000_000:07d}"
    code = _LETTER_CODES[first]
    total = code // 10 + (code % 10) * 9 + second * _WEIGHTS[0]
    total += sum(int(d) * w for d, w in zip(body, _WEIGHTS[1:], strict=True))
    return f"{first}{second}{body}{(10 - total % 10) % 10}"
