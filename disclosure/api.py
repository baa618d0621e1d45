from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.params import id_param
from core.ratelimit import AnonAtomicRateThrottle

from .selectors import report_or_provisional


class DisclosureMonthSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True, help_text="null while the month is in progress")
    provisional = serializers.BooleanField(
        help_text="true for the month in progress: built live from the records, not yet frozen"
    )
    sha256 = serializers.CharField(
        allow_null=True,
        help_text="SHA-256 of the canonical JSON of `content` (sorted keys, no spaces); null while provisional.",
    )
    published_at = serializers.DateTimeField()
    licence = serializers.CharField()
    content = serializers.JSONField(
        help_text="income, refunds, goods, spending, funds, totals, by_channel, by_category"
    )


class DisclosureMonthView(APIView):
    """公開徵信月報（開放資料）：the published month, as shown on the portal, masked donor names."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonAtomicRateThrottle]

    @extend_schema(
        operation_id="disclosure_month",
        summary="A month's public disclosure (open data)",
        parameters=[
            OpenApiParameter("version", int, description="an earlier published version (default: the latest)")
        ],
        responses={
            200: DisclosureMonthSerializer,
            400: OpenApiResponse(description="a NUL byte in a parameter (refused before any view)"),
            404: OpenApiResponse(description="no such month, or no such version of it"),
            429: OpenApiResponse(description="more than the anonymous rate (120/min per address)"),
        },
    )
    def get(self, request, year: int, month: int):
        version = request.query_params.get("version")
        if not (2000 <= int(year) <= 2999 and 1 <= int(month) <= 12):
            raise Http404  # as the page does: no such month (and no date arithmetic on year 0)
        report = report_or_provisional(int(year), int(month), id_param(version))
        if report is None:
            raise Http404
        return Response(
            {
                "year": report.year,
                "month": report.month,
                "version": report.version,
                "provisional": report.version is None,
                "sha256": report.digest or None,
                "published_at": report.built_at,
                "licence": report.content["licence"],
                "content": report.content,
            }
        )
