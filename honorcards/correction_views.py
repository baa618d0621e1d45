"""The volunteer centre's list of corrections to records behind issued cards, and its decision."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import allowed_by
from core.feedback import flash_errors

from . import corrections, permissions
from .models import CorrectionStatus, RecordCorrection

PAGE_SIZE = 20  # corrections waiting, oldest first, each with its form (issue 21: staff lists are paginated)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", gettext_lazy("確認更正")), ("refuse", gettext_lazy("不同意"))]
    )
    note = forms.CharField(label=gettext_lazy("說明"), max_length=500, required=False)


@allowed_by(permissions.decides_record_corrections)
def correction_list(request):
    qs = RecordCorrection.objects.select_related(
        "card", "record__volunteer", "record__unit__organisation", "requested_by", "decided_by"
    )
    pending = qs.filter(status=CorrectionStatus.PENDING).order_by("requested_at", "pk")
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "honorcards/corrections.html",
        {
            "page": page,
            "pending": page.object_list,
            "decided": qs.exclude(status=CorrectionStatus.PENDING).order_by("-decided_at", "-pk")[:50],
        },
    )


@require_POST
@allowed_by(permissions.decides_record_corrections)
def correction_decide(request, pk):
    correction = get_object_or_404(RecordCorrection, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("請選擇確認或不同意。"))
        return redirect("honorcards:corrections")
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "confirm":
            done = corrections.confirm_correction(correction=correction, actor=request.user, note=note)
            messages.success(
                request,
                _("已確認更正；榮譽卡 %(number)s 重新檢核：%(result)s")
                % {"number": done.card.number, "result": done.recheck_note},
            )
        else:
            corrections.refuse_correction(correction=correction, actor=request.user, note=note)
            messages.success(request, _("已回覆不同意更正。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("honorcards:corrections")
