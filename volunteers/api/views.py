"""The units' API for their own systems (``/api/v1/``): volunteers, bulk service records, totals.

Authentication: ``Authorization: Token <key>`` with a unit's key (made on the unit's API-key page),
or a signed-in officer's session. A request acts for one unit; it sees only volunteers who serve
or served in that unit (anyone else → 404). The same services as the web pages do the work, so the
same validation and permissions apply (quarter hours, 24 hours a day across units, approved plan).
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.ratelimit import AtomicRateThrottle
from core.validators import IdentityKind

from ..models import Membership, ServiceDomain, Sex, Volunteer
from ..registry import selectors, services
from . import services as api_services
from .auth import UnitTokenAuthentication, api_unit

MAX_BULK = 5000


class IsUnitClient(BasePermission):
    """A unit's key, or a signed-in officer of a unit."""

    message = gettext_lazy("此 API 僅供志願服務運用單位使用（單位 API 金鑰或承辦人登入）。")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and api_unit(request) is not None)


# Every unit endpoint answers these before looking at the request (the published schema says so).
AUTH_ERRORS = {
    400: OpenApiResponse(description="a NUL byte in a parameter (refused before any view)"),
    401: OpenApiResponse(description="no key, or a revoked key"),
    403: OpenApiResponse(description="not a volunteer unit's key or officer"),
    429: OpenApiResponse(
        description="more requests than VOLUNTEER_API_THROTTLE_RATE allows; see Retry-After"
    ),
}


class UnitRateThrottle(AtomicRateThrottle):
    """Per key (or per officer for sessions)."""

    scope = "volunteer_api"

    def get_rate(self):
        return settings.VOLUNTEER_API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        auth = request.auth
        ident = f"token-{auth.pk}" if hasattr(auth, "key_hash") else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class UnitApiView(APIView):
    authentication_classes = [UnitTokenAuthentication, SessionAuthentication]
    permission_classes = [IsUnitClient]
    throttle_classes = [UnitRateThrottle]

    def unit(self):
        return api_unit(self.request)

    def volunteer(self, pk) -> Volunteer:
        """A volunteer of this unit (current or former member); anybody else is 404."""
        volunteer = Volunteer.objects.filter(pk=pk, memberships__unit=self.unit()).first()
        if volunteer is None:
            raise Http404
        return volunteer


def _errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {"errors": dict(exc.message_dict)}
    return {"errors": {"non_field_errors": exc.messages}}


# --- Serializers -------------------------------------------------------------------------------------


class VolunteerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    identity_kind = serializers.ChoiceField(choices=IdentityKind.choices, default=IdentityKind.NATIONAL_ID)
    identity_number = serializers.CharField(
        max_length=30, help_text="身分證、居留證或護照號碼（以此找出同一人）。"
    )
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    main_domain = serializers.ChoiceField(choices=ServiceDomain.choices)
    joined_on = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    record_book_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    record_book_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    service_started_on = serializers.DateField(required=False, allow_null=True, default=None)


class VolunteerPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    birth_date = serializers.DateField(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    record_book_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    record_book_issued_on = serializers.DateField(required=False, allow_null=True)
    service_started_on = serializers.DateField(required=False, allow_null=True)


class MembershipSerializer(serializers.Serializer):
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    main_domain = serializers.CharField()


class VolunteerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    identity_kind = serializers.CharField()
    masked_identity = serializers.CharField(help_text="遮蔽的證件號碼（完整號碼不經 API 傳回）。")
    birth_date = serializers.DateField()
    sex = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    record_book_number = serializers.CharField()
    record_book_issued_on = serializers.DateField(allow_null=True)
    service_started_on = serializers.DateField(allow_null=True)
    membership = MembershipSerializer(allow_null=True)


def volunteer_data(volunteer, unit) -> dict:
    membership = Membership.objects.filter(unit=unit, volunteer=volunteer).first()
    data = {
        field: getattr(volunteer, field) for field in VolunteerSerializer().fields if field != "membership"
    }
    data["membership"] = (
        {
            "joined_on": membership.joined_on,
            "left_on": membership.left_on,
            "main_domain": membership.main_domain,
        }
        if membership
        else None
    )
    return VolunteerSerializer(data).data


class ServiceRecordItemSerializer(serializers.Serializer):
    volunteer_id = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="志工 id，或改填 identity_number。"
    )
    identity_number = serializers.CharField(
        required=False, max_length=30, help_text="證件號碼，或改填 volunteer_id。"
    )
    served_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=2, help_text="0.25 小時為單位。")
    domain = serializers.ChoiceField(
        choices=ServiceDomain.choices, required=False, help_text="預設為隊員的服務領域。"
    )
    activity = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ServiceRecordBulkSerializer(serializers.Serializer):
    records = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_BULK)


ITEM_ERROR = inline_serializer(
    "BulkItemError",
    {
        "index": serializers.IntegerField(),
        "field": serializers.CharField(),
        "message": serializers.CharField(),
    },
)
VALIDATION_ERROR = inline_serializer("ValidationErrors", {"errors": serializers.DictField()})


# --- Views ---------------------------------------------------------------------------------------------


