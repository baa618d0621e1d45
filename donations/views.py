from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.permissions import require
from accounts.services import give_form_initial
from core.feedback import add_service_errors
from core.leanpath import server_to_server
from core.params import id_param
from core.pdf import render_pdf
from core.roc import roc_year
from programs.models import Program, ProgramStatus
from programs.selectors import offers_of_donor, updates_for_donor

from . import ecpay, guest_links, permissions, selectors, services
from .forms import CorrectionForm, GiveForm, RefundForm
from .models import Pledge, PledgeStatus, Receipt, RecurringGift
from .numerals import amount_in_words

GUEST_SESSION_KEY = "donations.guest_trade_nos"


def _guest_trade_nos(request):
    return request.session.get(GUEST_SESSION_KEY, [])


def _pledge_for(request, trade_no) -> Pledge:
    pledge = get_object_or_404(
        # recurring_gift: the checkout asks whether the pledge starts a monthly gift (no second query).
        # Not the program's bureau: the permission asks its id (a column of the program), no page
        # shows it, and its join was a third of the checkout's query.
        Pledge.objects.select_related("program", "recurring_gift"),
        merchant_trade_no=trade_no,
    )
    require(
        permissions.can_view_pledge(request.user, pledge, guest_trade_nos=_guest_trade_nos(request)),
        hide=True,
    )
    return pledge


