"""Bad input gets a clear message and nothing is saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from programs.models import GoodsNeed, Program
from tests.programs.factories import category

pytestmark = pytest.mark.django_db


def valid_form(**overrides):
    today = timezone.localdate()
    data = {
        "category": category("children").pk,
        "title": "兒童營養午餐",
        "summary": "午餐",
        "description": "說明",
        "beneficiaries": "學童",
        "beneficiaries_count": 30,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        "contact_name": "林承辦",
        "contact_phone": "02-1234-5678",
        "money_target": 1000,
        "goods-TOTAL_FORMS": 1,
        "goods-INITIAL_FORMS": 0,
        "goods-0-item": "白米",
        "goods-0-quantity": 10,
        "goods-0-unit": "包",
        "goods-0-unit_value": 300,
        "goods-0-deadline": (today + datetime.timedelta(days=30)).isoformat(),
        "services-TOTAL_FORMS": 0,
        "services-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def post(client, caseworker, data):
    client.force_login(caseworker)
    return client.post(reverse("programs:create"), data)


def assert_refused(response, message):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Program.objects.exists()
    assert not GoodsNeed.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="program.").exists()


def test_the_valid_form_saves(client, caseworker):
    assert post(client, caseworker, valid_form()).status_code == 302
    assert Program.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -5])
def test_zero_or_negative_goods_quantity_is_refused(client, caseworker, quantity):
    assert_refused(post(client, caseworker, valid_form(**{"goods-0-quantity": quantity})), "數量必須大於 0")


def test_a_goods_deadline_in_the_past_is_refused(client, caseworker):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert_refused(
        post(client, caseworker, valid_form(**{"goods-0-deadline": yesterday})), "需求截止日不可早於今天"
    )


def test_a_missing_category_is_refused(client, caseworker):
    assert_refused(post(client, caseworker, valid_form(category="")), "請選擇方案類別")


def test_a_negative_money_target_is_refused(client, caseworker):
    response = post(client, caseworker, valid_form(money_target=-100))
    assert response.status_code == 200
    assert not Program.objects.exists()


def test_an_end_before_the_start_is_refused(client, caseworker):
    start = timezone.localdate()
    response = post(client, caseworker, valid_form(ends_on=(start - datetime.timedelta(days=1)).isoformat()))
    assert_refused(response, "結束日期不可早於開始日期")


def test_a_cover_image_that_is_not_an_image_is_refused_by_its_content(client, caseworker):
    fake = SimpleUploadedFile("cover.jpg", b"%PDF-1.4 not really a picture", content_type="image/jpeg")
    response = post(client, caseworker, valid_form(cover_image=fake))
    assert response.status_code == 200
    assert "不是圖片" in response.content.decode()
    assert not Program.objects.exists()


def test_a_real_image_is_re_encoded_and_saved(client, caseworker):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "PNG")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    assert (
        post(client, caseworker, valid_form(cover_image=upload, cover_alt="學童在教室寫作業")).status_code
        == 302
    )
    program = Program.objects.get()
    assert program.cover_alt == "學童在教室寫作業"
    assert program.cover_image.name.endswith(".png")
    with Image.open(program.cover_image.path) as saved:
        assert saved.size == (64, 48)


def test_a_cover_photo_without_alt_text_is_refused_and_nothing_saved(client, caseworker):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "PNG")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    response = post(client, caseworker, valid_form(cover_image=upload))
    assert response.status_code == 200
    assert "上傳照片時請填寫替代文字" in response.content.decode()
    assert not Program.objects.exists()


def test_a_webp_picture_is_refused_because_only_jpeg_png_gif_are_accepted(client, caseworker):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "WEBP")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    response = post(client, caseworker, valid_form(cover_image=upload))
    assert "只接受 JPEG、PNG 或 GIF" in response.content.decode()
    assert not Program.objects.exists()
