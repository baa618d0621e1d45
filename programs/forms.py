from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.uploads import clean_image_upload

from .models import Category, GoodsNeed, Offer, Program, ProgramStatus, ProgramUpdate, ServiceNeed
from .services import EDITABLE_FIELDS


class ProgramForm(forms.ModelForm):
    # The program's contact is the caseworker filling the form, as a rule: the browser may offer theirs.
    autocomplete_fields = {"contact_name": "name", "contact_phone": "tel", "contact_email": "email"}
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label=_("類別"),
        empty_label=_("請選擇類別"),
        error_messages={"required": _("請選擇方案類別。")},
    )

    class Meta:
        model = Program
        fields = EDITABLE_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "latitude": _("在地圖上標示服務地點用（例如 25.037531）；留空時依地址所在行政區的中心標示。"),
            "longitude": _("例如 121.563731；可留空。"),
            "money_target": _("不募款請填 0。"),
        }

    def clean_cover_image(self):
        image = self.cleaned_data.get("cover_image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            cleaned = clean_image_upload(image)
            cleaned.name = f"cover.{cleaned.name.rsplit('.', 1)[-1]}"
            return cleaned
        return image

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("結束日期不可早於開始日期。"))
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude", _("緯度與經度請一起填寫或一起留空。"))
        if lat is not None and not (21 <= lat <= 26.5 and 118 <= lng <= 123):
            self.add_error("latitude", _("座標不在臺灣範圍內，請確認。"))
        return data


class GoodsLineForm(forms.Form):
    item = forms.CharField(label=_("物資品項"), max_length=100)
    quantity = forms.IntegerField(
        label=_("數量"), min_value=1, error_messages={"min_value": _("數量必須大於 0。")}
    )
    unit = forms.CharField(label=_("單位"), max_length=20)
    unit_value = forms.IntegerField(label=_("單價估值（元）"), min_value=0, initial=0)
    deadline = forms.DateField(
        label=_("需求截止日"),
        widget=DateInput(),
        help_text=_("填寫物資品項時必填，不可早於今天。"),
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("需求截止日不可早於今天。"))
        return deadline


class ServiceLineForm(forms.Form):
    description = forms.CharField(label=_("服務內容"), max_length=200)
    people = forms.IntegerField(label=_("需要人數"), min_value=0, initial=0)
    hours = forms.IntegerField(label=_("需要時數"), min_value=0, initial=0)
    when = forms.CharField(label=_("服務時間"), max_length=120)


GoodsLineFormSet = forms.formset_factory(GoodsLineForm, extra=2, can_delete=True)
ServiceLineFormSet = forms.formset_factory(ServiceLineForm, extra=1, can_delete=True)


def lines(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def goods_initial(program) -> list[dict]:
    return [
        {
            "item": g.item,
            "quantity": g.quantity,
            "unit": g.unit,
            "unit_value": g.unit_value,
            "deadline": g.deadline,
        }
        for g in GoodsNeed.objects.filter(program=program)
    ]


def services_initial(program) -> list[dict]:
    return [
        {"description": s.description, "people": s.people, "hours": s.hours, "when": s.when}
        for s in ServiceNeed.objects.filter(program=program)
    ]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CloseForm(forms.Form):
    closing_report = forms.CharField(
        label=_("結案報告（完成了什麼）"), widget=forms.Textarea(attrs={"rows": 6})
    )
    beneficiaries_reached = forms.IntegerField(label=_("累計受益人次"), min_value=0)


class UpdateForm(forms.ModelForm):
    class Meta:
        model = ProgramUpdate
        fields = ("posted_on", "title", "body", "photo", "photo_alt", "beneficiaries_reached")
        widgets = {"posted_on": DateInput(), "body": forms.Textarea(attrs={"rows": 5})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            cleaned = clean_image_upload(photo)
            cleaned.name = f"update.{cleaned.name.rsplit('.', 1)[-1]}"
            return cleaned
        return photo


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ("item", "quantity", "unit", "condition", "delivery_place", "delivery_window", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"quantity": {"min_value": _("數量必須大於 0。")}}


class FreeOfferForm(OfferForm):
    kind = forms.ChoiceField(label=_("類型"), choices=[("goods", _("物資")), ("service", _("服務"))])

    class Meta(OfferForm.Meta):
        fields = ("kind", *OfferForm.Meta.fields)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("回覆"), choices=[("accept", _("接受")), ("decline", _("婉拒"))], widget=forms.RadioSelect
    )
    quantity = forms.IntegerField(label=_("接受數量"), min_value=1, required=False)
    reason = forms.CharField(label=_("婉拒理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ClaimForm(forms.Form):
    program = forms.ModelChoiceField(Program.objects.none(), label=_("認領至方案"))

    def __init__(self, *args, bureau_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(
            bureau_id=bureau_id, status=ProgramStatus.PUBLISHED
        )
