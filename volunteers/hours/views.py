"""Service-hour pages of a unit's officers: the list, one record, the week grid, certification,
corrections, exports and the unit's API keys. Anonymous → login; other roles → 403; another
unit's record → 404."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by
from core.feedback import add_service_errors
from core.params import date_param
from honorcards.corrections import request_correction

from .. import permissions
from ..formfields import members_queryset
from ..guards import officer_unit
from ..models import ServiceRecord, ServiceRecordStatus
from ..permissions import unit_may_record_hours
from . import exports, services
from .forms import CorrectForm, RecordHoursForm, WeekForm, YearForm
from .rules import week_of
from .selectors import card_numbers, cell_name, month_records, week_grid_rows

PAGE_SIZE = 50


def _month(request):
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@allowed_by(permissions.is_unit_officer)
def hours_list(request):
    unit = officer_unit(request)
    first = _month(request)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    status = request.GET.get("status", "")
    records = month_records(unit, first, last, status)
    total = records.aggregate(total=Sum("hours"))["total"] or 0
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    numbers = card_numbers(r.pk for r in page.object_list)
    for r in page.object_list:
        r.card_number = numbers.get(r.pk)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "volunteers/hours/list.html",
        {
            "unit": unit,
            "page": page,
            "month": first,
            "month_value": f"{first:%Y-%m}",
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "status": status,
            "statuses": ServiceRecordStatus.choices,
            "total": total,
            "may_record": unit_may_record_hours(unit),
        },
    )


@allowed_by(permissions.is_unit_officer)
def record_hours(request):
    unit = officer_unit(request)
    form = RecordHoursForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_service(unit=unit, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登錄 %(name)s %(hours)s 小時。")
                % {"name": record.volunteer.name, "hours": f"{record.hours.normalize():f}"},
            )
            return redirect("volunteers:record_hours")
    return render(
        request,
        "volunteers/hours/form.html",
        {"form": form, "unit": unit, "may_record": unit_may_record_hours(unit)},
    )


def _posted_cells(post, volunteers, days) -> dict:
    """{(volunteer id, day): text} for the grid's cells present in the form."""
    return {
        (v.pk, day): post[cell_name(v.pk, day)].strip()
        for v in volunteers
        for day in days
        if cell_name(v.pk, day) in post
    }


@allowed_by(permissions.is_unit_officer)
def week_grid(request):
    unit = officer_unit(request)
    domain = request.GET.get("domain") or unit.main_domain
    form = WeekForm(request.POST or None, initial={"domain": domain})
    week = date_param(request.POST.get("week") or request.GET.get("week"), timezone.localdate())
    days = week_of(week)
    volunteers = list(members_queryset(unit))
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.record_week_grid(
                unit=unit,
                actor=request.user,
                week_start=days[0],
                cells=_posted_cells(request.POST, volunteers, days),
                domain=form.cleaned_data["domain"],
                activity=form.cleaned_data["activity"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("週表已儲存：新增 %(created)s 筆、修改 %(updated)s 筆、刪除 %(deleted)s 筆。") % counts,
            )
            return redirect(f"{request.path}?week={days[0]:%Y-%m-%d}&domain={form.cleaned_data['domain']}")
    today = timezone.localdate()
    posted = request.POST if request.method == "POST" else None
    return render(
        request,
        "volunteers/hours/grid.html",
        {
            "unit": unit,
            "form": form,
            "days": days,
            "rows": week_grid_rows(unit, volunteers, days, today=today, posted=posted),
            "week_value": f"{days[0]:%Y-%m-%d}",
            "previous": f"{days[0] - datetime.timedelta(days=7):%Y-%m-%d}",
            "following": f"{days[0] + datetime.timedelta(days=7):%Y-%m-%d}",
            "has_following": days[0] + datetime.timedelta(days=7) <= today,
            "today": f"{today:%Y-%m-%d}",
            "may_record": unit_may_record_hours(unit),
        },
    )


@require_POST
@allowed_by(permissions.is_unit_officer)
def certify_hours(request):
    unit = officer_unit(request)
    ids = [int(i) for i in request.POST.getlist("record") if i.isdigit()]
    count = services.certify_records(unit=unit, actor=request.user, record_ids=ids)
    messages.success(request, _("已認證 %(count)s 筆服務紀錄。") % {"count": count})
    back = request.POST.get("month", "")
    url = reverse("volunteers:hours_list")
    return redirect(f"{url}?month={back}" if back[:4].isdigit() else url)


@allowed_by(permissions.is_unit_officer)
def correct_hours(request, pk):
    unit = officer_unit(request)
    record = get_object_or_404(ServiceRecord.objects.select_related("volunteer"), pk=pk, unit=unit)
    form = CorrectForm(
        request.POST or None,
        initial={
            "served_on": record.served_on,
            "hours": record.hours,
            "domain": record.domain,
            "activity": record.activity,
        },
    )
    card_number = card_numbers([record.pk]).get(record.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            if card_number:
                request_correction(record=record, actor=request.user, reason=reason, **data)
            else:
                services.correct_record(record=record, actor=request.user, reason=reason, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if card_number:
                messages.success(
                    request,
                    _("這筆紀錄已用於榮譽卡 %(number)s：更正已送志願服務推廣中心確認，確認後才會生效。")
                    % {"number": card_number},
                )
            else:
                messages.success(request, _("服務紀錄已更正。"))
            return redirect(f"{reverse('volunteers:hours_list')}?month={record.served_on:%Y-%m}")
    return render(
        request,
        "volunteers/hours/correct.html",
        {"form": form, "record": record, "unit": unit, "card_number": card_number},
    )


# --- Exports ---------------------------------------------------------------------------------------


def _period(request):
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@allowed_by(permissions.is_unit_officer)
def export_xlsx(request):
    unit = officer_unit(request)
    start, end = _period(request)
    data = services.export_unit_xlsx(unit=unit, actor=request.user, start=start, end=end)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="volunteers-{start.year}.xlsx"'
    return response


@allowed_by(permissions.is_unit_officer)
def export_national(request, kind):
    unit = officer_unit(request)
    start, end = _period(request)
    if kind not in services.NATIONAL_EXPORTS:
        return HttpResponse(status=404)
    data = services.export_national_csv(unit=unit, actor=request.user, kind=kind, start=start, end=end)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mohw-{kind}-{start.year}.csv"'
    return response


@allowed_by(permissions.is_unit_officer)
def exports_page(request):
    unit = officer_unit(request)
    year = timezone.localdate().year
    return render(
        request,
        "volunteers/hours/exports.html",
        {
            "unit": unit,
            "years": list(range(year, year - 6, -1)),
            "volunteer_columns": exports.NATIONAL_VOLUNTEER_COLUMNS,
            "hours_columns": exports.NATIONAL_HOURS_COLUMNS,
        },
    )


# --- API keys --------------------------------------------------------------------------------------
