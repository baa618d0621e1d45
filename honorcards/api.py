"""GET /api/v1/volunteers/<id>/honor-card-eligibility/?as_of=YYYY-MM-DD

A unit's token (or a signed-in officer) sees only volunteers serving in that unit; the volunteer
centre and the card reviewers (session) see anyone. Others: 404 for a volunteer they may not see.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from volunteers.api.auth import UnitTokenAuthentication, api_unit
from volunteers.models import Volunteer

from .eligibility import MAX_DATE, MIN_DATE
from .permissions import is_reviewer, serves_in
from .selectors import check_eligibility


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    explanation = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    volunteer_id = serializers.IntegerField()
    as_of = serializers.DateField()
    kind = serializers.ChoiceField(choices=["first", "renewal"])
    eligible = serializers.BooleanField()
    previous_card_number = serializers.CharField(allow_null=True)
    previous_card_expires_on = serializers.DateField(allow_null=True)
    counted_from = serializers.DateField(allow_null=True)
    counted_until = serializers.DateField(allow_null=True)
    years = serializers.IntegerField()
    days = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    hours_by_unit = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    hours_by_domain = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    hours_without_training = serializers.DecimalField(max_digits=10, decimal_places=2)
    last_service_on = serializers.DateField(allow_null=True)
    declared = serializers.BooleanField()
    rules = RuleSerializer(many=True)
    eligible_on = serializers.DateField(allow_null=True)
    forecast_note = serializers.CharField(allow_blank=True)


@extend_schema(
    summary="志願服務榮譽卡資格檢核",
    parameters=[OpenApiParameter("as_of", str, description="檢核日期 YYYY-MM-DD（預設今天）")],
    responses={
        200: EligibilitySerializer,
        400: OpenApiResponse(
            description="`as_of` is not a date YYYY-MM-DD between 1912-01-01 and 2999-12-31"
        ),
        404: OpenApiResponse(description="no such volunteer, or not one of this unit's"),
    },
)
@api_view(["GET"])
@authentication_classes([UnitTokenAuthentication, SessionAuthentication])
@permission_classes([IsAuthenticated])
def eligibility(request, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk)
    if not is_reviewer(request.user) and not serves_in(volunteer, api_unit(request)):
        raise NotFound
    raw = request.query_params.get("as_of")
    try:
        as_of = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        raise ValidationError({"as_of": _("日期格式應為 YYYY-MM-DD。")}) from None
    if not (MIN_DATE <= as_of <= MAX_DATE):
        raise ValidationError({"as_of": _("日期須在 1912-01-01 至 2999-12-31 之間。")})
    result = check_eligibility(volunteer, as_of=as_of)
    data = result.as_dict()
    return Response(EligibilitySerializer(data).data)
