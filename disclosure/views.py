from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_by, require
from core.charts import bar_chart, column_chart
from core.feedback import add_service_errors
from core.pagecache import cache_public_page
from core.params import id_param
from core.pdf import render_pdf
from core.uploads import document_content_type

from . import exports, permissions, selectors, services
from .forms import BuildForm, MeetingForm, SpendingForm
from .models import CommitteeMeeting, Spending

# Drawn this many units wide so the charts' text stays readable from phone to desktop (charts.css).
MONTH_CHART_WIDTH = 380


def _report_or_404(year, month, version=None):
    if (version and id_param(version) is None) or not (2000 <= int(year) <= 2999 and 1 <= int(month) <= 12):
        raise Http404
    report = selectors.report_or_provisional(int(year), int(month), id_param(version))
    if report is None:
        raise Http404
    return report


@cache_public_page("disclosure")
def index(request):
    months = selectors.published_months()
    recent = list(reversed(months[:12]))
    labels = [f"{r.year - 1911}/{r.month:02d}" for r in recent]
    chart = column_chart(
        labels,
        {
            _("捐款收入"): [r.summary["totals"]["income"] for r in recent],
            _("支出"): [r.summary["totals"]["spending"] for r in recent],
            _("物資市值"): [r.summary["totals"]["goods_value"] for r in recent],
        },
        title=_("近 12 個月收入、物資與支出"),
        unit=_("元"),
    )
    by_channel, by_category = selectors.summed_breakdowns(recent)
    return render(
        request,
        "disclosure/index.html",
        {
            "months": months,
            "in_progress": selectors.current_month(),
            "chart": chart,
            "channel_chart": bar_chart(
                [(_(k), v) for k, v in by_channel], title=_("各付款方式捐款"), unit=_("元")
            ),
            "category_chart": bar_chart(by_category, title=_("各類別捐款"), unit=_("元")),
            "by_channel": by_channel,
            "by_category": by_category,
        },
    )


@cache_public_page("disclosure")
def month(request, year, month):
    report = _report_or_404(year, month, request.GET.get("version"))
    content = report.content
    params = {k: request.GET.get(k, "").strip() for k in ("q", "program", "category", "channel")}
    lines = selectors.filter_income(content["income"], **params)
    programs = sorted(
        {(line["program_id"], line["designation"]) for line in content["income"] if line["program_id"]},
        key=lambda x: x[1],
    )
    return render(
        request,
        "disclosure/month.html",
        {
            "report": report,
            "content": content,
            "page": selectors.paginate(lines, request.GET.get("page")),
            "filtered_total": sum(line["amount"] for line in lines),
            "params": params,
            "programs": programs,
            "categories": sorted(content["by_category"]),
            "channels": sorted(content["by_channel"]),
            "versions": selectors.versions_of(report.year, report.month) if report.version else [],
            "channel_chart": bar_chart(
                [(_(k), v) for k, v in content["by_channel"].items()],
                title=_("本月各付款方式捐款"),
                unit=_("元"),
                width=MONTH_CHART_WIDTH,
            ),
            "category_chart": bar_chart(
                content["by_category"].items(),
                title=_("本月各類別捐款"),
                unit=_("元"),
                width=MONTH_CHART_WIDTH,
            ),
            "roc_year": report.year - 1911,
        },
    )


def _file_name(report, stem, ext):
    if report.version is None:  # the month in progress: provisional, no version or digest yet
        return f"goodday-{report.year}-{report.month:02d}-provisional-{stem}.{ext}"
    return f"goodday-{report.year}-{report.month:02d}-v{report.version}-{stem}-{report.digest[:12]}.{ext}"


def _attachment(data, content_type, name, report):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if report.digest:  # the digest of the published content the file was written from
        response["X-Content-SHA256"] = report.digest
    return response


@cache_public_page("disclosure")
def table_csv(request, year, month, table):
    report = _report_or_404(year, month, request.GET.get("version"))
    return _attachment(
        exports.to_csv(report.content, table),
        "text/csv; charset=utf-8",
        _file_name(report, table, "csv"),
        report,
    )


@cache_public_page("disclosure")
def workbook(request, year, month):
    report = _report_or_404(year, month, request.GET.get("version"))
    data = exports.to_xlsx(
        report.content,
        title=f"{settings.CITY_NAME}好日子公開徵信 {report.year}-{report.month:02d}",
        digest=report.digest,
        version=report.version or _("本月進行中（暫定）"),
    )
    return _attachment(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _file_name(report, "report", "xlsx"),
        report,
    )


