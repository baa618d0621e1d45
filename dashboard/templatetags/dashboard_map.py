from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("dashboard/_coordinate_picker.html")
def coordinate_picker(lat_id: str = "id_latitude", lng_id: str = "id_longitude"):
    """A map above a form's latitude/longitude inputs: a click fills them (static/dashboard/pick.js).
    Without JavaScript the map stays hidden and the numbers are typed."""
    return {
        "lat_id": lat_id,
        "lng_id": lng_id,
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
