"""Corporate volunteering pages: thin views (parse → one service or selector → render).

Anonymous → login; a role that never sees teams → 403; another company's team → 404."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from core.feedback import add_service_errors, flash_errors
from core.pdf import render_pdf
from core.tabular import csv_writer

from . import coordinators as coordinator_services
from . import permissions, selectors, services
from .forms import (
    CoordinatorForm,
    EnrolForm,
    MemberForm,
    ProposeForm,
    ReasonForm,
    TeamFilterForm,
    TeamForm,
    TeamRegistrationForm,
    YearForm,
)
from .models import CorporateTeam, TeamMatch, TeamMember
from .workflows import MATCH_FLOW


def _team(request, pk, check=permissions.can_view_team) -> CorporateTeam:
    team = get_object_or_404(CorporateTeam.objects.select_related("organisation", "coordinator"), pk=pk)
    require(check(request.user, team), hide=True)
    return team


def _match(request, pk) -> TeamMatch:
    match = get_object_or_404(TeamMatch.objects.select_related(*selectors.MATCH_RELATED), pk=pk)
    require(permissions.can_view_match(request.user, match), hide=True)
    return match


@login_required
def home(request):
    """The company's own team, the register form's door, or the matchers' list."""
    company = permissions.company_of(request.user)
    if company is not None and hasattr(company, "corporate_team"):
        return redirect("corporate:team_detail", pk=company.corporate_team.pk)
    if permissions.can_browse_teams(request.user):
        return redirect("corporate:team_list")
    require(permissions.can_register_team(request.user))
    return render(request, "corporate/home.html")


@login_required
def register(request):
    require(permissions.can_register_team(request.user))
    form = TeamRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.register_team(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("企業志工隊已登錄。請建立隊員名單，志推中心與運用單位會與您媒合服務。")
            )
            return redirect("corporate:team_detail", pk=team.pk)
    return render(request, "corporate/register.html", {"form": form})


@login_required
def team_list(request):
    require(permissions.can_browse_teams(request.user))
    filters = TeamFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    teams = selectors.teams_for_matching(
        domain=data.get("domain", ""), availability=data.get("availability", ""), query=data.get("q", "")
    )
    return render(
        request,
        "corporate/team_list.html",
        {
            "teams": teams,
            "filters": filters,
            "can_propose": permissions.has_role(request.user, *permissions.MATCHER_ROLES),
        },
    )


@login_required
def team_detail(request, pk):
    team = _team(request, pk)
    user = request.user
    return render(
        request,
        "corporate/team_detail.html",
        {
            "team": team,
            "matches": selectors.team_matches(team),
            "is_coordinator": permissions.is_company_coordinator(user, team),
            "can_propose": permissions.has_role(user, *permissions.MATCHER_ROLES),
            "can_view_report": permissions.can_view_csr_report(user, team),
            "offers": selectors.service_offers_of(team),
            "member_count": team.members.count(),
            "units": selectors.company_units(team),
        },
    )


