"""The figures the bureau reports to the city council, computed live from the records.

One list of ``Figure`` objects feeds the page, its tables and the CSV, so they always agree.
Each definition follows the app that owns the record:

- money and goods: the monthly disclosure's rules: the counting rule of gifts and refunds lives in
  ``donations.selectors`` (a gift in the Taiwan month it was paid, a refund in its own month);
  goods count in the month received at their appraised market value. The money received
  in a period is therefore the sum of the disclosure months' ``net_income`` for that period;
- volunteers, units, hours, service person-times and the seniors' share: ``volunteer_figures``
  (``volunteers.statistics.selectors``), the same function the volunteer statistics pages call;
- programs: only programs the public can see (published or closed) are counted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.roc import to_roc
from donations import selectors as donation_selectors
from donations.models import GoodsDonation, Pledge, PledgeStatus
from programs.models import Category, Offer, OfferStatus, Program, ProgramStatus
from volunteers.statistics.selectors import SENIOR_AGE, volunteer_figures

HEADLINE = "headline"
MONEY_BY_MONTH = "money_by_month"
PROGRAMS_BY_CATEGORY = "programs_by_category"
RECRUITMENT_BY_YEAR = "recruitment_by_year"
GROUPS = {
    HEADLINE: gettext_lazy("主要指標"),
    MONEY_BY_MONTH: gettext_lazy("近 12 個月捐款收入、退款與物資市值"),
    PROGRAMS_BY_CATEGORY: gettext_lazy("各類別方案數（依狀態）"),
    RECRUITMENT_BY_YEAR: gettext_lazy("歷年志工招募錄取：青年、家庭、高齡（及企業）志工"),
}
# The disclosure's income: gifts paid in the period, including those refunded later.
PUBLIC_STATES = [ProgramStatus.PUBLISHED, ProgramStatus.CLOSED]
MATCHED_OFFER_STATES = [
    OfferStatus.ACCEPTED,
    OfferStatus.PARTLY_ACCEPTED,
    OfferStatus.DELIVERED,
    OfferStatus.RECEIVED,
]
MONTHS_SHOWN = 12
CACHE_KEY = "dashboard:figures:v1"


# The unit of money figures, kept as data in the cached figures and the open-data CSV.
MONEY_UNIT = "元"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    unit: str
    definition: str
    as_of: datetime.datetime
    group: str = HEADLINE
    dimension: str = ""  # the row of a breakdown table (a month, a category)
    series: str = ""  # the column of a breakdown table (income / refunds, a status)

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY_UNIT

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language (the figures are cached with the unit as data)."""
        return _("元").strip() if self.is_money else self.unit

    @property
    def display(self) -> str:
        """The value as people read it: thousands separators, NT$ for money."""
        text = f"{self.value:,}"
        return f"NT${text}" if self.is_money else text


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _by_month(qs, field: str, amount: str) -> dict[tuple[int, int], int]:
    rows = (
        qs.annotate(m=TruncMonth(field, tzinfo=_tz()))
        .values("m")
        .annotate(total=Sum(amount))
        .values_list("m", "total")
    )
    out = defaultdict(int)
    for moment, total in rows:
        local = moment.astimezone(_tz()) if timezone.is_aware(moment) else moment
        out[(local.year, local.month)] += total or 0
    return out


def money_by_month() -> dict[str, dict[tuple[int, int], int]]:
    """Income, refunds and goods value per Taiwan month, by the disclosure's rules."""
    return {
        "income": donation_selectors.income_by_month(),
        "refunds": donation_selectors.refunds_by_month(),
        "goods_value": _by_month(GoodsDonation.objects.all(), "received_at", "appraised_value"),
    }


