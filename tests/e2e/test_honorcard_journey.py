"""The honor card's whole path in a real browser: check → apply (one and many) → first review →
return → resubmit → second review → card PDF → scan the QR → public check page; batch print;
reprint; revoke. Every page passes axe-core at desktop and phone widths."""

import datetime
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from honorcards.models import Application, HonorCard
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_programs_pages import sign_in
from tests.honorcards.factories import World, eligible_volunteer, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def scan(pdf: bytes, tmp_path) -> str:
    (tmp_path / "card.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "card.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page_png = next(tmp_path.glob("page*.png"))
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page_png)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_whole_honor_card_path(live_server, page, tmp_path, settings):
    settings.SITE_URL = live_server.url
    world = World()
    one = eligible_volunteer(world.unit, name="李大明")
    many = [eligible_volunteer(world.unit, name=n) for n in ("陳淑華", "林志偉")]

    # The unit checks a volunteer and applies for one, uploading the photo.
    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/honor-cards/volunteers/{one.pk}/check/")
    expect(page.get_by_role("heading", name="榮譽卡資格檢核：李大明")).to_be_visible()
    expect(page.get_by_text("符合資格").first).to_be_visible()
    assert_accessible(page, label="eligibility check")
    page.get_by_role("link", name="為此志工申請榮譽卡").click()
    assert_accessible(page, label="application form")
    (tmp_path / "renamed.jpg").write_bytes(b"%PDF-1.4 not an image")
    page.get_by_label("大頭照").set_input_files(str(tmp_path / "renamed.jpg"))
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_text("只接受 JPEG、PNG 或 GIF").first).to_be_visible()
    (tmp_path / "me.png").write_bytes(image_bytes())
    page.get_by_label("大頭照").set_input_files(str(tmp_path / "me.png"))
    page.get_by_role("button", name="送出申請").click()
    expect(page.get_by_text("待志推中心初審").first).to_be_visible()

    # …and for many at once from the eligible list.
    page.goto(f"{live_server.url}/honor-cards/eligible/")
    assert_accessible(page, label="eligible list")
    for volunteer in many:
        page.get_by_label(f"申請 {volunteer.name}").check()
    page.get_by_role("button", name="為勾選的志工送出申請").click()
    expect(page.get_by_text("已送出 2 件申請")).to_be_visible()
    assert_accessible(page, label="applications")

    # The centre returns the first case with the keyboard, the unit corrects it.
    application = Application.objects.get(volunteer=one)
    sign_in(page, live_server, world.centre)
    page.goto(f"{live_server.url}/honor-cards/queue/")
    assert_accessible(page, label="centre queue")
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    assert_accessible(page, label="review screen")
    page.keyboard.press("Alt+Shift+R")
    page.keyboard.type("照片請換成正面半身照")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("已退回申請單位補正")).to_be_visible()

    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    expect(page.get_by_text("照片請換成正面半身照")).to_be_visible()
    page.get_by_role("link", name="補正後重新送出").click()
    page.get_by_label("大頭照").set_input_files(str(tmp_path / "me.png"))
    page.get_by_role("button", name="補正後重新送出").click()
    expect(page.get_by_text("已補正並重新送出")).to_be_visible()

    # The centre approves (Alt+Shift+A), the bureau approves: the card is issued.
    sign_in(page, live_server, world.centre)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    page.keyboard.press("Alt+Shift+A")
    expect(page.get_by_text("初審通過，已送社會局複審")).to_be_visible()
    sign_in(page, live_server, world.reviewer)
    page.goto(f"{live_server.url}/honor-cards/applications/{application.pk}/")
    page.get_by_role("button", name="核准並核發").click()
    expect(page.get_by_text("已核發榮譽卡")).to_be_visible()
    card = HonorCard.objects.get(volunteer=one)

    # The unit downloads the PDF; its QR code opens the public check page.
    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/honor-cards/cards/{card.number}/")
    assert_accessible(page, label="card page")
    pdf = page.request.get(f"{live_server.url}/honor-cards/cards/{card.number}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    if shutil.which("zbarimg"):
        url = scan(pdf.body(), tmp_path)
        assert url == card.verify_url
    else:
        url = card.verify_url
    visitor = page.context.browser.new_page()
    visitor.goto(url)
    expect(visitor.get_by_text("李大明")).to_be_visible()
    expect(visitor.get_by_role("status")).to_contain_text("有效")
    assert one.identity_number not in visitor.content()
    assert_accessible(visitor, label="public check page")

    # Batch print with its progress bar, for the other two once issued.
    for other in Application.objects.exclude(pk=application.pk):
        from honorcards import services

        services.centre_approve(application=other, actor=world.centre)
        services.final_approve(application=other, actor=world.reviewer)
    page.goto(f"{live_server.url}/honor-cards/cards/")
    assert_accessible(page, label="cards list")
    page.get_by_label("全選").check()
    page.get_by_role("button", name="將勾選的卡合併成一份 PDF（A4）").click()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="下載 PDF")).to_be_visible(timeout=30_000)
    assert_accessible(page, label="batch")
    batch = page.request.get(
        live_server.url + page.get_by_role("link", name="下載 PDF").get_attribute("href")
    )
    assert batch.ok and batch.body().startswith(b"%PDF")

    # A lost card is reprinted: the same PDF again, any time.
    assert page.request.get(f"{live_server.url}/honor-cards/cards/{card.number}/pdf/").ok

    # The bureau revokes it; the check page says so.
    sign_in(page, live_server, world.reviewer)
    page.goto(f"{live_server.url}/honor-cards/cards/{card.number}/")
    page.get_by_role("link", name="註銷").click()
    page.get_by_label("註銷原因").fill("持卡人資格經查不符")
    page.get_by_role("button", name="確認註銷").click()
    expect(page.get_by_text("已註銷").first).to_be_visible()
    visitor.goto(url)
    expect(visitor.get_by_role("status")).to_contain_text("已註銷")
    assert card.expires_on > datetime.date.today()
