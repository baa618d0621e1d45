import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import require, role_required
from accounts.roles import Role
from core.charts import bar_chart, column_chart
from core.feedback import add_service_errors
from core.pagecache import cache_public_page
from core.tabular import csv_writer
from programs.models import Category

from . import permissions, selectors, services
from .figures import (
    GROUPS,
    MONEY_BY_MONTH,
    PROGRAMS_BY_CATEGORY,
    RECRUITMENT_BY_YEAR,
    current_figures,
    headline,
    table,
)
from .forms import DropOffPointForm
from .models import DropOffPoint

# Programs, gifts and disclosure bump "programs"; drop-off points bump "dashboard"; "volunteers" is
# listed so a volunteers service that bumps it (none does yet; our seed does) refreshes the map.
# Otherwise the pages and their figures expire after DASHBOARD_CACHE_SECONDS.
PAGE_CACHE = ("programs", "dashboard", "volunteers", "opportunities")
CSV_HEADER = ["群組", "代碼", "指標", "列", "欄", "數值", "單位", "定義", "資料時間"]


# --- Public dashboard -------------------------------------------------------------------------


@cache_public_page(*PAGE_CACHE, timeout=settings.DASHBOARD_CACHE_SECONDS)
def index(request):
    figures = current_figures()
    money = table(figures, MONEY_BY_MONTH)
    programs = table(figures, PROGRAMS_BY_CATEGORY)
    money_chart = column_chart(
        [row for row, _ in money["rows"]],
        {col: [values[i] for _, values in money["rows"]] for i, col in enumerate(money["columns"])},
        title=GROUPS[MONEY_BY_MONTH],
        unit=_("元"),
    )
    category_chart = bar_chart(
        [(row, sum(values)) for row, values in programs["rows"]], title=_("各類別公開方案數"), unit="案"
    )
    return render(
        request,
        "dashboard/index.html",
        {
            "figures": figures,
            "headline": headline(figures),
            "money": money,
            "programs": programs,
            "recruitment": table(figures, RECRUITMENT_BY_YEAR),
            "money_chart": money_chart,
            "category_chart": category_chart,
            "groups": GROUPS,
            "as_of": figures[0].as_of if figures else None,
        },
    )


@cache_public_page(*PAGE_CACHE, timeout=settings.DASHBOARD_CACHE_SECONDS)
def figures_csv(request):
    """The same figures as the page, one per row (UTF-8 with a BOM so Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for f in current_figures():
        writer.writerow(
            [
                f.group_label,
                f.key,
                f.label,
                f.dimension,
                f.series,
                f.value,
                f.unit,
                f.definition,
                f.as_of.isoformat(timespec="seconds"),
            ]
        )
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="goodday-dashboard.csv"'
    return response


# --- Welfare map ------------------------------------------------------------------------------


def _query(filters: dict) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


@cache_public_page(*PAGE_CACHE, timeout=settings.DASHBOARD_CACHE_SECONDS)
def welfare_map(request):
    filters = selectors.clean_filters(request.GET)
    points = selectors.map_points(**filters)
    query = _query(filters)
    counts = dict.fromkeys(selectors.KINDS, 0)
    for point in points:
        counts[point.kind] += 1
    return render(
        request,
        "dashboard/map.html",
        {
            "filters": filters,
            "points": points,
            "counts": [(selectors.KINDS[k], n) for k, n in counts.items()],
            "categories": Category.objects.filter(is_sensitive=False),
            "need_types": selectors.NEED_TYPES,
            "kinds": selectors.KINDS,
            "geojson_url": reverse("dashboard:map_points") + (f"?{query}" if query else ""),
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "can_manage_points": permissions.can_manage_points(request.user),
        },
    )


class _HtmlSafeJSONEncoder(DjangoJSONEncoder):
    """JSON with <, > and & as \\u escapes (as Django's json_script): a value pasted into HTML by
    another city system, or a browser that sniffs the open-data URL, never meets a tag."""

    _ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

    def encode(self, o):
        return super().encode(o).translate(self._ESCAPES)


@cache_public_page(*PAGE_CACHE, timeout=settings.DASHBOARD_CACHE_SECONDS)
def map_points(request):
    """The map's points as GeoJSON, with the page's filters (?category=&need=&kind=)."""
    filters = selectors.clean_filters(request.GET)
    data = selectors.as_geojson(selectors.map_points(**filters), absolute=request.build_absolute_uri)
    response = JsonResponse(
        data,
        encoder=_HtmlSafeJSONEncoder,
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data for other city systems
    return response


# --- Staff: drop-off and custody points ---------------------------------------------------------

MANAGERS = (Role.CASEWORKER, Role.SW_REVIEWER, Role.SITE_ADMIN)


@role_required(*MANAGERS)
def points(request):
    qs = DropOffPoint.objects.select_related("bureau").order_by("bureau__name", "name", "pk")
    if not permissions.sees_all_points(request.user):
        qs = qs.filter(bureau_id=request.user.organisation_id)
    return render(request, "dashboard/points.html", {"points": qs})


def _form_page(request, point: DropOffPoint | None):
    sees_all = permissions.sees_all_points(request.user)
    form = DropOffPointForm(request.POST or None, instance=point, user_sees_all=sees_all)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if point is None:
                point = services.create_point(actor=request.user, **fields)
                messages.success(request, _("已新增地點，將顯示於社福地圖。"))
            else:
                services.update_point(point=point, actor=request.user, **fields)
                messages.success(request, _("已更新地點。"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("dashboard:points")
    return render(request, "dashboard/point_form.html", {"form": form, "point": point})


@role_required(*MANAGERS)
def point_new(request):
    return _form_page(request, None)


@role_required(*MANAGERS)
def point_edit(request, pk):
    point = get_object_or_404(DropOffPoint.objects.select_related("bureau"), pk=pk)
    require(permissions.can_edit_point(request.user, point), hide=True)
    return _form_page(request, point)