@login_required
def team_edit(request, pk):
    team = _team(request, pk, permissions.can_manage_team)
    form = TeamForm(request.POST or None, initial={f: getattr(team, f) for f in services.TEAM_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(team=team, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更新企業志工隊資料。"))
            return redirect("corporate:team_detail", pk=team.pk)
    return render(request, "corporate/team_form.html", {"form": form, "team": team})


@login_required
def members(request, pk):
    team = _team(request, pk, permissions.can_view_roster)
    can_manage = permissions.can_manage_team(request.user, team)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            try:
                services.add_member(team=team, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已加入隊員。"))
                return redirect("corporate:members", pk=team.pk)
    return render(
        request,
        "corporate/members.html",
        {"team": team, "members": team.members.all(), "form": form, "can_manage": can_manage},
    )


@login_required
def coordinators(request, pk):
    """The company's coordinators: the list, adding one (by e-mail), removing (never the last)."""
    team = _team(request, pk, permissions.can_manage_coordinators)
    form = CoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            coordinator_services.invite_coordinator(team=team, actor=request.user, email=email)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The same words whether or not the address has an account that may join.
            messages.success(
                request,
                _(
                    "若 %(email)s 是尚未隸屬任何機關單位或企業的好日子個人帳號，對方會收到邀請信；"
                    "對方同意後即成為聯絡窗口。"
                )
                % {"email": email},
            )
            return redirect("corporate:coordinators", pk=team.pk)
    return render(
        request,
        "corporate/coordinators.html",
        {"team": team, "coordinators": list(coordinator_services.coordinators_of(team)), "form": form},
    )


@login_required
def coordinator_join(request, token):
    """The invited person's page: who invites them to which company; a POST accepts."""
    found = coordinator_services.read_invitation(token, request.user)
    if found is None:
        raise Http404
    team, inviter = found
    if request.method == "POST":
        try:
            coordinator_services.accept_invitation(token=token, user=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("您已成為「%(team)s」的聯絡窗口。") % {"team": team.name})
            return redirect("corporate:team_detail", pk=team.pk)
    return render(request, "corporate/coordinator_join.html", {"team": team, "inviter": inviter})


@require_POST
@login_required
def coordinator_remove(request, pk, user_pk):
    team = _team(request, pk, permissions.can_manage_coordinators)
    user = get_object_or_404(coordinator_services.coordinators_of(team), pk=user_pk)
    try:
        coordinator_services.remove_coordinator(team=team, actor=request.user, user=user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("corporate:coordinators", pk=team.pk)
    messages.success(request, _("已移除聯絡窗口 %(email)s。") % {"email": user.email})
    if user.pk == request.user.pk:  # removed themselves: the team's pages are no longer theirs
        return redirect("core:home")
    return redirect("corporate:coordinators", pk=team.pk)


@require_POST
@login_required
def member_remove(request, pk):
    member = get_object_or_404(TeamMember.objects.select_related("team"), pk=pk)
    require(permissions.can_manage_team(request.user, member.team), hide=True)
    services.remove_member(member=member, actor=request.user)
    messages.success(request, _("已將 %(name)s 移出隊員名單，並刪除其個人資料。") % {"name": member.name})
    return redirect("corporate:members", pk=member.team_id)


@login_required
def propose(request, pk):
    require(permissions.has_role(request.user, *permissions.MATCHER_ROLES))
    team = _team(request, pk)
    opportunity = _opportunity(request, request.GET.get("opportunity"))
    form = ProposeForm(
        request.POST or None,
        shifts=selectors.shifts_to_offer(request.user, opportunity=opportunity),
        offers=selectors.service_offers_of(team),
    )
    if request.method == "POST" and form.is_valid():
        try:
            match = services.propose_match(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已送出媒合邀請，等待企業回覆。"))
            return redirect("corporate:match_detail", pk=match.pk)
    return render(request, "corporate/propose.html", {"form": form, "team": team, "opportunity": opportunity})


def _opportunity(request, value):
    """``?opportunity=<id>`` narrows the shifts to one opportunity's (its page links here); one the
    user may not see (another unit's draft) is ignored: its title is not shown."""
    from opportunities.models import Opportunity
    from opportunities.permissions import can_view_opportunity

    if not value or not str(value).isdigit() or len(value) > 12:
        return None
    opportunity = Opportunity.objects.select_related("unit").filter(pk=int(value)).first()
    if opportunity is None or not can_view_opportunity(request.user, opportunity):
        return None
    return opportunity


@login_required
def match_detail(request, pk):
    match = _match(request, pk)
    user = request.user
    can_enrol = permissions.can_enrol(user, match)
    enrolled_ids = set(match.enrolments.values_list("member_id", flat=True))
    return render(
        request,
        "corporate/match_detail.html",
        {
            "match": match,
            "can_answer": permissions.can_answer_match(user, match),
            "can_enrol": can_enrol,
            "can_cancel": permissions.can_cancel_match(user, match),
            "enrol_form": EnrolForm(members=match.team.members.exclude(pk__in=enrolled_ids))
            if can_enrol
            else None,
            "enrolments": match.enrolments.select_related(
                "member", "signup__volunteer", "signup__service_record"
            ),
            "reason_form": ReasonForm(),
            "actions": MATCH_FLOW.actions_from(match.status),
        },
    )


@require_POST
@login_required
def match_answer(request, pk):
    match = _match(request, pk)
    require(permissions.is_company_coordinator(request.user, match.team))
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "accept":
            services.accept_match(match=match, actor=request.user)
            messages.success(request, _("已同意媒合，運用單位將為隊員排班。"))
        else:
            services.decline_match(
                match=match, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("已婉拒此媒合。"))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("corporate:match_detail", pk=match.pk)


@require_POST
@login_required
def match_enrol(request, pk):
    match = _match(request, pk)
    require(permissions.can_manage_unit(request.user, match.shift.event.unit))
    form = EnrolForm(request.POST, members=match.team.members.all())
    if not form.is_valid():
        messages.error(request, _("請選擇隊員。"))
        return redirect("corporate:match_detail", pk=match.pk)
    try:
        enrolled, refused = services.enrol_members(
            match=match, actor=request.user, members=form.cleaned_data["members"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if enrolled:
            messages.success(
                request, _("已排入班次：%(names)s") % {"names": "、".join(m.name for m in enrolled)}
            )
        for member, reason in refused:
            messages.error(request, f"{member.name}：{reason}")
    return redirect("corporate:match_detail", pk=match.pk)


@require_POST
@login_required
def match_cancel(request, pk):
    match = _match(request, pk)
    require(permissions.is_match_host(request.user, match))
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.cancel_match(match=match, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已取消此媒合。"))
    return redirect("corporate:match_detail", pk=match.pk)


def _report(request, pk):
    team = _team(request, pk, permissions.can_view_csr_report)
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    return team, form, selectors.csr_report(team, year)


@login_required
def report(request, pk):
    team, form, data = _report(request, pk)
    return render(
        request,
        "corporate/report.html",
        {
            **data,
            "year_form": form if form.is_bound else YearForm(initial={"year": data["year"]}),
            "years": selectors.report_years(team),
        },
    )


@login_required
def report_pdf(request, pk):
    team, _form, data = _report(request, pk)
    response = HttpResponse(render_pdf("corporate/report_pdf.html", data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="csr-{team.tax_id}-{data["roc_year"]}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_csv(request, pk):
    team, _form, data = _report(request, pk)
    buffer = io.StringIO()
    csv_writer(buffer).writerows(selectors.csr_rows(data))
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="csr-{team.tax_id}-{data["roc_year"]}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
