"""Who may read the operator's pages."""

from accounts.permissions import is_site_admin


def can_read_metrics(user) -> bool:
    """The site administrators (who also see failed tasks); a scraper uses METRICS_TOKEN instead."""
    return is_site_admin(user)
