"""Reads for program pages: each list is a fixed number of queries however many programs there are."""

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_noop

from accounts.models import Organisation
from core.params import id_param

from .models import (
    Category,
    GoodsNeed,
    Offer,
    OfferStatus,
    Program,
    ProgramStatus,
    ProgramUpdate,
    ServiceNeed,
)
from .search import search as ranked_search

# Plain strings marked for translation (gettext_noop): other apps reuse these labels; templates
# show them with {% translate label %}.
SORTS = {
    "newest": gettext_noop("最新"),
    "most_needed": gettext_noop("最需要"),
    "ending_soon": gettext_noop("即將截止"),
}
NEED_TYPES = {"money": gettext_noop("募款"), "goods": gettext_noop("物資"), "services": gettext_noop("服務")}


def published_programs():
    return Program.objects.filter(status=ProgramStatus.PUBLISHED)


def public_programs():
    return Program.objects.filter(status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED])


def _with_cards(qs):
    return qs.select_related("bureau", "category").prefetch_related(
        Prefetch("goods_needs", queryset=GoodsNeed.objects.order_by("deadline", "pk"))
    )


def search(qs, text: str):
    """See ``programs.search``: every word in title, summary, category, need items, bureau or place,
    with common variants, ranked."""
    return ranked_search(qs, text)


def catalogue(
    *,
    q: str = "",
    category: str = "",
    bureau: str = "",
    need: str = "",
    state: str = "open",
    sort: str = "newest",
):
    qs = public_programs()
    if state == "open":
        qs = qs.filter(status=ProgramStatus.PUBLISHED)
    elif state == "closed":
        qs = qs.filter(status=ProgramStatus.CLOSED)
    if category:
        qs = qs.filter(category__slug=category)
    if id_param(bureau) is not None:
        qs = qs.filter(bureau_id=id_param(bureau))
    if need == "money":
        qs = qs.filter(money_target__gt=0)
    elif need == "goods":
        qs = qs.filter(Exists(GoodsNeed.objects.filter(program=OuterRef("pk"))))
    elif need == "services":
        qs = qs.filter(Exists(ServiceNeed.objects.filter(program=OuterRef("pk"))))
    qs = search(qs, q)
    ranked = ("-search_rank",) if q.strip() and sort not in ("most_needed", "ending_soon") else ()
    if sort == "most_needed":
        qs = qs.annotate(
            money_left=Greatest(F("money_target") - F("money_raised"), 0),
            goods_left=Coalesce(Sum(F("goods_needs__quantity") - F("goods_needs__quantity_accepted")), 0),
        ).order_by("-money_left", "-goods_left", "ends_on", "pk")
    elif sort == "ending_soon":
        qs = qs.order_by("ends_on", "pk")
    else:
        qs = qs.order_by(*ranked, F("published_at").desc(nulls_last=True), "-pk")
    return _with_cards(qs)


def filter_choices():
    return {
        "categories": list(Category.objects.all()),
        "bureaus": list(
            Organisation.objects.filter(programs__status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED])
            .distinct()
            .order_by("name")
        ),
        "need_types": NEED_TYPES,
        "sorts": SORTS,
    }


def program_detail(pk: int) -> Program:
    return (
        Program.objects.select_related("bureau", "category")
        .prefetch_related(
            Prefetch("goods_needs", queryset=GoodsNeed.objects.order_by("deadline", "pk")),
            "service_needs",
            Prefetch("updates", queryset=ProgramUpdate.objects.order_by("-posted_on", "-pk")),
        )
        .get(pk=pk)
    )


def bureau_programs(bureau_id: int):
    return (
        Program.objects.filter(bureau_id=bureau_id)
        .select_related("category")
        # Counted per program in a subquery (for the page's rows only), not over a join of every offer.
        .annotate(
            pending_offers=Coalesce(
                Subquery(
                    Offer.objects.filter(program=OuterRef("pk"), status=OfferStatus.PENDING)
                    .order_by()
                    .values("program")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("status", "-created_at")
    )


def offers_awaiting_decision(bureau_id: int):
    return (
        Offer.objects.filter(status=OfferStatus.PENDING)
        .filter(Q(program__bureau_id=bureau_id) | Q(claimed_by_id=bureau_id))
        .select_related("program")  # the workspace shows the program's title, nothing of the donor
        .order_by("created_at")
    )


def unclaimed_offers():
    return Offer.objects.filter(
        status=OfferStatus.PENDING, program__isnull=True, claimed_by__isnull=True
    ).order_by("created_at")


def goods_due(bureau_id: int):
    """Accepted goods not yet delivered, and delivered goods waiting to be received into custody."""
    return (
        Offer.objects.filter(
            status__in=[OfferStatus.ACCEPTED, OfferStatus.PARTLY_ACCEPTED, OfferStatus.DELIVERED],
            kind="goods",
        )
        .filter(Q(program__bureau_id=bureau_id) | Q(claimed_by_id=bureau_id))
        .select_related("program")
        .order_by("status", "decided_at")
    )


def review_queue():
    return (
        Program.objects.filter(status=ProgramStatus.SUBMITTED)
        .select_related("bureau", "category", "created_by")
        .order_by("submitted_at")
    )


def offers_of_donor(user):
    return (
        Offer.objects.filter(donor=user)
        .select_related("program", "goods_need", "goods_donation")
        .order_by("-created_at")
    )


def updates_for_donor(user):
    """Updates of the programs a donor follows (newest first), for their dashboard."""
    return (
        ProgramUpdate.objects.filter(program__subscriptions__user=user)
        .select_related("program")
        .order_by("-posted_on", "-pk")
    )


def trigram_index_exists() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'programs_program_title_trgm'")
        return cursor.fetchone() is not None
