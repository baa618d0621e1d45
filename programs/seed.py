"""Demo programs: about 30 across categories, bureaus and statuses, with needs, offers and updates."""

import datetime
import random

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.seed import BUREAUS, SOCIAL_WELFARE, ensure_user
from core.seeding import DEMO_EMAIL_DOMAIN

from .constants import DEFAULT_CATEGORIES
from .models import (
    Category,
    GoodsNeed,
    Offer,
    OfferStatus,
    Program,
    ProgramStatus,
    ProgramUpdate,
    ServiceNeed,
)

# (title, category slug, bureau index (-1 = 社會局), money target, goods [(item, qty, unit, value)], services)
PROGRAMS = [
    ("弱勢家庭兒童寒冬送暖", "children", -1, 300000, [("兒童羽絨外套", 200, "件", 800)], []),
    (
        "偏鄉學童課後輔導",
        "children",
        0,
        500000,
        [("二手筆記型電腦", 40, "台", 6000)],
        [("課業陪讀志工", 20, 160)],
    ),
    ("兒少安置機構營養午餐", "children", -1, 400000, [("白米", 300, "包", 350)], []),
    ("單親媽媽就業培力", "women", 2, 250000, [], [("職涯諮詢", 5, 40)]),
    ("婦女緊急生活扶助", "women", -1, 200000, [("衛生用品組", 150, "組", 300)], []),
    ("獨居長者送餐服務", "elderly", -1, 600000, [("保溫餐盒", 500, "個", 150)], [("送餐志工", 30, 300)]),
    ("長者健康促進講座", "elderly", 1, 120000, [], [("量血壓志工", 10, 40)]),
    (
        "社區長者共餐據點設備",
        "elderly",
        3,
        350000,
        [("電鍋", 40, "台", 1800), ("餐桌椅組", 20, "組", 3500)],
        [],
    ),
    ("身心障礙者輔具補助", "disability", -1, 800000, [("輪椅", 60, "台", 5500)], []),
    ("視障者有聲書錄製", "disability", 4, 150000, [], [("錄音志工", 15, 120)]),
    ("身障就業職場體驗", "disability", 2, 180000, [], []),
    ("低收入戶年節物資", "vulnerable", -1, 0, [("年節禮盒", 500, "盒", 600), ("食用油", 400, "瓶", 180)], []),
    ("物資銀行常態補給", "vulnerable", -1, 0, [("罐頭", 2000, "罐", 45), ("泡麵", 1500, "箱", 320)], []),
    ("弱勢家庭水電修繕", "vulnerable", 3, 300000, [], [("水電師傅", 8, 64)]),
    ("街友冬令夜宿站", "homeless", -1, 250000, [("睡袋", 300, "個", 700), ("毛毯", 300, "條", 400)], []),
    ("街友沐浴與理髮服務", "homeless", -1, 90000, [], [("義剪志工", 6, 48)]),
    ("街友就業媒合", "homeless", 2, 160000, [], []),
    ("颱風災民緊急救助", "emergency", -1, 1000000, [("礦泉水", 3000, "箱", 120)], []),
    ("火災受災戶生活重建", "emergency", -1, 600000, [("家電組", 20, "組", 15000)], []),
    ("急難家庭短期安置", "emergency", 5, 400000, [], []),
    ("家暴被害人緊急庇護", "domestic-violence", -1, 500000, [("生活用品包", 120, "包", 500)], []),
    ("家暴目睹兒少心理輔導", "domestic-violence", -1, 300000, [], []),
    (
        "新住民中文學習班",
        "new-immigrants",
        0,
        120000,
        [("中文教材", 200, "本", 250)],
        [("中文教學志工", 12, 96)],
    ),
    ("新住民親子共讀", "new-immigrants", 4, 80000, [("繪本", 500, "本", 200)], []),
    ("新住民家庭關懷訪視", "new-immigrants", -1, 150000, [], [("通譯志工", 6, 60)]),
    ("社區防疫物資整備", "other", 1, 200000, [("口罩", 20000, "片", 3)], []),
    ("公園無障礙設施改善", "other", 3, 700000, [], []),
    ("兒童醫療照護基金", "children", 1, 900000, [], []),
    ("長照家庭喘息服務", "elderly", 1, 450000, [], [("陪伴志工", 20, 200)]),
    ("弱勢學生獎助學金", "vulnerable", 0, 500000, [], []),
]
# Spread of statuses: most published (so the catalogue has content), a few of every other state.
STATUS_BY_INDEX = {
    3: ProgramStatus.DRAFT,
    10: ProgramStatus.SUBMITTED,
    16: ProgramStatus.SUBMITTED,
    19: ProgramStatus.RETURNED,
    26: ProgramStatus.CLOSED,
    27: ProgramStatus.CLOSED,
}
TAIPEI_DISTRICTS = [
    ("中正區", 25.0324, 121.5199),
    ("大同區", 25.0634, 121.5130),
    ("中山區", 25.0685, 121.5331),
    ("松山區", 25.0500, 121.5775),
    ("大安區", 25.0268, 121.5435),
    ("萬華區", 25.0286, 121.4979),
    ("信義區", 25.0330, 121.5654),
    ("士林區", 25.0922, 121.5247),
    ("北投區", 25.1320, 121.5010),
    ("內湖區", 25.0697, 121.5889),
    ("南港區", 25.0548, 121.6066),
    ("文山區", 24.9897, 121.5700),
]


