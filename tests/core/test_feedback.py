"""A service's refusal lands where the user looks: on the field it is about, or on top of the form."""

from django import forms
from django.core.exceptions import ValidationError

from core.feedback import add_service_errors


class AmountForm(forms.Form):
    amount = forms.IntegerField()


def bound_form():
    form = AmountForm(data={"amount": "100"})
    assert form.is_valid()
    return form


def test_a_message_about_a_field_of_the_form_is_shown_on_that_field():
    form = bound_form()
    add_service_errors(form, ValidationError({"amount": "金額太小。"}))
    assert form.errors["amount"] == ["金額太小。"]
    assert not form.non_field_errors()


def test_a_message_about_a_field_the_form_lacks_is_shown_on_top():
    form = bound_form()
    add_service_errors(form, ValidationError({"program": "此方案目前未接受捐款。"}))
    assert form.non_field_errors() == ["此方案目前未接受捐款。"]


def test_plain_messages_are_shown_on_top():
    form = bound_form()
    add_service_errors(form, ValidationError(["第一項。", "第二項。"]))
    assert form.non_field_errors() == ["第一項。", "第二項。"]
