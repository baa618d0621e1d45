"""Program pages in a real browser: accessible at desktop and phone widths, usable by keyboard."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.roles import OrganisationKind, Role
from programs.constants import DEFAULT_CATEGORIES
from tests.accounts.factories import OrganisationFactory, make_user, mark_second_factor_passed
from tests.e2e.conftest import assert_accessible
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, ServiceNeedFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories():
    # Transactional tests flush the tables, including the categories a migration installs.
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)


def sign_in(page, live_server, user):
    """Give the browser a session for `user` (the login form itself is tested elsewhere)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # A finished sign-in: with an authenticator that includes the second factor (as force_login does).
    if Authenticator.objects.filter(user=user).exists():
        mark_second_factor_passed(session, user)
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )


@pytest.fixture
def published():
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局測試")
    program = ProgramFactory(
        bureau=bureau, published=True, title="獨居長者送餐服務", money_target=10000, money_raised=2500
    )
    GoodsNeedFactory(program=program, item="保溫餐盒")
    ServiceNeedFactory(program=program)
    return program


def test_catalogue_and_program_page_are_accessible(live_server, page, published):
    page.goto(live_server.url + "/programs/")
    expect(page.get_by_role("heading", name="獨居長者送餐服務")).to_be_visible()
    assert_accessible(page, label="catalogue")
    page.get_by_label("關鍵字").fill("送餐")
    page.get_by_label("關鍵字").press("Enter")
    expect(page.get_by_role("link", name="獨居長者送餐服務")).to_be_visible()
    page.get_by_role("link", name="獨居長者送餐服務").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("獨居長者送餐服務")
    assert_accessible(page, label="program page")


def test_a_caseworker_drafts_a_program_with_the_keyboard_and_a_reviewer_publishes_it(live_server, page):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府教育局測試")
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    reviewer = make_user(Role.SW_REVIEWER)
    sign_in(page, live_server, caseworker)
    page.goto(live_server.url + "/programs/new/")
    assert_accessible(page, label="program form")
    page.get_by_label("類別").select_option(label="老人福利")
    page.get_by_label("方案名稱").fill("長者健康講座")
    page.get_by_label("摘要").fill("社區長者健康講座")
    page.get_by_label("方案說明").fill("每月一次")
    page.get_by_label("服務對象").fill("社區長者")
    page.get_by_label("開始日期").fill("2026-12-01")
    page.get_by_label("結束日期").fill("2027-06-30")
    page.get_by_label("聯絡人").fill("林承辦")
    page.get_by_label("聯絡電話").fill("02-2720-8889")
    page.get_by_label("募款目標（元）").fill("30000")
    page.get_by_label("募款目標（元）").press("Enter")  # submit with the keyboard
    expect(page.get_by_text("方案已儲存。")).to_be_visible()
    page.get_by_role("button", name="送審").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("方案已送社會局審核。")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + "/programs/review/")
    page.get_by_role("link", name="長者健康講座").click()
    assert_accessible(page, label="review page")
    page.get_by_role("button", name="核准公開").click()
    expect(page.get_by_text("已核准公開「長者健康講座」。")).to_be_visible()

    page.context.clear_cookies()
    page.goto(live_server.url + "/programs/?q=健康講座")
    expect(page.get_by_role("link", name="長者健康講座")).to_be_visible()
