"""Demo data for the welfare map: goods drop-off / custody points, and Taipei coordinates for the
demo programs and volunteer units that have none (staff would pick them on the map)."""

from decimal import Decimal

from accounts.models import Organisation
from accounts.seed import SOCIAL_WELFARE
from core.pagecache import invalidate
from programs.models import Program
from programs.seed import TAIPEI_DISTRICTS
from volunteers.models import VolunteerUnit

from .models import DropOffPoint, PointRole

# (name, role, address, lat, lng, goods accepted, opening hours)
POINTS = [
    (
        "社會局物資倉庫（信義）",
        PointRole.BOTH,
        "臺北市信義區市府路1號",
        "25.037531",
        "121.563731",
        "白米、罐頭、奶粉、尿布、清潔用品",
        "週一至週五 9:00–17:00",
    ),
    (
        "萬華社會福利服務中心收件點",
        PointRole.DROPOFF,
        "臺北市萬華區東園街19號",
        "25.029271",
        "121.494766",
        "白米、罐頭、冬衣（請勿送二手內衣）",
        "週一至週六 9:00–17:00",
    ),
    (
        "北投社會福利服務中心收件點",
        PointRole.DROPOFF,
        "臺北市北投區新市街30號",
        "25.131811",
        "121.499221",
        "白米、乾糧、文具",
        "週一至週五 9:00–17:00",
    ),
    (
        "實物銀行內湖保管站",
        PointRole.CUSTODY,
        "臺北市內湖區民權東路六段99號",
        "25.069433",
        "121.589502",
        "由局處統一調度，不受理民眾送件",
        "依預約時間",
    ),
]


def _spot(index: int, salt: int) -> tuple[Decimal, Decimal]:
    """A deterministic point near the centre of one of Taipei's districts."""
    _name, lat, lng = TAIPEI_DISTRICTS[index % len(TAIPEI_DISTRICTS)]
    offset = Decimal((salt * 37) % 70 - 35) / Decimal(10000)
    return (Decimal(str(lat)) + offset).quantize(Decimal("0.000001")), (Decimal(str(lng)) - offset).quantize(
        Decimal("0.000001")
    )


def seed(ctx):
    bureau = Organisation.objects.get(name=SOCIAL_WELFARE)
    created = 0
    for name, role, address, lat, lng, goods, hours in POINTS:
        _, made = DropOffPoint.objects.get_or_create(
            name=name,
            defaults={
                "role": role,
                "bureau": bureau,
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "goods_accepted": goods,
                "opening_hours": hours,
                "phone": "02-2720-8889",
            },
        )
        created += made

    programs = list(Program.objects.filter(latitude__isnull=True).order_by("pk"))
    for program in programs:
        program.latitude, program.longitude = _spot(program.pk, program.pk)
    Program.objects.bulk_update(programs, ["latitude", "longitude"])

    units = list(VolunteerUnit.objects.filter(latitude__isnull=True).order_by("pk"))
    for unit in units:
        unit.latitude, unit.longitude = _spot(unit.pk, unit.pk + 11)
    VolunteerUnit.objects.bulk_update(units, ["latitude", "longitude"])

    if created or programs or units:
        invalidate("programs", "dashboard", "volunteers")
    ctx.samples["map_url"] = "/map/"
    ctx.samples["dashboard_url"] = "/dashboard/"
    ctx.log(
        f"dashboard: {created} drop-off points, coordinates for {len(programs)} programs and {len(units)} units"
    )
