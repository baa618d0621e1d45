"""Open opportunities as open data: one record shape for the JSON API (with its OpenAPI schema,
``api.py``) and the CSV (``views.open_data_csv``). No personal data: the contact is the unit's."""

from django.urls import reverse

from .selectors import open_opportunities, with_places

CSV_HEADER = [
    "編號",
    "標題",
    "運用單位",
    "服務領域",
    "服務型態",
    "開始日期",
    "結束日期",
    "服務時段",
    "地點",
    "行政區",
    "緯度",
    "經度",
    "招募人數",
    "已錄取",
    "適合對象",
    "需基礎訓練",
    "需特殊訓練",
    "網址",
]


def records(*, absolute) -> list[dict]:
    qs = with_places(open_opportunities()).select_related("unit__organisation").order_by("starts_on", "pk")
    return [
        {
            "id": o.pk,
            "title": o.title,
            "unit": o.unit.name,
            "domain": o.domain,
            "domain_label": str(o.get_domain_display()),
            "kind": o.kind,
            "starts_on": o.starts_on,
            "ends_on": o.ends_on,
            "schedule": o.schedule,
            "venue": o.venue,
            "district": o.district,
            "latitude": float(o.latitude) if o.latitude is not None else None,
            "longitude": float(o.longitude) if o.longitude is not None else None,
            "capacity": o.capacity,
            "accepted": o.accepted,
            "suits": [s for s in ("family", "youth", "senior", "company") if getattr(o, f"suits_{s}")],
            "requires_basic_training": o.requires_basic_training,
            "requires_special_training": o.requires_special_training,
            "url": absolute(reverse("opportunities:detail", args=[o.pk])),
        }
        for o in qs
    ]


def csv_rows(items: list[dict]):
    for r in items:
        yield [
            r["id"],
            r["title"],
            r["unit"],
            r["domain_label"],
            r["kind"],
            r["starts_on"].isoformat(),
            r["ends_on"].isoformat(),
            r["schedule"],
            r["venue"],
            r["district"],
            "" if r["latitude"] is None else r["latitude"],
            "" if r["longitude"] is None else r["longitude"],
            r["capacity"],
            r["accepted"],
            " ".join(r["suits"]),
            "是" if r["requires_basic_training"] else "否",
            "是" if r["requires_special_training"] else "否",
            r["url"],
        ]
