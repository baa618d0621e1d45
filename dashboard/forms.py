from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind

from .geo import validate_coordinates
from .models import DropOffPoint
from .services import EDITABLE_FIELDS


class DropOffPointForm(forms.ModelForm):
    """Address typed by staff, coordinates picked on the map (static/dashboard/pick.js fills the
    two numbers from a click; without JavaScript they are typed)."""

    class Meta:
        model = DropOffPoint
        fields = EDITABLE_FIELDS
        help_texts = {
            "latitude": _("在地圖上點選地點會自動填入；也可直接輸入，例如 25.037531。"),
            "longitude": _("例如 121.563731。"),
        }
        error_messages = {
            "latitude": {"required": _("請在地圖上點選位置，或填寫緯度。"), "invalid": _("緯度請填數字。")},
            "longitude": {"required": _("請在地圖上點選位置，或填寫經度。"), "invalid": _("經度請填數字。")},
        }

    def __init__(self, *args, user_sees_all: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU], is_active=True
        ).order_by("name")
        self.fields["bureau"].empty_label = _("請選擇局處")
        if not user_sees_all:
            del self.fields["bureau"]  # a caseworker's points belong to their own bureau
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if "latitude" not in self.errors and "longitude" not in self.errors:
            try:
                validate_coordinates(lat, lng)
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data
