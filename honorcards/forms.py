from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.uploads import clean_image_upload

from .eligibility import Declared

MAX_PAGES = 10
PHOTO_LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 24_000_000, "max_side": 1200}
PAGE_LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 24_000_000, "max_side": 2400}
IMAGE_HELP = _("只接受 JPEG、PNG 或 GIF（依檔案內容判斷，修改副檔名無效），5 MB 以內。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_PAGES:
            raise ValidationError(
                gettext("紀錄冊內頁最多 %(count)s 張。") % {"count": MAX_PAGES}, code="too_many"
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(clean_image_upload(upload, **PAGE_LIMITS))
            except ValidationError as exc:
                errors.extend(f"{upload.name}：{m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ApplicationForm(forms.Form):
    """One volunteer's application: record-book number, figures (pre-filled), photo and record book."""

    record_book_number = forms.CharField(label=_("服務紀錄冊編號"), max_length=60)
    paper = forms.BooleanField(
        label=_("服務紀錄只登載於紙本紀錄冊（申報紀錄冊上的數字）"),
        required=False,
        help_text=_("勾選後請填寫下列三項並上傳紀錄冊封面與內頁，由審核人員核對。"),
    )
    declared_start = forms.DateField(label=_("紀錄冊登載之服務開始日期"), required=False, widget=DateInput())
    declared_last_service = forms.DateField(
        label=_("紀錄冊上最近一次服務日期"), required=False, widget=DateInput()
    )
    declared_hours = forms.DecimalField(
        label=_("紀錄冊登載之服務時數（至上述日期）"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
    )
    photo = forms.FileField(label=_("大頭照"), required=False, help_text=IMAGE_HELP)
    record_book_cover = forms.FileField(label=_("紀錄冊封面照片"), required=False, help_text=IMAGE_HELP)
    record_book_pages = MultipleImageField(
        label=_("紀錄冊內頁照片（可選多張）"), required=False, help_text=IMAGE_HELP
    )

    def __init__(self, *args, photo_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_required = photo_required
        self.fields["photo"].required = photo_required
        self.fields["record_book_pages"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif"
        for name in ("photo", "record_book_cover"):
            self.fields[name].widget.attrs["accept"] = "image/jpeg,image/png,image/gif"

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_image_upload(upload, **PHOTO_LIMITS) if upload else None

    def clean_record_book_cover(self):
        upload = self.cleaned_data.get("record_book_cover")
        return clean_image_upload(upload, **PAGE_LIMITS) if upload else None

    def clean(self):
        data = super().clean()
        if data.get("paper"):
            for name in ("declared_start", "declared_last_service", "declared_hours"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("申報紙本紀錄冊時必填。"))
        return data

    def declared(self) -> Declared:
        data = self.cleaned_data
        if not data.get("paper"):
            return Declared()
        return Declared(
            service_started_on=data.get("declared_start"),
            last_service_on=data.get("declared_last_service"),
            hours=data.get("declared_hours"),
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm_declared = forms.BooleanField(label=_("已核對紙本紀錄冊影像與申報數字相符"), required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("註銷原因"), widget=forms.Textarea(attrs={"rows": 3}))


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("更正內容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("姓名、出生日期、證件號碼取自志工資料；請先於志工資料更正。"),
    )
    photo = forms.FileField(label=_("新的大頭照（選填）"), required=False, help_text=IMAGE_HELP)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_image_upload(upload, **PHOTO_LIMITS) if upload else None
