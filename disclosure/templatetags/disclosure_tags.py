from django import template

from disclosure.selectors import program_totals

register = template.Library()


@register.inclusion_tag("disclosure/_program_spending.html")
def program_spending(program):
    """A program's own income and spending, from the published monthly reports."""
    return {"program": program, "totals": program_totals(program.pk)}