def give(request):
    program = None
    program_id = request.GET.get("program") or request.POST.get("program")
    if program_id:
        program = get_object_or_404(Program, pk=id_param(program_id), status=ProgramStatus.PUBLISHED)
    guest = not request.user.is_authenticated
    initial = give_form_initial(request.user)
    form = GiveForm(request.POST or None, guest=guest, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.give(donor=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if guest:
                request.session[GUEST_SESSION_KEY] = [*_guest_trade_nos(request), pledge.merchant_trade_no][
                    -20:
                ]
            return redirect("donations:checkout", trade_no=pledge.merchant_trade_no)
    return render(request, "donations/give.html", {"form": form, "program": program})


def checkout(request, trade_no):
    """The signed auto-submitting form that hands the donor to ECPay (or the local sandbox)."""
    pledge = _pledge_for(request, trade_no)
    if pledge.status != PledgeStatus.PENDING:
        return redirect(pledge)
    status_url = settings.SITE_URL + pledge.get_absolute_url()
    monthly = hasattr(pledge, "recurring_gift")
    params = ecpay.checkout_params(
        trade_no=pledge.merchant_trade_no,
        amount=pledge.amount,
        created_at=pledge.created_at,
        channel=pledge.channel,
        item_name=f"捐款－{pledge.designation}",
        return_url=settings.SITE_URL + reverse("payments:ecpay_notify"),
        payment_info_url=settings.SITE_URL + reverse("payments:ecpay_payment_info"),
        order_result_url=status_url,
        client_back_url=status_url,
        period_return_url=settings.SITE_URL + reverse("payments:ecpay_period"),
        monthly_times=pledge.recurring_gift.exec_times if monthly else 0,
    )
    action = reverse("payments:sandbox") if settings.ECPAY_SANDBOX else ecpay.merchant().checkout_url
    return render(request, "donations/checkout.html", {"pledge": pledge, "params": params, "action": action})


def guest_access(request, token):
    """The thank-you e-mail's signed link: lets this browser see the guest's pledge and receipt."""
    trade_no = guest_links.trade_no_from(token)
    pledge = (
        Pledge.objects.filter(merchant_trade_no=trade_no, donor__isnull=True).first() if trade_no else None
    )
    if pledge is None:
        return render(request, "donations/guest_link_invalid.html", status=404)
    trade_nos = [t for t in _guest_trade_nos(request) if t != trade_no]
    request.session[GUEST_SESSION_KEY] = [*trade_nos, trade_no][-20:]
    return redirect(pledge)


@csrf_exempt  # ECPay posts the donor back here (OrderResultURL); nothing is changed by this request
def pledge_status(request, trade_no):
    if request.method == "POST":
        return redirect("donations:pledge", trade_no=trade_no)
    pledge = _pledge_for(request, trade_no)
    return render(
        request,
        "donations/pledge.html",
        {
            "pledge": pledge,
            "receipt": selectors.current_receipt(pledge),
            "receipts": pledge.receipts.all(),
            "can_refund": permissions.can_refund(request.user, pledge),
            "sandbox_trade": _sandbox_trade(pledge),
        },
    )


def _sandbox_trade(pledge):
    return selectors.sandbox_trade(pledge) if settings.ECPAY_SANDBOX else None


@login_required
def dashboard(request):
    return render(
        request,
        "donations/dashboard.html",
        {
            **selectors.donor_overview(request.user),
            "offers": offers_of_donor(request.user)[:50],
            "updates": updates_for_donor(request.user)[:10],
        },
    )


def receipt_pdf(request, number):
    receipt = get_object_or_404(Receipt.objects.select_related("pledge", "pledge__program"), number=number)
    require(
        permissions.can_view_pledge(request.user, receipt.pledge, guest_trade_nos=_guest_trade_nos(request)),
        hide=True,
    )
    pdf = render_pdf(
        "donations/receipt_pdf.html",
        {
            "receipt": receipt,
            "pledge": receipt.pledge,
            "amount_words": amount_in_words(receipt.pledge.amount),
            "authority": settings.ISSUING_AUTHORITY,
            "legal_basis": settings.RECEIPT_LEGAL_BASIS,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{receipt.number}.pdf"'
    return response


# --- Staff ------------------------------------------------------------------------------------


@login_required
def staff_list(request):
    require(permissions.can_see_staff_list(request.user))
    pledges = selectors.pledges_for_staff(
        request.user, status=request.GET.get("status", ""), query=request.GET.get("q", "").strip()
    )
    page = Paginator(pledges, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "donations/staff_list.html",
        {
            "page": page,
            "statuses": PledgeStatus.choices,
            "q": request.GET.get("q", ""),
            "tax_years": (
                [roc_year(timezone.localdate()) - n for n in (0, 1)]
                if permissions.can_export_tax(request.user)
                else []
            ),
        },
    )


@login_required
def refund(request, trade_no):
    pledge = _pledge_for(request, trade_no)
    require(
        permissions.can_refund(request.user)
    )  # the form: even for a pledge it cannot refund (it says why)
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refund_pledge(pledge=pledge, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已退款，收據已作廢。"))
            return redirect(pledge)
    return render(request, "donations/refund.html", {"pledge": pledge, "form": form})


@login_required
def correct_receipt(request, trade_no):
    pledge = _pledge_for(request, trade_no)
    require(permissions.can_correct_receipt(request.user))
    form = CorrectionForm(request.POST or None, initial={"receipt_name": pledge.receipt_name})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.correct_receipt(pledge=pledge, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("已重新開立收據 %(number)s，原收據已作廢。") % {"number": receipt.number}
            )
            return redirect(pledge)
    return render(request, "donations/correct.html", {"pledge": pledge, "form": form})


@login_required
def program_donors(request, pk):
    program = get_object_or_404(Program, pk=pk)
    require(permissions.can_view_program_donors(request.user, program), hide=True)
    page = Paginator(selectors.program_donors(program), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "donations/program_donors.html",
        {"program": program, "page": page, "pledges": page.object_list},
    )


# --- The gateway's side -----------------------------------------------------------------------


def _answer(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/plain; charset=utf-8", status=200 if text == "1|OK" else 400)


@server_to_server
@require_POST
def ecpay_notify(request):
    return _answer(
        services.handle_notification(
            request.POST.dict(), endpoint="notify", remote_addr=request.META.get("REMOTE_ADDR")
        )
    )


@server_to_server
@require_POST
def ecpay_period(request):
    return _answer(
        services.handle_period_notification(request.POST.dict(), remote_addr=request.META.get("REMOTE_ADDR"))
    )


@login_required
@require_POST
def stop_monthly(request, pk):
    recurring = get_object_or_404(RecurringGift, pk=pk, donor=request.user)
    try:
        services.stop_monthly_gift(recurring=recurring, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已停止此筆定期定額捐款，之後不再扣款。"))
    return redirect("donations:dashboard")


@server_to_server
@require_POST
def ecpay_payment_info(request):
    return _answer(
        services.handle_notification(
            request.POST.dict(), endpoint="payment_info", remote_addr=request.META.get("REMOTE_ADDR")
        )
    )
