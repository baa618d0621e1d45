"""Import pages: upload, the batch's progress (polled with htmx) and errors, the templates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by
from core.feedback import add_service_errors

from .. import permissions
from ..guards import officer_unit
from ..models import ImportBatch, ImportKind
from ..workflows import IMPORT_RUNNING
from . import files
from . import services as imports
from .forms import ImportForm


@allowed_by(permissions.is_unit_officer)
def import_list(request):
    unit = officer_unit(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.start_import(
                unit=unit,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("volunteers:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.filter(unit=unit).select_related("created_by").order_by("-created_at")[:20]
    return render(
        request,
        "volunteers/imports/list.html",
        {
            "unit": unit,
            "form": form,
            "batches": batches,
            "kinds": ImportKind.choices,
            "columns": files.COLUMNS,
        },
    )


def _batch(request, pk) -> ImportBatch:
    unit = officer_unit(request)
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk, unit=unit)


def _context(batch):
    percent = int(batch.processed_rows * 100 / batch.total_rows) if batch.total_rows else 0
    return {
        "batch": batch,
        "running": batch.status in IMPORT_RUNNING,
        "percent": percent,
        "retryable": imports.is_retryable(batch),
    }


@allowed_by(permissions.is_unit_officer)
def import_detail(request, pk):
    batch = _batch(request, pk)
    return render(request, "volunteers/imports/detail.html", _context(batch))


@allowed_by(permissions.is_unit_officer)
def import_progress(request, pk):
    """The progress fragment htmx polls every second while the batch runs (286 stops the polling)."""
    batch = _batch(request, pk)
    context = _context(batch)
    response = render(request, "volunteers/imports/_progress.html", context)
    if not context["running"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@allowed_by(permissions.is_unit_officer)
def import_retry(request, pk):
    """Try again: a batch whose worker died is queued again from its stored file."""
    batch = _batch(request, pk)
    try:
        imports.retry_import(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重新排入處理。"))
    return redirect("volunteers:import_detail", pk=batch.pk)


@allowed_by(permissions.is_unit_officer)
def import_template(request, kind, fmt):
    officer_unit(request)
    if kind not in ImportKind.values or fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(
            files.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(files.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.{fmt}"'
    return response