def _seed_people():
    """The demo's caseworker and donors, and one caseworker for each other bureau."""
    extra_donors = [
        ensure_user(f"donor{n}@{DEMO_EMAIL_DOMAIN}", name, Role.DONOR)
        for n, name in enumerate(["陳美華", "林志明", "台灣好食品股份有限公司", "張家豪"], start=2)
    ]
    # The company donor gives as a company: shown in full in every public list.
    User.objects.filter(pk=extra_donors[2].pk).update(donor_kind="company", receipt_name=extra_donors[2].name)
    extra_donors[2].refresh_from_db()
    bureaus = [Organisation.objects.get(name=name) for name in BUREAUS]
    # One caseworker per other bureau, so the workspaces of other bureaus have an owner.
    bureau_caseworkers = {
        bureau.pk: ensure_user(f"caseworker.{i}@{DEMO_EMAIL_DOMAIN}", f"承辦人{i}", Role.CASEWORKER, bureau)
        for i, bureau in enumerate(bureaus)
    }
    return bureaus, extra_donors, bureau_caseworkers


def _seed_categories() -> dict:
    for order, (name, slug, sensitive) in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_sensitive": sensitive, "sort_order": order * 10}
        )
    return {c.slug: c for c in Category.objects.all()}


def _program_defaults(rng, index, title, bureau, category, owner, money, status, today) -> dict:
    district, lat, lng = TAIPEI_DISTRICTS[index % len(TAIPEI_DISTRICTS)]
    return {
        "bureau": bureau,
        "category": category,
        "summary": f"{title}：結合民間資源，協助{district}需要幫助的市民。",
        "description": f"{title}由{bureau.name}辦理。\n\n本方案經評估後，"
        "因預算編列不足而向社會大眾募集資源，所有捐款與物資皆於公開徵信專區每月公布。",
        "beneficiaries": "經社工評估有需要之市民",
        "beneficiaries_count": 50 + 10 * index,
        "place": f"臺北市{district}",
        "address": f"臺北市{district}市府路{index + 1}號",
        "latitude": round(lat + rng.uniform(-0.004, 0.004), 6),
        "longitude": round(lng + rng.uniform(-0.004, 0.004), 6),
        "starts_on": today - datetime.timedelta(days=30 + 7 * index),
        "ends_on": today + datetime.timedelta(days=20 + 9 * index),
        "contact_name": owner.name,
        "contact_phone": f"02-2720-{8000 + index:04d}",
        "contact_email": owner.email,
        "money_target": money,
        "status": status,
        "created_by": owner,
        "return_reason": "請補充受益人數的評估依據。" if status == ProgramStatus.RETURNED else "",
    }


