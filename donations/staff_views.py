from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import allowed_by
from core.feedback import add_service_errors
from core.pdf import render_pdf
from core.roc import ROC_OFFSET
from core.tabular import csv_writer

from . import permissions, reconciliation, selectors, services
from .forms import OfflineGiftForm, StatementForm
from .models import StatementImport
from .numerals import amount_in_words


@allowed_by(permissions.can_record_offline_gift)
def offline_gift(request):
    form = OfflineGiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.record_offline_gift(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登錄 %(name)s 的捐款並開立收據。") % {"name": pledge.donor_name})
            return redirect(pledge)
    return render(request, "donations/offline_gift.html", {"form": form})


@allowed_by(permissions.can_record_offline_gift)
def statement_import(request):
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = reconciliation.import_statement(upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("donations:statement", pk=statement.pk)
    return render(
        request,
        "donations/statement_import.html",
        {"form": form, "imports": selectors.recent_statements()},
    )


@allowed_by(permissions.can_view_statements)
def statement(request, pk):
    statement = get_object_or_404(StatementImport, pk=pk)
    lines = statement.lines.select_related("pledge")
    return render(
        request,
        "donations/statement.html",
        {
            "statement": statement,
            "matched": [x for x in lines if x.pledge_id],
            "unmatched": [x for x in lines if not x.pledge_id],
        },
    )


@login_required
def annual_receipt(request, roc_year: int):
    """One receipt for all of a donor's paid gifts in an ROC year."""
    year = roc_year + ROC_OFFSET
    pledges = list(selectors.paid_in_year(request.user, year))
    if not pledges:
        raise Http404
    total = sum(p.amount for p in pledges)
    pdf = render_pdf(
        "donations/annual_receipt_pdf.html",
        {
            "pledges": pledges,
            "roc_year": roc_year,
            "total": total,
            "total_words": amount_in_words(total),
            "donor": request.user,
            # the name the donor gave: their receipt name, else the name on their latest gift
            "donor_name": request.user.receipt_name or request.user.name or pledges[-1].receipt_name,
            "authority": settings.ISSUING_AUTHORITY,
            "legal_basis": settings.RECEIPT_LEGAL_BASIS,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-receipt-{roc_year}.pdf"'
    return response


@allowed_by(permissions.can_export_tax)
def tax_export(request, roc_year: int):
    """The year's gifts for the tax authority's donation-data upload: only donors who consented."""
    rows = services.export_tax_year(actor=request.user, roc_year=roc_year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donations-tax-{roc_year}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(
        ["捐贈年度", "捐贈者身分證統一編號", "捐贈者姓名", "捐贈金額", "捐贈日期", "收據編號", "受贈單位"]
    )
    for row in rows:
        writer.writerow([*row, settings.ISSUING_AUTHORITY])
    return response
