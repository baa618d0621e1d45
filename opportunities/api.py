"""Open opportunities as JSON (open data, in the OpenAPI schema at /api/schema/)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.ratelimit import AnonAtomicRateThrottle

from . import opendata


class OpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField(help_text="the volunteer unit (運用單位)")
    domain = serializers.CharField(help_text="service domain code, e.g. social_welfare")
    domain_label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["one_off", "regular"])
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    schedule = serializers.CharField(allow_blank=True)
    venue = serializers.CharField()
    district = serializers.CharField(allow_blank=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    capacity = serializers.IntegerField(help_text="people wanted")
    accepted = serializers.IntegerField(help_text="people accepted so far")
    suits = serializers.ListField(
        child=serializers.ChoiceField(choices=["family", "youth", "senior", "company"])
    )
    requires_basic_training = serializers.BooleanField()
    requires_special_training = serializers.BooleanField()
    url = serializers.URLField()


class OpenOpportunitiesView(APIView):
    """志工招募（開放資料）：opportunities taking applications now."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonAtomicRateThrottle]

    @extend_schema(
        operation_id="opportunities_open",
        summary="Open volunteer opportunities (open data)",
        responses={
            200: OpportunitySerializer(many=True),
            429: OpenApiResponse(description="more than the anonymous rate (120/min per address)"),
        },
    )
    def get(self, request):
        items = opendata.records(absolute=request.build_absolute_uri)
        response = Response(OpportunitySerializer(items, many=True).data)
        response["Access-Control-Allow-Origin"] = "*"
        return response
