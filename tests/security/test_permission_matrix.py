"""Every URL of the project × every role (and anonymous) → the expected answer.

The list of URLs comes from the URL configuration: a new URL without a rule here fails
`test_every_url_has_a_rule`, so nobody adds a page without deciding who may open it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from core import portal
from disclosure.models import CommitteeMeeting
from disclosure.services import record_spending
from donations import goods as goods_services
from donations import guest_links
from donations import services as donation_services
from donations.models import StatementImport
from programs import services as program_services
from programs.models import ProgramStatus
from tests.accounts.factories import OrganisationFactory, make_user
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, OfferFactory, ProgramFactory, ServiceNeedFactory
from tests.security.matrix import ROLES, all_url_names, only, public, signed_in
from tests.security.test_uploads import PDF as VOUCHER_PDF

# Each app of the registry (settings.PORTAL_APPS) may keep its rules in tests/security/matrix_<app>.py:
# RULES (same shape as below) and world_args(users) -> {arg_key: url kwargs} (arg keys prefixed with
# the app's name). They are found by that name (core.portal.matrix_modules).
EXTENSIONS = portal.matrix_modules()

PLEDGE_VIEWERS = only(
    Role.DONOR, Role.CASEWORKER, Role.SW_REVIEWER, Role.COMMITTEE, Role.SITE_ADMIN, others=404, anonymous=404
)
# Refunds and corrections: sign-in first (login_required), then the pledge must be visible, then the role.
REFUNDERS = {
    **only(Role.SW_REVIEWER, Role.SITE_ADMIN, others=404),
    "donor": 403,
    "caseworker": 403,
    "committee": 403,
}
OVERSIGHT = (Role.SW_REVIEWER, Role.COMMITTEE, Role.SITE_ADMIN)

# name → (url arguments from the world, expected status per role for a GET)
RULES = {
    "core:home": (None, public()),
    "core:privacy": (None, public()),
    "core:sitemap": (None, public()),
    "core:accessibility": (None, public()),
    "core:switch_language": (None, public(302)),
    "healthz": (None, public()),
    # Prometheus text for site admins (a scraper uses METRICS_TOKEN); to anyone else it does not exist.
    "metrics": (None, only(Role.SITE_ADMIN, others=404, anonymous=404)),
    "audit:list": (None, only(Role.SITE_ADMIN, Role.COMMITTEE)),
    "audit:task_failures": (None, only(Role.SITE_ADMIN)),
    "programs:list": (None, public()),
    "programs:detail": ("published", public()),
    "programs:make_offer": ("published", signed_in()),
    "programs:make_free_offer": (None, signed_in()),
    "programs:my_offers": (None, signed_in()),
    "programs:workspace": (None, only(Role.CASEWORKER)),
    "programs:create": (None, only(Role.CASEWORKER)),
    "programs:edit": ("draft", only(Role.CASEWORKER)),
    "programs:submit": ("draft", public(405)),
    "programs:close": ("published", only(Role.CASEWORKER)),
    "programs:post_update": ("published", only(Role.CASEWORKER)),
    "programs:review_queue": (None, only(Role.SW_REVIEWER)),
    "programs:review": ("submitted", only(Role.SW_REVIEWER)),
    "programs:offer": ("goods_offer", only(Role.CASEWORKER)),
    "donations:dashboard": (None, signed_in()),
    "donations:give": (None, public()),
    "donations:stop_monthly": ("recurring", signed_in(405)),
    "donations:pledge": ("pledge", PLEDGE_VIEWERS),
    "donations:checkout": ("pending", PLEDGE_VIEWERS),
    "donations:refund": ("pledge", REFUNDERS),
    "donations:correct_receipt": ("pledge", REFUNDERS),
    "donations:receipt_pdf": ("receipt", PLEDGE_VIEWERS),
    "donations:staff_list": (None, only(Role.CASEWORKER, *OVERSIGHT)),
    "donations:offline_gift": (None, only(Role.SW_REVIEWER, Role.SITE_ADMIN)),
    "donations:statement_import": (None, only(Role.SW_REVIEWER, Role.SITE_ADMIN)),
    "donations:statement": ("statement", only(*OVERSIGHT)),
    "donations:tax_export": ("roc_year", only(Role.SW_REVIEWER, Role.SITE_ADMIN)),
    "donations:annual_receipt": ("roc_year", {**signed_in(404), "donor": 200}),
    "donations:guest_access": ("guest_token", public(302)),  # a signed link: anyone holding it
    "programs:confirm_subscription": ("subscription_token", public()),
    "programs:unsubscribe": ("subscription_token", public()),
    "donations:program_donors": ("published", only(Role.CASEWORKER, *OVERSIGHT, others=404)),
    "donations:receive_goods": ("delivered_offer", only(Role.CASEWORKER)),
    "donations:service_delivery": ("service_offer", only(Role.CASEWORKER)),
    "donations:goods_list": (None, only(Role.CASEWORKER, *OVERSIGHT)),
    "donations:goods_detail": ("goods", only(Role.CASEWORKER, *OVERSIGHT)),
    "donations:goods_receipt_pdf": ("goods", only(Role.DONOR, Role.CASEWORKER, *OVERSIGHT, others=404)),
    "payments:ecpay_notify": (None, public(405)),
    "payments:ecpay_payment_info": (None, public(405)),
    "payments:ecpay_period": (None, public(405)),
    "payments:sandbox": (None, public(405)),
    "payments:sandbox_act": (None, public(405)),
    "payments:sandbox_vouchers": (None, public()),  # the sandbox gateway's back office (development only)
    "payments:sandbox_query": (None, public(405)),
    "payments:sandbox_period_action": (None, public(405)),
    "disclosure:index": (None, public()),
    "disclosure:month": ("month", public()),
    "disclosure:income_csv": ("month", public()),
    "disclosure:goods_csv": ("month", public()),
    "disclosure:spending_csv": ("month", public()),
    "disclosure:xlsx": ("month", public()),
    "disclosure:pdf": ("month", public()),
    "disclosure:spending_new": (None, only(Role.CASEWORKER)),
    "disclosure:spending_queue": (None, only(Role.SW_REVIEWER)),
    "disclosure:spending_attachment": ("spending", only(Role.SW_REVIEWER, Role.CASEWORKER)),
    "disclosure:build": (None, only(Role.SW_REVIEWER, Role.SITE_ADMIN)),
    "disclosure:committee": (None, only(*OVERSIGHT)),
    "disclosure:meeting_new": (None, only(Role.SW_REVIEWER, Role.SITE_ADMIN, code=302)),
    "disclosure:meeting_sign_off": ("meeting", only(Role.COMMITTEE, code=403)),
    "api-disclosure-month": ("api_month", public()),
    "api-schema": (None, public()),
    "api-docs": (None, public()),
}
for _extension in EXTENSIONS:
    RULES.update(_extension.RULES)


def test_every_url_has_a_rule():
    missing = all_url_names() - set(RULES)
    assert not missing, f"URLs without a permission rule: {sorted(missing)}"
    assert not set(RULES) - all_url_names(), "rules for URLs that no longer exist"


@pytest.fixture
def world(db):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="矩陣測試局")
    users = {role.value: make_user(role) for role in Role}
    users["caseworker"].organisation = bureau
    users["caseworker"].save()
    caseworker, donor = users["caseworker"], users["donor"]
    published = ProgramFactory(bureau=bureau, published=True, created_by=caseworker)
    draft = ProgramFactory(bureau=bureau, created_by=caseworker)
    submitted = ProgramFactory(bureau=bureau, created_by=caseworker, status=ProgramStatus.SUBMITTED)
    need = GoodsNeedFactory(program=published, quantity=100)
    goods_offer = OfferFactory(goods_need=need, quantity=5)
    delivered = OfferFactory(goods_need=need, quantity=10, donor=donor)
    program_services.accept_offer(offer=delivered, actor=caseworker)
    program_services.record_offer_delivery(offer=delivered, actor=caseworker)
    goods_offer_2 = OfferFactory(goods_need=need, quantity=3, donor=donor)
    program_services.accept_offer(offer=goods_offer_2, actor=caseworker)
    program_services.record_offer_delivery(offer=goods_offer_2, actor=caseworker)
    goods = goods_services.receive_goods(
        offer=goods_offer_2, actor=caseworker, quantity=3, condition="全新", unit_value=10
    )
    service = program_services.make_offer(
        donor=donor,
        kind="service",
        service_need=ServiceNeedFactory(program=published),
        item="陪伴",
        quantity=2,
        unit="小時",
    )
    program_services.accept_offer(offer=service, actor=caseworker)
    pledge = PledgeFactory(program=published, donor=donor, guest_email="")
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    pending = PledgeFactory(program=published, donor=donor, guest_email="")
    recurring = donation_services.start_monthly_gift(
        pledge=PledgeFactory(program=published, donor=donor, guest_email="")
    )
    statement = StatementImport.objects.create(uploaded_by=users["sw_reviewer"], filename="s.csv")
    meeting = CommitteeMeeting.objects.create(
        held_on=timezone.localdate(),
        title="會議",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        recorded_by=users["sw_reviewer"],
    )
    today = timezone.localdate()
    spending = record_spending(
        actor=caseworker,
        program=published,
        spent_on=today,
        item="餐盒",
        amount=100,
        payee_type="vendor",
        voucher_number="V-1",
        attachment=SimpleUploadedFile("v.pdf", VOUCHER_PDF),
    )
    # the month in progress is shown provisional (never built as a version)
    args = {
        None: {},
        "published": {"pk": published.pk},
        "draft": {"pk": draft.pk},
        "submitted": {"pk": submitted.pk},
        "goods_offer": {"pk": goods_offer.pk},
        "delivered_offer": {"pk": delivered.pk},
        "service_offer": {"pk": service.pk},
        "goods": {"pk": goods.pk},
        "pledge": {"trade_no": pledge.merchant_trade_no},
        "pending": {"trade_no": pending.merchant_trade_no},
        "receipt": {"number": pledge.receipts.get().number},
        "recurring": {"pk": recurring.pk},
        "statement": {"pk": statement.pk},
        "meeting": {"pk": meeting.pk},
        "spending": {"pk": spending.pk},
        "roc_year": {"roc_year": today.year - 1911},
        "month": {"year": today.year, "month": today.month},
        "api_month": {"year": str(today.year), "month": f"{today.month:02d}"},
        "guest_token": {"token": guest_links.token_for(PledgeFactory(program=published))},
        "subscription_token": {"token": "not-a-valid-token"},
    }
    for extension in EXTENSIONS:
        args.update(extension.world_args(users))
    return {"users": users, "args": args}


def test_each_url_answers_each_role_as_expected(client, world):
    wrong = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        for name, (arg_key, expected) in sorted(RULES.items()):
            url = reverse(name, kwargs=world["args"][arg_key])
            status = client.get(url).status_code
            if status != expected[role]:
                wrong.append(f"{role:14} {name:32} {url}: got {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


# --- The admin and every login door ---------------------------------------------------------------
# Django's admin and allauth's pages are not in RULES (their URLs come from those packages); what
# each role gets at their doors is decided here. "superuser" is a site admin with Django's staff
# flags, the only person the admin lets in; every staff session here has passed the second factor.
DOOR_ROLES = [*ROLES, "superuser"]
ADMIN_ONLY = dict.fromkeys(DOOR_ROLES, 302) | {"superuser": 200}
SIGNED_OUT_ONLY = dict.fromkeys(DOOR_ROLES, 302) | {"anonymous": 200}
DOORS = {
    "/admin/": ADMIN_ONLY,
    "/admin/accounts/user/": ADMIN_ONLY,
    "/admin/audit/auditevent/": ADMIN_ONLY,
    # The admin's login form is allauth's: anonymous visitors are sent there, signed-in people who are
    # not admins are refused, the admin goes on to the admin.
    "/admin/login/": dict.fromkeys(DOOR_ROLES, 403) | {"anonymous": 302, "superuser": 302},
    "/accounts/login/": SIGNED_OUT_ONLY,
    "/accounts/signup/": SIGNED_OUT_ONLY,
    "/accounts/password/reset/": dict.fromkeys(DOOR_ROLES, 200),
    # The code step only exists in the middle of a sign-in.
    "/accounts/2fa/authenticate/": dict.fromkeys(DOOR_ROLES, 302),
    "/accounts/2fa/": dict.fromkeys(DOOR_ROLES, 200) | {"anonymous": 302},
}


def test_the_admin_and_every_login_door_answer_each_role_as_expected(client, world, make_user):
    users = {**world["users"], "superuser": make_user(Role.SITE_ADMIN, is_staff=True, is_superuser=True)}
    wrong = []
    for role in DOOR_ROLES:
        for url, expected in DOORS.items():
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            status = client.get(url).status_code
            if status != expected[role]:
                wrong.append(f"{role:14} {url}: got {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


def test_no_staff_page_opens_for_a_session_that_skipped_the_second_factor(client, world):
    """Signed in by a password alone (`client.login`, no allauth MFA stage): every staff role is
    signed out at the first page of the matrix it could otherwise open."""
    from accounts.roles import STAFF_ROLES
    from tests.accounts.factories import PASSWORD

    wrong = []
    for role in sorted(STAFF_ROLES):
        user = world["users"][role]
        for name, (arg_key, expected) in sorted(RULES.items()):
            if expected["anonymous"] == 200 or expected[role] != 200:
                continue
            assert client.login(email=user.email, password=PASSWORD)
            url = reverse(name, kwargs=world["args"][arg_key])
            response = client.get(url)
            if response.status_code == 200 or "_auth_user_id" in client.session:
                wrong.append(f"{role:14} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