@cache_public_page("disclosure")
def pdf(request, year, month):
    report = _report_or_404(year, month, request.GET.get("version"))
    data = render_pdf(
        "disclosure/report_pdf.html",
        {
            "report": report,
            "content": report.content,
            "city": settings.CITY_NAME,
            "roc_year": report.year - 1911,
        },
    )
    return _attachment(data, "application/pdf", _file_name(report, "report", "pdf"), report)


# --- Staff ------------------------------------------------------------------------------------


@allowed_by(permissions.can_record_any_spending)
def spending_new(request):
    form = SpendingForm(request.POST or None, request.FILES or None, bureau_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_spending(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("支出已登錄，待社會局核定。"))
            return redirect("disclosure:spending_new")
    return render(
        request,
        "disclosure/spending_form.html",
        {"form": form, **selectors.spending_page(request.user.organisation_id)},
    )


@allowed_by(permissions.is_spending_reviewer)
def spending_queue(request):
    if request.method == "POST":
        spending = get_object_or_404(Spending, pk=request.POST.get("spending"))
        try:
            if request.POST.get("action") == "approve":
                services.approve_spending(spending=spending, actor=request.user)
                messages.success(request, _("已核定。"))
            else:
                services.return_spending(
                    spending=spending, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已退回。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:  # the reviewer recorded this spending: someone else decides it
            messages.error(request, _("登錄支出的人不能核定或退回同一筆支出。"))
        return redirect("disclosure:spending_queue")
    page = selectors.paginate(selectors.spending_queue(), request.GET.get("page"), per_page=20)
    return render(request, "disclosure/spending_queue.html", {"page": page, "queue": page.object_list})


@allowed_by(permissions.can_open_any_spending_attachment)
def spending_attachment(request, pk: int):
    """The voucher, for the approver and the recording bureau's caseworkers. Stored only after
    core/uploads.py checked it; a PDF is still sent as a download in a sandbox, never run in our origin."""
    spending = get_object_or_404(Spending.objects.select_related("program"), pk=pk)
    require(permissions.may_open_spending_attachment(request.user, spending), hide=True)
    if not spending.attachment:
        raise Http404
    name = spending.attachment.name.rsplit("/", 1)[-1]
    content_type = document_content_type(name)
    response = FileResponse(
        spending.attachment.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@allowed_by(permissions.can_build_report)
def build(request):
    today = timezone.localdate()
    last = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    form = BuildForm(request.POST or None, initial={"year": last[0], "month": last[1]})
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.build_report(
                form.cleaned_data["year"], form.cleaned_data["month"], actor=request.user
            )
        except services.ReportRefused as exc:
            form.add_error(None, _("未通過對帳，未公開：%(problems)s") % {"problems": exc})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                (
                    _("%(month)s 第 %(version)s 版已公開。")
                    if created
                    else _("%(month)s 第 %(version)s 版內容未變動。")
                )
                % {"month": f"{report.year}-{report.month:02d}", "version": report.version},
            )
            return redirect(report)
    return render(
        request, "disclosure/build.html", {"form": form, "months": selectors.published_months()[:12]}
    )


def _half_year(value: str | None) -> tuple[int, int]:
    """``?period=2026H1`` (default: the current half year) as (year, half); 404 for anything else."""
    today = timezone.localdate()
    try:
        year, half = value.split("H") if value else (str(today.year), "1" if today.month <= 6 else "2")
        year, half = int(year), int(half)
    except ValueError:
        raise Http404 from None
    if half not in (1, 2) or not 2000 <= year <= 2999:
        raise Http404
    return year, half


@allowed_by(permissions.can_read_committee_packet)
def committee(request, meeting_form=None):
    context = selectors.committee_packet(*_half_year(request.GET.get("period")))
    if request.GET.get("format") == "pdf":
        data = render_pdf("disclosure/committee_pdf.html", {**context, "city": settings.CITY_NAME})
        return HttpResponse(data, content_type="application/pdf")
    meeting_form = meeting_form or MeetingForm(
        initial={"period_start": context["start"], "period_end": context["end"]}
    )
    return render(
        request,
        "disclosure/committee.html",
        {
            **context,
            "meeting_form": meeting_form,
            "can_record": permissions.can_record_meeting(request.user),
            "can_sign": permissions.can_sign_off_meeting(request.user),
        },
    )


@allowed_by(permissions.can_record_meeting)
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登錄會議紀錄。"))
            return redirect("disclosure:committee")
    if request.method != "POST":
        return redirect("disclosure:committee")
    # Refused: the committee page again, with what was typed and why (it was silently dropped).
    return committee(request, meeting_form=form)


@allowed_by(permissions.can_sign_off_meeting)
def meeting_sign_off(request, pk):
    require(request.method == "POST")
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    try:
        services.sign_off_meeting(meeting=meeting, actor=request.user)
        messages.success(request, _("已簽核會議紀錄。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("disclosure:committee")
