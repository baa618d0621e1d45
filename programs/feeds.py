"""RSS and Atom feeds of the catalogue: newly published programs and their progress updates,
newest first. Links are absolute from SITE_URL (a feed reader has no page to resolve them against)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.pagecache import cache_public_page

from .models import ProgramStatus, ProgramUpdate
from .selectors import public_programs

ITEMS = 30


@dataclass
class Entry:
    title: str
    description: str
    link: str
    published: datetime.datetime
    category: str
    guid: str


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def latest_entries(limit: int = ITEMS) -> list[Entry]:
    programs = (
        public_programs()
        .filter(published_at__isnull=False)
        .select_related("category")
        .order_by("-published_at", "-pk")[:limit]
    )
    updates = (
        ProgramUpdate.objects.filter(program__status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED])
        .select_related("program", "program__category")
        .order_by("-posted_on", "-pk")[:limit]
    )
    entries = [
        Entry(
            title=_("新方案：%(title)s") % {"title": p.title},
            description=p.summary,
            link=settings.SITE_URL + p.get_absolute_url(),
            published=p.published_at,
            category=p.category.name,
            guid=f"{settings.SITE_URL}{p.get_absolute_url()}#program",
        )
        for p in programs
    ]
    entries += [
        Entry(
            title=_("%(program)s：%(title)s") % {"program": u.program.title, "title": u.title},
            description=u.body[:500],
            link=f"{settings.SITE_URL}{u.program.get_absolute_url()}#update-{u.pk}",
            published=_start_of_day(u.posted_on),
            category=u.program.category.name,
            guid=f"{settings.SITE_URL}{u.program.get_absolute_url()}#update-{u.pk}",
        )
        for u in updates
    ]
    return sorted(entries, key=lambda e: e.published, reverse=True)[:limit]


class ProgramsFeed(Feed):
    def title(self):
        return _("好日子愛心方案：新方案與進度更新")

    def link(self):
        return settings.SITE_URL + reverse("programs:list")

    def description(self):
        return _("%(city)s好日子愛心平台新公開的方案與各方案的進度更新。") % {"city": settings.CITY_NAME}

    def feed_url(self):
        return settings.SITE_URL + reverse("programs:feed_rss")

    def items(self):
        return latest_entries()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.published

    def item_categories(self, item):
        return [item.category]


class ProgramsAtomFeed(ProgramsFeed):
    feed_type = Atom1Feed
    subtitle = ProgramsFeed.description

    def feed_url(self):
        return settings.SITE_URL + reverse("programs:feed_atom")


rss = cache_public_page("programs")(ProgramsFeed())
atom = cache_public_page("programs")(ProgramsAtomFeed())
