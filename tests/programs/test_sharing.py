"""Program pages worth sharing: photos with alt text, Open Graph and Twitter cards with absolute
URLs, plain share links, schema.org data, the A4 poster with a QR code, and the feeds."""

import io
import json
import re
import shutil
import subprocess
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from programs import services
from programs.models import Program, ProgramUpdate
from tests.programs.factories import GoodsNeedFactory, ProgramFactory

pytestmark = pytest.mark.django_db
SITE = "https://goodday.example.gov.tw"


def png_upload(name="photo.png", size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def meta(html: str) -> dict:
    tags = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)
    return {key: unescape(value) for key, value in tags}


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return settings


@pytest.fixture
def program(site):
    program = ProgramFactory(
        published=True,
        title="獨居長者送餐",
        summary="每天一份熱便當",
        money_target=200000,
        money_raised=50000,
    )
    program.cover_alt = "志工把便當交給長者"
    program.cover_image.save("cover.png", png_upload(), save=True)
    return program


def test_a_program_page_carries_open_graph_and_twitter_cards_with_absolute_urls(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    tags = meta(html)
    assert tags["og:title"] == "獨居長者送餐"
    assert tags["og:url"] == f"{SITE}/programs/{program.pk}/"
    assert tags["og:image"] == f"{SITE}{program.cover_image.url}"
    assert tags["og:image:alt"] == "志工把便當交給長者"
    assert "NT$50,000" in tags["og:description"] and "25%" in tags["og:description"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    assert f'<img src="{program.cover_image.url}" alt="志工把便當交給長者"' in html


def test_without_photos_the_card_shows_the_portals_default_image(client, site):
    program = ProgramFactory(published=True)
    tags = meta(client.get(program.get_absolute_url()).content.decode())
    assert tags["og:image"].startswith(f"{SITE}/static/") and tags["og:image"].endswith(".png")
    assert tags["og:image:width"] == "1200"


def test_share_links_are_plain_links_to_line_and_facebook_with_the_absolute_url(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    links = [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    line = next(h for h in links if "line.me" in h)
    facebook = next(h for h in links if "facebook.com" in h)
    assert parse_qs(urlparse(line).query)["url"] == [f"{SITE}/programs/{program.pk}/"]
    assert parse_qs(urlparse(facebook).query)["u"] == [f"{SITE}/programs/{program.pk}/"]
    assert f'value="{SITE}/programs/{program.pk}/"' in html  # the link to copy
    # No third-party script and nothing inline but the schema.org data block.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('src="/static/' in attrs or 'type="application/ld+json"' in attrs for attrs in scripts)
    assert 'src="/static/programs/share.js"' in html
    assert " onclick=" not in html and ' style="' not in html


def test_schema_org_markup_names_the_donation_the_organisation_and_the_dates(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    data = json.loads(block)
    page, organisation = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert page["@type"] == "WebPage" and page["url"] == f"{SITE}/programs/{program.pk}/"
    assert organisation["name"] == program.bureau.name
    action = page["potentialAction"]
    assert action["@type"] == "DonateAction"
    assert action["recipient"]["@id"] == organisation["@id"]
    assert action["startTime"] == program.starts_on.isoformat()
    assert action["endTime"] == program.ends_on.isoformat()
    assert action["target"]["urlTemplate"] == f"{SITE}/donations/give/?program={program.pk}"
    assert page["datePublished"]


def test_a_title_cannot_break_out_of_the_schema_org_block(client, site):
    program = ProgramFactory(published=True, title="</script><script>alert(1)</script>")
    html = client.get(program.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert json.loads(block)["@graph"][0]["name"] == program.title
    assert "<script>alert(1)" not in html


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_poster_is_an_a4_pdf_with_the_title_and_a_qr_code_to_the_page(client, program, tmp_path):
    GoodsNeedFactory(program=program, item="保溫餐盒", quantity=50)
    response = client.get(f"/programs/{program.pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    text = pdf_text(data)
    assert "獨居長者送餐" in text and "保溫餐盒" in text and f"{SITE}/programs/{program.pk}/" in text
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89" in info or "A4" in info
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) is not installed")
    (tmp_path / "poster.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "poster.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("p*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == f"{SITE}/programs/{program.pk}/"


def test_no_poster_for_a_program_the_public_cannot_see(client, site):
    draft = ProgramFactory(title="草稿")
    assert client.get(f"/programs/{draft.pk}/poster.pdf").status_code == 404
    assert client.get("/programs/999999/poster.pdf").status_code == 404


def test_the_feeds_list_new_programs_and_updates_with_absolute_links(client, program):
    ProgramUpdate.objects.create(
        program=program,
        posted_on=timezone.localdate(),
        title="第一百份便當",
        body="謝謝",
        posted_by=program.created_by,
    )
    ProgramFactory(title="還在草稿的方案")
    rss = client.get("/programs/feed/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "新方案：獨居長者送餐" in body and "第一百份便當" in body
    assert "還在草稿的方案" not in body
    assert f"<link>{SITE}/programs/{program.pk}/</link>" in body
    atom = client.get("/programs/feed/atom/")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    assert f'href="{SITE}/programs/{program.pk}/#update-' in atom.content.decode()
    for page in ("/", "/programs/"):
        html = client.get(page).content.decode()
        assert (
            'type="application/rss+xml" title="新公開方案與進度更新（RSS）" href="/programs/feed/rss/"'
            in html
        )
        assert 'type="application/atom+xml"' in html


# --- Alt text ---------------------------------------------------------------------------------


def test_an_update_photo_without_alt_text_is_refused_with_a_message(make_user):
    program = ProgramFactory(published=True)
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.post_update(
            program=program,
            actor=caseworker,
            title="x",
            body="x",
            posted_on=timezone.localdate(),
            photo=png_upload(),
            photo_alt="  ",
        )
    assert "替代文字" in str(refused.value)
    assert not ProgramUpdate.objects.exists()
    update = services.post_update(
        program=program,
        actor=caseworker,
        title="x",
        body="x",
        posted_on=timezone.localdate(),
        photo=png_upload(),
        photo_alt="長者領取物資",
    )
    assert update.photo_alt == "長者領取物資"


def test_the_update_form_asks_for_alt_text_with_a_photo(client, make_user):
    program = ProgramFactory(published=True)
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    client.force_login(caseworker)
    url = f"/programs/{program.pk}/updates/new/"
    data = {
        "posted_on": timezone.localdate().isoformat(),
        "title": "進度",
        "body": "內容",
        "beneficiaries_reached": 0,
    }
    refused = client.post(url, {**data, "photo": png_upload()})
    assert refused.status_code == 200
    assert "上傳照片時請填寫替代文字" in refused.content.decode()
    assert not ProgramUpdate.objects.exists()
    accepted = client.post(url, {**data, "photo": png_upload(), "photo_alt": "志工搬運白米"})
    assert accepted.status_code == 302
    assert ProgramUpdate.objects.get().photo_alt == "志工搬運白米"


def test_a_cover_photo_without_alt_text_is_refused(make_user):
    program = ProgramFactory(title="送暖")
    caseworker = make_user(Role.CASEWORKER, organisation=program.bureau)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.update_program(program=program, actor=caseworker, cover_image=png_upload(), cover_alt="")
    assert "cover_alt" in refused.value.message_dict
    services.update_program(program=program, actor=caseworker, cover_image=png_upload(), cover_alt="冬衣")
    assert Program.objects.get(pk=program.pk).cover_alt == "冬衣"


def test_photos_stored_before_alt_text_get_a_description_from_their_titles(program):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("programs.migrations.0004_photo_alt_and_closing_report")
    Program.objects.filter(pk=program.pk).update(cover_alt="")
    update = ProgramUpdate.objects.create(
        program=program, posted_on=timezone.localdate(), title="送達", body="x", posted_by=program.created_by
    )
    ProgramUpdate.objects.filter(pk=update.pk).update(photo="programs/updates/old.png")
    migration.default_alt_text(apps, None)
    assert Program.objects.get(pk=program.pk).cover_alt == "「獨居長者送餐」方案照片"
    assert ProgramUpdate.objects.get(pk=update.pk).photo_alt == "「獨居長者送餐」進度照片：送達"
