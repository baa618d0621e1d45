"""Volunteers, their training, awards and insurance, the résumé and claiming one's record.

Anonymous → login; a role that never sees unit records → 403; another unit's record → 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from core.feedback import add_service_errors, flash_errors
from core.uploads import image_content_type

from .. import permissions
from ..guards import PAGE_SIZE, managed_unit, staff_view, viewable_unit
from ..models import InsurancePolicy, Training, Volunteer
from . import identity, selectors, services
from .forms import (
    AwardForm,
    ClaimForm,
    InsuredForm,
    LeaveForm,
    PolicyForm,
    RevealForm,
    TrainingForm,
    VolunteerEditForm,
    VolunteerForm,
)
from .resume import resume_pdf as build_pdf

# --- Volunteers -------------------------------------------------------------------------------


@staff_view
def volunteer_list(request, pk):
    unit = viewable_unit(request, pk)
    q = request.GET.get("q", "")
    include_left = request.GET.get("left") == "1"
    volunteers = selectors.volunteers_of_unit(unit, include_left=include_left, q=q)
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    # Masked for everybody: the whole number is on the person's page, shown on purpose (audited).
    insured = selectors.insured_ids([v.pk for v in page.object_list], unit=unit)
    for v in page.object_list:
        v.identity_display = v.masked_identity
        v.unit_membership = v.unit_memberships[0] if v.unit_memberships else None
        v.is_insured_now = v.pk in insured
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "unit": unit,
            "page": page,
            "q": q,
            "include_left": include_left,
            "is_officer": permissions.is_officer_of(request.user, unit),
        },
    )


@staff_view
def volunteer_add(request, pk):
    unit = managed_unit(request, pk)
    form = VolunteerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.register_volunteer(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if volunteer.joined_unit:
                messages.success(request, _("已將 %(name)s 登錄為本單位志工。") % {"name": volunteer.name})
            else:
                messages.info(
                    request,
                    _("%(name)s 已是本單位志工，沒有重複登錄；您填寫而原本空白的資料已補上。")
                    % {"name": volunteer.name},
                )
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "unit": unit, "volunteer": None})


def _volunteer(request, pk) -> Volunteer:
    try:
        volunteer = selectors.volunteer_detail(pk)
    except Volunteer.DoesNotExist:
        raise Http404 from None
    require(permissions.can_view_volunteer(request.user, volunteer), hide=True)
    return volunteer


def _volunteer_page(request, volunteer, *, revealed: str = "", reveal_form=None):
    user = request.user
    unit = permissions.unit_of(user)
    response = render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            # Masked by default; the whole number only after the audited "show" (reveal_identity).
            "identity_display": revealed or volunteer.masked_identity,
            "revealed": bool(revealed),
            "can_reveal": permissions.can_see_full_identity_number(user, volunteer),
            "reveal_form": reveal_form or RevealForm(),
            **selectors.person_view(volunteer, selectors.scope_for(user, volunteer)),
            "can_manage": permissions.can_record_for_volunteer(user, volunteer),
            "can_award": permissions.can_record_award(user, volunteer),
            "membership_here": next(
                (m for m in volunteer.memberships.all() if unit and m.unit_id == unit.pk), None
            ),
            "leave_form": LeaveForm(),
        },
    )
    if revealed:
        response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def volunteer_detail(request, pk):
    return _volunteer_page(request, _volunteer(request, pk))


@staff_view
@require_POST
def reveal_identity(request, pk):
    """The explicit "show the whole ID number" on the person's page: a reason, then audited."""
    volunteer = _volunteer(request, pk)
    require(permissions.can_see_full_identity_number(request.user, volunteer))
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            number = identity.reveal(
                volunteer=volunteer, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _volunteer_page(request, volunteer, revealed=number)
    return _volunteer_page(request, volunteer, reveal_form=form)


@staff_view
def volunteer_edit(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    unit = permissions.unit_of(request.user)
    form = VolunteerEditForm.for_volunteer(volunteer, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields.get("photo"):
            fields.pop("photo", None)
        try:
            services.update_volunteer(volunteer=volunteer, actor=request.user, unit=unit, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("志工資料已更新。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request, "volunteers/volunteer_form.html", {"form": form, "unit": unit, "volunteer": volunteer}
    )


@require_POST
@staff_view
def volunteer_leave(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    form = LeaveForm(request.POST)
    form.is_valid()
    try:
        services.end_membership(
            volunteer=volunteer,
            actor=request.user,
            unit=permissions.unit_of(request.user),
            left_on=form.cleaned_data.get("left_on"),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已辦理離隊；志工的服務紀錄仍完整保留。"))
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


@login_required
def volunteer_photo(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_volunteer(request.user, volunteer), hide=True)
    if not volunteer.photo:
        raise Http404
    response = FileResponse(volunteer.photo.open("rb"), content_type=image_content_type(volunteer.photo.name))
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def training_add(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_for_volunteer(request.user, volunteer), hide=True)
    form = TrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training(
                volunteer=volunteer,
                actor=request.user,
                unit=permissions.unit_of(request.user),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("訓練紀錄已登錄。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/simple_form.html",
        {"form": form, "volunteer": volunteer, "heading": _("登錄訓練紀錄"), "multipart": True},
    )


@login_required
def training_certificate(request, pk):
    training = get_object_or_404(Training.objects.select_related("volunteer"), pk=pk)
    require(permissions.can_view_volunteer(request.user, training.volunteer), hide=True)
    if not training.certificate:
        raise Http404
    response = FileResponse(
        training.certificate.open("rb"), content_type=image_content_type(training.certificate.name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def award_add(request, pk):
    volunteer = _volunteer(request, pk)
    require(permissions.can_record_award(request.user, volunteer))
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_award(volunteer=volunteer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("獎勵紀錄已登錄。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/simple_form.html",
        {"form": form, "volunteer": volunteer, "heading": _("登錄獎勵表揚")},
    )


@staff_view
def award_thresholds(request):
    require(permissions.can_view_award_thresholds(request.user))
    thresholds = selectors.AWARD_THRESHOLDS
    people = selectors.volunteers_reaching(thresholds, unit_ids=permissions.statistics_unit_ids(request.user))
    groups = [
        {"threshold": t, "people": [p for p in people if p.threshold == t]}
        for t in sorted(thresholds, reverse=True)
    ]
    return render(request, "volunteers/award_thresholds.html", {"groups": groups, "total": len(people)})


# --- Insurance --------------------------------------------------------------------------------


@staff_view
def insurance_list(request, pk):
    unit = viewable_unit(request, pk)
    is_officer = permissions.is_officer_of(request.user, unit)
    form = PolicyForm(request.POST or None) if is_officer else None
    if request.method == "POST":
        require(is_officer)
        if form.is_valid():
            try:
                policy = services.create_policy(unit=unit, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("保單已登錄，請勾選被保險的志工。"))
                return redirect("volunteers:insurance_detail", pk=policy.pk)
    today = timezone.localdate()
    active, insured_now = selectors.unit_coverage(unit, today)
    return render(
        request,
        "volunteers/insurance_list.html",
        {
            "unit": unit,
            "policies": selectors.policies_of_unit(unit),
            "form": form,
            "today": today,
            "active": active,
            "insured_now": insured_now,
        },
    )


@staff_view
def insurance_detail(request, pk):
    policy = get_object_or_404(InsurancePolicy.objects.select_related("unit__organisation"), pk=pk)
    require(permissions.can_view_unit(request.user, policy.unit), hide=True)
    is_officer = permissions.is_officer_of(request.user, policy.unit)
    form = InsuredForm(
        request.POST or None,
        unit=policy.unit,
        initial={"volunteers": list(policy.insured.values_list("pk", flat=True))},
    )
    if request.method == "POST":
        require(is_officer)
        if form.is_valid():
            try:
                services.set_insured(
                    policy=policy, actor=request.user, volunteers=form.cleaned_data["volunteers"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("被保險人名單已更新。"))
                return redirect("volunteers:insurance_detail", pk=policy.pk)
    return render(
        request,
        "volunteers/insurance_detail.html",
        {
            "policy": policy,
            "form": form,
            "is_officer": is_officer,
            # The enrolment list for the insurer needs whole ID numbers: the policy's unit only.
            "insured": policy.insured.order_by("name", "pk"),
        },
    )


# --- Résumé -----------------------------------------------------------------------------------


@login_required
def my_resume(request):
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        return redirect("volunteers:claim")
    return redirect("volunteers:resume", pk=volunteer.pk)


@login_required
def resume(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_resume(request.user, volunteer), hide=True)
    context = selectors.resume(volunteer, unit=selectors.scope_for(request.user, volunteer))
    context["is_self"] = volunteer.user_id == request.user.pk
    # The person sees their own number; staff see it masked (whole only through the audited "show").
    context["identity_display"] = (
        volunteer.identity_number if context["is_self"] else volunteer.masked_identity
    )
    return render(request, "volunteers/resume.html", context)


@login_required
def resume_pdf(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    require(permissions.can_view_resume(request.user, volunteer), hide=True)
    data = build_pdf(
        volunteer,
        full_identity=volunteer.user_id == request.user.pk,
        unit=selectors.scope_for(request.user, volunteer),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="resume-{volunteer.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def claim(request):
    existing = Volunteer.objects.filter(user=request.user).first()
    if existing is not None:
        return redirect("volunteers:resume", pk=existing.pk)
    require(permissions.has_claimable_role(request.user))
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.claim_volunteer_record(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已連結您的志工紀錄。"))
            return redirect("volunteers:resume", pk=volunteer.pk)
    return render(request, "volunteers/claim.html", {"form": form})
