"""Form widgets and fields the volunteer forms share."""

from django import forms

from core.forms import DateInput

from .models import Volunteer

DATE = DateInput()


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


HOURS = forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal"})


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.masked_identity}）"


def members_queryset(unit):
    return Volunteer.objects.filter(memberships__unit=unit, memberships__left_on__isnull=True).order_by(
        "name", "pk"
    )
