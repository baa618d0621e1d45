from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import allowed_by, require
from core.pdf import render_pdf
from programs.models import Offer
from programs.permissions import is_caseworker

from . import goods as goods_services
from . import selectors
from .forms import CustodyForm, HandoutForm, ReceiveGoodsForm, ServiceDeliveryForm
from .models import GoodsDonation
from .numerals import amount_in_words
from .permissions import (
    can_list_goods,
    can_manage_goods,
    can_view_goods,
    can_view_goods_receipt,
)

PAGE_SIZE = 50  # goods in care, newest first (issue 21: staff lists are paginated)


def _offer_for_bureau(request, pk) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("program", "goods_need", "donor"), pk=pk)
    require(can_manage_goods(request.user, offer.bureau_id), hide=True)
    return offer


@allowed_by(is_caseworker)
def receive_goods(request, pk):
    offer = _offer_for_bureau(request, pk)
    unit_value = offer.goods_need.unit_value if offer.goods_need_id else 0
    form = ReceiveGoodsForm(
        request.POST or None, initial={"quantity": offer.accepted_quantity, "unit_value": unit_value}
    )
    if request.method == "POST" and form.is_valid():
        try:
            goods = goods_services.receive_goods(offer=offer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("已驗收 %(item)s %(n)s%(unit)s。")
                % {"item": goods.item, "n": goods.quantity_received, "unit": goods.unit},
            )
            return redirect("donations:goods_detail", pk=goods.pk)
    return render(request, "donations/receive_goods.html", {"offer": offer, "form": form})


@allowed_by(can_list_goods)
def goods_list(request):
    page = Paginator(selectors.goods_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "donations/goods_list.html", {"page": page, "goods": page.object_list})


@allowed_by(can_list_goods)
def goods_detail(request, pk):
    goods = get_object_or_404(GoodsDonation.objects.select_related("program", "offer"), pk=pk)
    require(can_view_goods(request.user, goods), hide=True)
    can_manage = can_manage_goods(request.user, goods.bureau_id)
    handout_form = HandoutForm(
        request.POST if request.POST.get("action") == "handout" else None,
        initial={"handed_out_on": timezone.localdate()},
    )
    custody_form = CustodyForm(
        request.POST if request.POST.get("action") == "custody" else None,
        initial={"storage_location": goods.storage_location},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "handout" and handout_form.is_valid():
                goods_services.hand_out_goods(goods=goods, actor=request.user, **handout_form.cleaned_data)
                messages.success(request, _("已登錄發放。"))
                return redirect("donations:goods_detail", pk=goods.pk)
            if request.POST.get("action") == "custody" and custody_form.is_valid():
                goods_services.move_to_custody(goods=goods, actor=request.user, **custody_form.cleaned_data)
                messages.success(request, _("已更新保管地點。"))
                return redirect("donations:goods_detail", pk=goods.pk)
        except ValidationError as exc:
            (handout_form if request.POST.get("action") == "handout" else custody_form).add_error(None, exc)
    return render(
        request,
        "donations/goods_detail.html",
        {
            "goods": goods,
            "handouts": goods.handouts.all(),
            "handout_form": handout_form,
            "custody_form": custody_form,
            "can_manage": can_manage,
        },
    )


@allowed_by(is_caseworker)
def service_delivery(request, pk):
    offer = _offer_for_bureau(request, pk)
    form = ServiceDeliveryForm(request.POST or None, initial={"served_by": offer.donor.get_full_name()})
    if request.method == "POST" and form.is_valid():
        try:
            goods_services.record_service_delivery(offer=offer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登錄服務紀錄。"))
            return redirect("programs:workspace")
    return render(
        request,
        "donations/service_delivery.html",
        {"offer": offer, "form": form, "deliveries": offer.service_deliveries.all()},
    )


@login_required
def goods_receipt_pdf(request, pk):
    """The goods donor's receipt: items received and their appraised market value."""
    goods = get_object_or_404(GoodsDonation.objects.select_related("program"), pk=pk)
    require(can_view_goods_receipt(request.user, goods), hide=True)
    pdf = render_pdf(
        "donations/goods_receipt_pdf.html",
        {
            "goods": goods,
            "authority": settings.ISSUING_AUTHORITY,
            "value_words": amount_in_words(goods.appraised_value),
        },
    )
    return HttpResponse(pdf, content_type="application/pdf")