class VolunteerUpsertView(UnitApiView):
    @extend_schema(
        operation_id="volunteer_create_or_update",
        summary="Create a volunteer in the unit, or update one found by ID number",
        description=(
            "以證件號碼找人：本單位已有此人 → 更新資料（200）；否則登錄為本單位志工（201），"
            "若此人已在其他單位服務，須出生日期與姓名也相符，才新增本單位的隊員資格並補上空白的資料；"
            "不相符時回 400，訊息不透露既有資料，且每位承辦人每小時的不符次數有上限。"
        ),
        request=VolunteerInputSerializer,
        responses={
            200: VolunteerSerializer,
            201: VolunteerSerializer,
            400: VALIDATION_ERROR,
            **AUTH_ERRORS,
        },
        tags=["volunteers"],
    )
    def post(self, request):
        unit = self.unit()
        serializer = VolunteerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            volunteer, created = api_services.upsert_volunteer(
                unit=unit, actor=request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(volunteer_data(volunteer, unit), status=code)


class VolunteerDetailView(UnitApiView):
    @extend_schema(
        operation_id="volunteer_read",
        summary="A volunteer of the unit",
        responses={
            **AUTH_ERRORS,
            200: VolunteerSerializer,
            404: OpenApiResponse(description="not a volunteer of this unit"),
        },
        tags=["volunteers"],
    )
    def get(self, request, pk):
        return Response(volunteer_data(self.volunteer(pk), self.unit()))

    @extend_schema(
        operation_id="volunteer_update",
        summary="Update a volunteer of the unit",
        request=VolunteerPatchSerializer,
        responses={
            **AUTH_ERRORS,
            200: VolunteerSerializer,
            400: VALIDATION_ERROR,
            404: OpenApiResponse(description="not found"),
        },
        tags=["volunteers"],
    )
    def patch(self, request, pk):
        volunteer = self.volunteer(pk)
        serializer = VolunteerPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            volunteer = services.update_volunteer(
                volunteer=volunteer, actor=request.user, unit=self.unit(), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(volunteer_data(volunteer, self.unit()))


class VolunteerTotalsSerializer(serializers.Serializer):
    volunteer_id = serializers.IntegerField()
    total_hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    hours_by_year = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    hours_by_unit = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    hours_by_domain = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    first_service = serializers.DateField(allow_null=True)
    last_service = serializers.DateField(allow_null=True)


class VolunteerTotalsView(UnitApiView):
    @extend_schema(
        operation_id="volunteer_totals",
        summary="A volunteer's service hours in this unit",
        description="只含本單位登錄的時數；其他單位的時數屬於該單位，不經本單位的 API 提供。",
        responses={
            **AUTH_ERRORS,
            200: VolunteerTotalsSerializer,
            404: OpenApiResponse(description="not a volunteer of this unit"),
        },
        tags=["volunteers"],
    )
    def get(self, request, pk):
        volunteer = self.volunteer(pk)
        totals = selectors.volunteer_totals(volunteer, unit=self.unit())
        totals["hours_by_year"] = {str(k): v for k, v in totals["hours_by_year"].items()}
        return Response(VolunteerTotalsSerializer({"volunteer_id": volunteer.pk, **totals}).data)


class ServiceRecordBulkView(UnitApiView):
    @extend_schema(
        operation_id="service_records_bulk",
        summary="Post service records in bulk (all or nothing)",
        description=(
            "每筆以 volunteer_id 或 identity_number 指定本單位志工。全部檢查無誤才寫入；"
            "任何一筆有錯則全部不寫入，回傳每筆錯誤（index 從 0 起算）。每人每日跨單位合計不超過 24 小時。"
            f"一次最多 {MAX_BULK} 筆。"
        ),
        request=inline_serializer("ServiceRecordBulk", {"records": ServiceRecordItemSerializer(many=True)}),
        responses={
            **AUTH_ERRORS,
            201: inline_serializer("ServiceRecordBulkCreated", {"created": serializers.IntegerField()}),
            400: inline_serializer("ServiceRecordBulkErrors", {"errors": ITEM_ERROR}),
        },
        examples=[
            OpenApiExample(
                "two records",
                value={
                    "records": [
                        {
                            "identity_number": "A123456789",
                            "served_on": "2026-11-20",
                            "hours": "3.5",
                            "domain": "health",
                        },
                        {"volunteer_id": 42, "served_on": "2026-11-20", "hours": "2", "activity": "門診導引"},
                    ]
                },
                request_only=True,
            )
        ],
        tags=["service records"],
    )
    def post(self, request):
        envelope = ServiceRecordBulkSerializer(data=request.data)
        if not envelope.is_valid():
            return Response({"errors": envelope.errors}, status=status.HTTP_400_BAD_REQUEST)
        items, errors = _parse_items(envelope.validated_data["records"])
        try:
            count = api_services.record_bulk_service_records(
                unit=self.unit(), actor=request.user, items=items, errors=errors
            )
        except api_services.BulkRefused as refused:
            return Response({"errors": refused.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": count}, status=status.HTTP_201_CREATED)


def _parse_items(items) -> tuple[list[tuple[int, dict]], list[dict]]:
    """((index, validated data) of the well-formed items, an error per field of the others)."""
    valid, errors = [], []
    for index, item in enumerate(items):
        serializer = ServiceRecordItemSerializer(data=item)
        if serializer.is_valid():
            valid.append((index, serializer.validated_data))
            continue
        for field, messages in serializer.errors.items():
            message = messages[0] if isinstance(messages, list) and messages else messages
            errors.append({"index": index, "field": field, "message": str(message)})
    return valid, errors
