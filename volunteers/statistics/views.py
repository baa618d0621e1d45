"""The volunteer statistics page and its spreadsheet."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import require

from .. import permissions
from ..guards import staff_view
from . import selectors as statistics
from .forms import YearForm

# The units' table on the page, busiest first (1,100 units at Taipei's size; the XLSX lists them all).
UNITS_PAGE_SIZE = 50


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


@staff_view
def statistics_view(request):
    require(permissions.can_view_statistics(request.user))
    year = _year(request)
    unit_ids = permissions.statistics_unit_ids(request.user)
    data = statistics.cached_statistics_report(year=year, unit_ids=unit_ids)
    page = Paginator(data["by_unit"], UNITS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/statistics.html",
        {
            **data,
            "by_unit": page.object_list,
            "page": page,
            "charts": statistics.charts(data),
            "year_form": YearForm(initial={"year": year}),
            "scoped": unit_ids is not None,
            "recruitment": _recruitment(year, unit_ids),
        },
    )


def _recruitment(year, unit_ids):
    """The opportunities' figures (志工招募), when that app is installed."""
    from django.apps import apps

    if not apps.is_installed("opportunities"):
        return None
    from opportunities.figures import recruitment_figures

    return recruitment_figures(year=year, unit_ids=unit_ids)


def _participation_sheets(year, unit_ids) -> list:
    """Corporate volunteering and large events (their sheet), when those apps are installed."""
    from django.apps import apps

    if not apps.is_installed("largeevents"):
        return []
    from largeevents.figures import PARTICIPATION_SHEET, participation_sheet_rows

    return [(PARTICIPATION_SHEET, participation_sheet_rows(year=year, unit_ids=unit_ids))]


@staff_view
def statistics_xlsx(request):
    require(permissions.can_view_statistics(request.user))
    year = _year(request)
    unit_ids = permissions.statistics_unit_ids(request.user)
    data = statistics.cached_statistics_report(year=year, unit_ids=unit_ids)
    response = HttpResponse(
        statistics.statistics_xlsx(data, lambda: _participation_sheets(year, unit_ids)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="volunteer-statistics-{year}.xlsx"'
    return response
