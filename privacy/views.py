import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import require
from core.feedback import add_service_errors
from core.pdf import render_pdf

from . import permissions, selectors, services
from .forms import CloseAccountForm, CorrectionForm, HandleRequestForm
from .models import DataRequest
from .retention import RETENTION

PAGE_SIZE = 50  # the request queue, open ones first (issue 21: staff lists are paginated)


def _filename(extension: str) -> str:
    return f"goodday-my-data-{timezone.localdate():%Y%m%d}.{extension}"


@login_required
def my_data(request):
    require(permissions.can_download_own_data(request.user))
    sections = selectors.for_reading(selectors.personal_data_of(request.user))
    return render(
        request,
        "privacy/my_data.html",
        {
            "sections": sections,
            "can_request": permissions.can_request_correction(request.user),
            "can_close": permissions.can_close_own_account(request.user),
            "retention": RETENTION,
        },
    )


@login_required
def my_data_json(request):
    require(permissions.can_download_own_data(request.user))
    data = selectors.as_json(selectors.personal_data_of(request.user))
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@login_required
def my_data_pdf(request):
    require(permissions.can_download_own_data(request.user))
    sections = selectors.for_reading(selectors.personal_data_of(request.user))
    pdf = render_pdf("privacy/my_data_pdf.html", {"sections": sections, "person": request.user})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response


@login_required
def request_correction(request):
    require(permissions.can_request_correction(request.user))
    recipients = selectors.correction_recipients(request.user)
    form = CorrectionForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已送出更正申請，受理單位處理後會以電子郵件通知您。"))
            return redirect("privacy:my_data")
    return render(request, "privacy/correction.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    require(permissions.can_close_own_account(request.user))
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_account(user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("您的帳號已註銷。依法須保存的捐款與收據紀錄將保存至期滿後匿名化。"))
            return redirect("core:home")
    return render(request, "privacy/close_account.html", {"form": form, "retention": RETENTION})


@login_required
def request_queue(request):
    require(permissions.can_view_request_queue(request.user))
    page = Paginator(selectors.requests_for(request.user.organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/queue.html", {"page": page, "requests": page.object_list})


@login_required
def request_detail(request, pk):
    require(permissions.can_view_request_queue(request.user))
    data_request = get_object_or_404(DataRequest.objects.select_related("requester", "volunteer"), pk=pk)
    require(permissions.can_handle_request(request.user, data_request), hide=True)
    form = HandleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_request(
                request=data_request, actor=request.user, reply=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已記錄處理結果並通知申請人。"))
            return redirect("privacy:queue")
    return render(request, "privacy/request.html", {"data_request": data_request, "form": form})