def _last_months(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    out = []
    for _step in range(count):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def matched_programs():
    """Public programs with at least one successful match: a paid gift, an accepted goods or
    service offer, or goods received into custody."""
    return Program.objects.filter(status__in=PUBLIC_STATES).filter(
        Exists(Pledge.objects.filter(program=OuterRef("pk"), status=PledgeStatus.PAID))
        | Exists(Offer.objects.filter(program=OuterRef("pk"), status__in=MATCHED_OFFER_STATES))
        | Exists(GoodsDonation.objects.filter(program=OuterRef("pk")))
    )


def compute(now: datetime.datetime | None = None) -> list[Figure]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = today.year
    roc_year = year - 1911
    figures: list[Figure] = []

    def add(key, label, value, unit, definition, **extra):
        figures.append(Figure(key, label, value, unit, definition, now, **extra))

    # --- Money and goods (the disclosure's definitions) ---------------------------------------
    months = money_by_month()
    in_year = [(year, m) for m in range(1, 13)]
    income_total = sum(months["income"].values())
    refunds_total = sum(months["refunds"].values())
    income_year = sum(months["income"].get(k, 0) for k in in_year)
    refunds_year = sum(months["refunds"].get(k, 0) for k in in_year)
    money_rule = _(
        "已付款捐款依付款日（臺北時間）計入當月，其後退款者於退款當月扣除；"
        "與每月公開徵信之「收入減退款」相同。"
    )
    goods_rule = _("物資依驗收日計入當月，以驗收時估定之市價總值計算；與每月公開徵信之物資市值相同。")
    add(
        "money_total",
        _("累計捐款金額"),
        income_total - refunds_total,
        MONEY_UNIT,
        _("上線以來%(rule)s") % {"rule": money_rule},
    )
    add(
        "money_year",
        _("%(year)s 年捐款金額") % {"year": roc_year},
        income_year - refunds_year,
        MONEY_UNIT,
        _("本年 1 月 1 日起%(rule)s") % {"rule": money_rule},
    )
    goods_total = sum(months["goods_value"].values())
    goods_year = sum(months["goods_value"].get(k, 0) for k in in_year)
    add(
        "goods_total",
        _("累計物資市值"),
        goods_total,
        MONEY_UNIT,
        _("上線以來%(rule)s") % {"rule": goods_rule},
    )
    add(
        "goods_year",
        _("%(year)s 年物資市值") % {"year": roc_year},
        goods_year,
        MONEY_UNIT,
        _("本年 1 月 1 日起%(rule)s") % {"rule": goods_rule},
    )
    add(
        "giving_total",
        _("累計募得總值（捐款＋物資）"),
        income_total - refunds_total + goods_total,
        MONEY_UNIT,
        _("累計捐款金額與累計物資市值之和。"),
    )

    # --- Matching and programs ----------------------------------------------------------------
    matched = matched_programs()
    matched_stats = matched.aggregate(
        programs=Count("pk", distinct=True), bureaus=Count("bureau", distinct=True)
    )
    add(
        "matched_programs",
        _("媒合成功方案數"),
        matched_stats["programs"],
        _("案"),
        _("公開（募集中或已結案）方案中，至少有一筆已付款捐款、已接受的物資或服務捐贈，或已驗收物資者。"),
    )
    add(
        "bureaus_served",
        _("服務局處數"),
        matched_stats["bureaus"],
        _("個"),
        _("媒合成功方案所屬的需求局處數。"),
    )
    add(
        "matched_offers",
        _("物資與服務媒合件數"),
        Offer.objects.filter(status__in=MATCHED_OFFER_STATES).count(),
        _("件"),
        _("民眾提出之物資或服務捐贈意向，經局處接受（含部分接受、已送達、已驗收）的件數。"),
    )
    public = Program.objects.filter(status__in=PUBLIC_STATES)
    program_stats = public.aggregate(
        open=Count("pk", filter=Q(status=ProgramStatus.PUBLISHED)),
        closed=Count("pk", filter=Q(status=ProgramStatus.CLOSED)),
        reached=Sum("beneficiaries_reached"),
    )
    add(
        "programs_open",
        _("募集中方案數"),
        program_stats["open"],
        _("案"),
        _("經社會局審核公開、尚未結案的方案。"),
    )
    add(
        "programs_closed",
        _("已結案方案數"),
        program_stats["closed"],
        _("案"),
        _("已提出結案報告的公開方案。"),
    )
    add(
        "beneficiaries",
        _("累計受益人次"),
        program_stats["reached"] or 0,
        _("人次"),
        _("公開方案於進度更新登錄之受益人次合計；結案時以結案報告之累計人次為準（不低於進度更新合計）。"),
    )

    status_labels = dict(ProgramStatus.choices)
    counts = {
        (category_id, status): n
        for category_id, status, n in public.values_list("category_id", "status")
        .annotate(n=Count("pk"))
        .values_list("category_id", "status", "n")
    }
    for category in Category.objects.filter(pk__in={c for c, _status in counts}).order_by(
        "sort_order", "name"
    ):
        for status in PUBLIC_STATES:  # every public status, in workflow order, zeros included
            add(
                f"programs.{category.slug}.{status}",
                f"{category.name}・{status_labels[status]}",
                counts.get((category.pk, status), 0),
                _("案"),
                _("公開方案依類別與狀態計數（募集中：經審核公開尚未結案；已結案：已提出結案報告）。"),
                group=PROGRAMS_BY_CATEGORY,
                dimension=category.name,
                series=status_labels[status],
            )

    for y, m in _last_months(today, MONTHS_SHOWN):
        label = f"{y - 1911}/{m:02d}"
        for series_key, series, definition in (
            ("income", _("捐款收入"), _("該月已付款捐款（含其後退款者），同公開徵信月報「收入」。")),
            ("refunds", _("退款"), _("該月辦理之退款，同公開徵信月報「退款」。")),
            ("goods_value", _("物資市值"), _("該月驗收物資之市價總值，同公開徵信月報「物資市值」。")),
        ):
            add(
                f"month.{y}-{m:02d}.{series_key}",
                f"{label} {series}",
                months[series_key].get((y, m), 0),
                MONEY_UNIT,
                definition,
                group=MONEY_BY_MONTH,
                dimension=label,
                series=series,
            )

    # --- Volunteers (volunteers.statistics.selectors is the one definition) ------------------
    vf = volunteer_figures(year=year)
    add(
        "volunteer_units",
        _("志願服務運用單位數"),
        vf.units,
        _("隊"),
        _("服務計畫經主管機關核備之志願服務運用單位數（同志願服務統計）。"),
    )
    add(
        "volunteers",
        _("志工人數"),
        vf.volunteers,
        _("人"),
        _("%(date)s 在至少一個運用單位服務中的志工人數（同志願服務統計）。") % {"date": to_roc(vf.as_of)},
    )
    add(
        "volunteer_hours",
        _("%(year)s 年志願服務時數") % {"year": roc_year},
        vf.hours,
        _("小時"),
        _("本年服務紀錄之時數合計（同志願服務統計）。"),
    )
    add(
        "volunteer_person_times",
        _("%(year)s 年志願服務人次") % {"year": roc_year},
        vf.person_times,
        _("人次"),
        _("本年服務紀錄筆數，一筆為一人次（同志願服務統計）。"),
    )
    add(
        "seniors_share",
        _("%(age)s 歲以上志工占比") % {"age": SENIOR_AGE},
        (vf.seniors_share * 100).quantize(Decimal("0.1")),
        "%",
        _("在隊志工中，於 %(date)s 年滿 %(age)s 歲者所占比率（目標 21%%，同志願服務統計）。")
        % {"date": to_roc(vf.as_of), "age": SENIOR_AGE},
    )
    _recruitment(add, year)
    return figures


def _recruitment(add, year: int) -> None:
    """Opportunities and applications (opportunities.figures is the one definition)."""
    from opportunities.figures import recruitment_figures

    rf = recruitment_figures(year=year)
    roc_year = year - 1911
    add(
        "opportunities_open",
        _("招募中的志工招募"),
        rf.open_now,
        _("則"),
        _("已刊登、尚未截止且期間未過的志工招募。"),
    )
    add(
        "opportunity_applications",
        _("%(year)s 年志工報名數") % {"year": roc_year},
        rf.applications,
        _("件"),
        _("本年送出的志工招募報名（含其後撤回或未錄取者）。"),
    )
    add(
        "opportunity_fill_rate",
        _("%(year)s 年志工招募滿額率") % {"year": roc_year},
        (rf.fill_rate * 100).quantize(Decimal("0.1")),
        "%",
        _("本年首次刊登的志工招募，已錄取人數（不超過招募人數）占招募人數的比率。"),
    )
    add(
        "time_to_first_shift",
        _("%(year)s 年錄取到首次服務天數（中位數）") % {"year": roc_year},
        rf.median_days_to_first_shift if rf.median_days_to_first_shift is not None else 0,
        _("天"),
        _("本年錄取者自報名日到首次於該招募班次簽到日的天數中位數；尚未服務者不計。"),
    )
    series = rf.series
    for row in rf.by_year:
        label = str(row.year - 1911)
        for key, name in series.items():
            add(
                f"recruitment.{row.year}.{key}",
                f"{label} {name}",
                row.counts.get(key, 0),
                _("人"),
                _(
                    "該年錄取的志工招募報名：青年為錄取當日 15–35 歲，高齡為 65 歲以上，家庭為適合親子家庭之招募；企業志工依企業志工媒合之定義。"
                ),
                group=RECRUITMENT_BY_YEAR,
                dimension=label,
                series=str(name),
            )


def current_figures() -> list[Figure]:
    """The figures, cached for ``DASHBOARD_CACHE_SECONDS`` (the page states their as-of time)."""
    key = f"{CACHE_KEY}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def headline(figures: list[Figure]) -> list[Figure]:
    return [f for f in figures if f.group == HEADLINE]


def table(figures: list[Figure], group: str) -> dict:
    """A breakdown group as a table: rows (dimensions, in order) × columns (series, in order)."""
    rows, columns, cells, definitions = [], [], {}, []
    for f in figures:
        if f.group != group:
            continue
        if f.definition not in definitions:
            definitions.append(f.definition)
        if f.dimension not in rows:
            rows.append(f.dimension)
        if f.series not in columns:
            columns.append(f.series)
        cells[(f.dimension, f.series)] = f.value
    return {
        "columns": columns,
        "rows": [(row, [cells.get((row, col), 0) for col in columns]) for row in rows],
        "definitions": definitions,
    }
