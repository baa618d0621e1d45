from django import template

from disclosure import gift_use
from disclosure.selectors import program_totals

register = template.Library()


@register.inclusion_tag("disclosure/_program_spending.html")
def program_spending(program):
    """A program's own income and spending, from the published monthly reports, and what its
    designated money and goods became (spending lines, hand-outs)."""
    return {"program": program, "totals": program_totals(program.pk), "use": gift_use.program_use(program)}


@register.inclusion_tag("disclosure/_gift_use.html")
def donor_gift_use(user):
    """On a signed-in donor's dashboard: each designated gift's program spending since, and the
    goods they gave traced to hand-out."""
    return {**gift_use.donor_use(user), "for_donor": True}


@register.inclusion_tag("disclosure/_gift_use.html")
def pledge_gift_use(pledge):
    """On a pledge's page (a guest reaches it through their signed link): the same, for one gift."""
    return {"gifts": gift_use.gifts_traced([pledge]), "handouts": [], "for_donor": False}
