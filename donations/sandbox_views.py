"""The local sandbox gateway's pages (development and demo only; see sandbox.py): the cashier our
checkout form posts to, its back office, and the endpoints our gateway client calls."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import sandbox as gateway


def _sandbox_only():
    if not settings.ECPAY_SANDBOX:
        raise Http404


@csrf_exempt  # it plays an outside site that receives our signed form
@require_POST
def cashier(request):
    _sandbox_only()
    params = request.POST.dict()
    try:
        trade = gateway.open_trade(params)
    except ValidationError as exc:
        return render(request, "donations/sandbox.html", {"error": exc.messages[0]}, status=400)
    return render(
        request,
        "donations/sandbox.html",
        {"trade": trade, "params": params, "choose": params.get("ChoosePayment")},
    )


@require_POST
def act(request):
    """The donor's choice on the cashier page; back to the portal's page of the gift."""
    _sandbox_only()
    trade_no = request.POST.get("MerchantTradeNo", "")
    try:
        result = gateway.act(trade_no, request.POST.get("action", ""))
    except ValidationError as exc:
        messages.error(request, f"模擬金流：{exc.messages[0]}")
    else:
        messages.info(request, f"模擬金流：{result}")
    return redirect("donations:pledge", trade_no=trade_no)


def vouchers(request):
    """The gateway's back office: ATM and store-code vouchers issued, to be paid or left to expire."""
    _sandbox_only()
    if request.method == "POST":
        trade_no = request.POST.get("MerchantTradeNo", "")
        action = request.POST.get("action", "")
        try:
            if action == "expire":
                result = gateway.let_expire(trade_no)
            elif action == "pay":
                result = gateway.act(trade_no, "pay")
            else:
                raise ValidationError("未知的模擬動作。")
        except ValidationError as exc:
            messages.error(request, f"{trade_no}：{exc.messages[0]}")
        else:
            messages.success(request, f"{trade_no}：{result}")
        return redirect("payments:sandbox_vouchers")
    issued, closed = gateway.issued_vouchers()
    return render(request, "donations/sandbox_vouchers.html", {"issued": issued, "closed": closed})


@csrf_exempt
@require_POST
def query(request):
    _sandbox_only()
    return HttpResponse(gateway.query(request.POST.dict()), content_type="text/plain")


@csrf_exempt
@require_POST
def period_action(request):
    _sandbox_only()
    return HttpResponse(gateway.period_action(request.POST.dict()), content_type="text/plain")