def _stamp_workflow_dates(program, status, index) -> None:
    """The dates a program of that status would carry had it gone through review."""
    now = timezone.now()
    if status in (ProgramStatus.SUBMITTED, ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
        program.submitted_at = now - datetime.timedelta(days=20 + index)
    if status in (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
        program.published_at = now - datetime.timedelta(days=18 + index)
    if status == ProgramStatus.CLOSED:
        program.closed_at = now - datetime.timedelta(days=2)
        program.closing_report = "方案目標均已達成，感謝所有捐贈者。"
        program.beneficiaries_reached = 400 + 25 * index
    program.save()


def _seed_needs(program, goods, services, today, index) -> None:
    for item, quantity, unit, value in goods:
        GoodsNeed.objects.create(
            program=program,
            item=item,
            quantity=quantity,
            unit=unit,
            unit_value=value,
            deadline=today + datetime.timedelta(days=15 + index),
        )
    for description, people, hours in services:
        ServiceNeed.objects.create(
            program=program, description=description, people=people, hours=hours, when="每週六上午"
        )


def _seed_progress(program, index, today, owner, donors) -> None:
    """A public program's first progress update and offers in every state."""
    ProgramUpdate.objects.create(
        program=program,
        posted_on=today - datetime.timedelta(days=5),
        title="第一批資源已送達",
        body="感謝善心人士的支持，第一批資源已交到服務對象手中。",
        beneficiaries_reached=20 + index,
        posted_by=owner,
    )
    _seed_offers(program, donors, owner)


def seed(ctx):
    rng = random.Random(20190617)
    caseworker = User.objects.get(email=f"caseworker@{DEMO_EMAIL_DOMAIN}")
    donor = User.objects.get(email=f"donor@{DEMO_EMAIL_DOMAIN}")
    social_welfare = Organisation.objects.get(name=SOCIAL_WELFARE)
    bureaus, extra_donors, bureau_caseworkers = _seed_people()
    today = timezone.localdate()
    categories = _seed_categories()
    published = []
    for index, (title, slug, bureau_index, money, goods, services) in enumerate(PROGRAMS):
        bureau = social_welfare if bureau_index < 0 else bureaus[bureau_index]
        owner = caseworker if bureau_index < 0 else bureau_caseworkers[bureau.pk]
        status = STATUS_BY_INDEX.get(index, ProgramStatus.PUBLISHED)
        defaults = _program_defaults(rng, index, title, bureau, categories[slug], owner, money, status, today)
        program, created = Program.objects.get_or_create(title=title, defaults=defaults)
        if created:
            _stamp_workflow_dates(program, status, index)
            _seed_needs(program, goods, services, today, index)
            if program.is_public:
                _seed_progress(program, index, today, owner, [donor, *extra_donors])
        if program.status == ProgramStatus.PUBLISHED:
            published.append(program)
    seed_photos(ctx)
    if published:
        ctx.samples["program_url"] = published[0].get_absolute_url()


def _seed_offers(program, donors, owner):
    """Offers in every state on the program's first goods line."""
    need = program.goods_needs.first()
    if need is None:
        return
    plan = [
        (OfferStatus.PENDING, 0),
        (OfferStatus.ACCEPTED, 1),
        (OfferStatus.PARTLY_ACCEPTED, 2),
        (OfferStatus.DELIVERED, 3),
        (OfferStatus.DECLINED, 4),
    ]
    accepted_total = 0
    for status, n in plan:
        quantity = max(1, need.quantity // 10)
        accepted = 0
        if status in (OfferStatus.ACCEPTED, OfferStatus.DELIVERED):
            accepted = quantity
        elif status == OfferStatus.PARTLY_ACCEPTED:
            accepted = max(1, quantity // 2)
        if accepted_total + accepted > need.quantity:
            accepted = 0
            status = OfferStatus.PENDING
        accepted_total += accepted
        Offer.objects.create(
            donor=donors[n % len(donors)],
            kind="goods",
            program=program,
            goods_need=need,
            item=need.item,
            quantity=quantity,
            unit=need.unit,
            condition="全新",
            delivery_place="臺北市政府社會局物資倉庫",
            delivery_window="平日 9:00–17:00",
            status=status,
            accepted_quantity=accepted,
            decline_reason="目前品項已足夠，謝謝您。" if status == OfferStatus.DECLINED else "",
            decided_by=owner if status != OfferStatus.PENDING else None,
            decided_at=timezone.now() if status != OfferStatus.PENDING else None,
            delivered_at=timezone.now() if status == OfferStatus.DELIVERED else None,
        )
    GoodsNeed.objects.filter(pk=need.pk).update(quantity_accepted=accepted_total)


# --- Photos: covers and update photos drawn with Pillow, so `make run` shows pictures ------------

PHOTO_COLOURS = [(194, 65, 12), (21, 128, 61), (29, 78, 216), (126, 34, 206), (190, 18, 60), (15, 118, 110)]


def _drawn_photo(seed: int, size=(960, 540)) -> bytes:
    """A small illustrative JPEG (sky, ground, a sun and houses), different for each seed."""
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    colour = PHOTO_COLOURS[seed % len(PHOTO_COLOURS)]
    image = Image.new("RGB", size, (255, 247, 237))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([0, int(height * 0.7), width, height], fill=tuple(min(255, c + 60) for c in colour))
    draw.ellipse([width - 220, 40, width - 80, 180], fill=(251, 191, 36))
    for n in range(rng.randint(3, 5)):
        x = 60 + n * (width - 120) // 5 + rng.randint(-20, 20)
        w, h = rng.randint(90, 140), rng.randint(110, 200)
        base = int(height * 0.7)
        draw.rectangle([x, base - h, x + w, base], fill=colour)
        draw.polygon(
            [(x - 10, base - h), (x + w // 2, base - h - 60), (x + w + 10, base - h)], fill=(120, 53, 15)
        )
        draw.rectangle([x + w // 3, base - 50, x + 2 * w // 3, base], fill=(255, 237, 213))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed_photos(ctx=None):
    """Give public programs without a cover a drawn cover, and their first update a photo, each with
    alt text as a caseworker would write it. Idempotent: programs that have a cover are skipped."""
    from django.core.files.base import ContentFile

    programs = Program.objects.filter(
        status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED], cover_image=""
    ).select_related("category")
    for program in programs:
        if program.category.is_sensitive:
            continue  # no pictures of a sensitive program's beneficiaries or places
        program.cover_image.save(f"cover-{program.pk}.jpg", ContentFile(_drawn_photo(program.pk)), save=False)
        program.cover_alt = f"「{program.title}」服務情形示意插圖：社區房舍與陽光"
        program.save(update_fields=["cover_image", "cover_alt"])
        update = program.updates.filter(photo="").order_by("posted_on", "pk").first()
        if update is not None:
            update.photo.save(
                f"update-{update.pk}.jpg", ContentFile(_drawn_photo(program.pk + 100)), save=False
            )
            update.photo_alt = f"「{program.title}」第一批資源送達的示意插圖"
            update.save(update_fields=["photo", "photo_alt"])
