"""Search that finds what people type: every word of the query must match the program's title,
summary, category, need items (goods and services), bureau or place, in any of its common
variants (臺/台, 老人/長者 …); matches are ranked by where they matched.

PostgreSQL: the LIKEs are served by the trigram indexes (migration 0002/0004) and trigram word
similarity to the title breaks ties. SQLite (``make run``): the same filters, a plain scan.
"""

from itertools import product

from django.db import connection
from django.db.models import Exists, F, FloatField, IntegerField, OuterRef, Q, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Cast

from .models import GoodsNeed, ServiceNeed

# Words people use for the same thing. Each group is searched as one.
SYNONYMS = [
    {"老人", "長者", "老年", "銀髮", "高齡"},
    {"兒童", "兒少", "孩童", "小朋友"},
    {"身障", "身心障礙", "障礙者"},
    {"急難", "緊急"},
    {"遊民", "街友"},
]
CHARACTER_VARIANTS = {"臺": "台", "台": "臺", "衞": "衛", "衛": "衞"}
MAX_WORDS = 5
MAX_VARIANTS = 12
# Where a word matched, and how much that says about the program.
WEIGHTS = {"title": 10, "category": 6, "needs": 4, "summary": 3, "bureau": 2, "place": 2}


def variants(word: str) -> list[str]:
    """The word, its synonyms, and each with 臺/台-style character variants (bounded)."""
    words = {word}
    for group in SYNONYMS:
        for synonym in group:
            if synonym in word:
                words |= {word.replace(synonym, other) for other in group}
    out = set()
    for w in sorted(words):
        choices = [(c, CHARACTER_VARIANTS[c]) if c in CHARACTER_VARIANTS else (c,) for c in w]
        for combo in product(*choices):
            out.add("".join(combo))
            if len(out) >= MAX_VARIANTS:
                break
    return sorted(out, key=lambda v: (v != word, v))[:MAX_VARIANTS]


def _field_q(field: str, terms: list[str]) -> Q:
    q = Q()
    for term in terms:
        q |= Q(**{f"{field}__icontains": term})
    return q


def _needs_match(terms: list[str]):
    goods = GoodsNeed.objects.filter(program=OuterRef("pk")).filter(_field_q("item", terms))
    services = ServiceNeed.objects.filter(program=OuterRef("pk")).filter(_field_q("description", terms))
    return Q(Exists(goods)) | Q(Exists(services))


def _matches(terms: list[str]) -> dict[str, Q]:
    return {
        "title": _field_q("title", terms),
        "category": _field_q("category__name", terms),
        "needs": _needs_match(terms),
        "summary": _field_q("summary", terms),
        "bureau": _field_q("bureau__name", terms) | _field_q("bureau__short_name", terms),
        "place": _field_q("place", terms),
    }


def search(qs, text: str):
    """Programs matching every word of ``text``, annotated with ``search_rank`` (higher first)."""
    words = (text or "").split()[:MAX_WORDS]
    if not words:
        return qs
    rank = Value(0, output_field=IntegerField())
    for word in words:
        matches = _matches(variants(word))
        any_field = Q()
        for q in matches.values():
            any_field |= q
        qs = qs.filter(any_field)
        for key, q in matches.items():
            rank = rank + Case(
                When(q, then=Value(WEIGHTS[key])), default=Value(0), output_field=IntegerField()
            )
    qs = qs.annotate(search_rank=Cast(rank, FloatField()))
    if connection.vendor == "postgresql":
        # Imported here: django.contrib.postgres needs psycopg, which a SQLite install may lack.
        from django.contrib.postgres.search import TrigramWordSimilarity

        qs = qs.annotate(
            search_rank=F("search_rank") + TrigramWordSimilarity(Value(" ".join(words)), "title")
        )
    return qs
