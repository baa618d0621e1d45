"""core.models.CachedChoiceLabels: get_FOO_display() reads as Django's own in every language, with
each field's labels translated once per language instead of all of them on every call (issue 21: a
list of 50 service records translated ~1,000 labels per page)."""

import pytest
from django.db import models
from django.utils import translation

from core.models import choice_labels
from programs.models import Offer, Program
from volunteers.models import ImportBatch, ServiceDomain, ServiceRecord, VolunteerUnit


def _cases():
    for model, names in (
        (ServiceRecord, ("domain", "source", "status")),
        (VolunteerUnit, ("main_domain",)),
        (ImportBatch, ("kind", "status")),
        (Offer, ("kind", "status")),
        (Program, ("status",)),
    ):
        for name in names:
            yield model, name


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize(("model", "name"), list(_cases()))
def test_each_label_reads_as_djangos_own_in_each_language(model, name, language):
    field = model._meta.get_field(name)
    instance = model()
    with translation.override(language):
        for value, _ in field.flatchoices:
            setattr(instance, field.attname, value)
            assert getattr(instance, f"get_{name}_display")() == models.Model._get_FIELD_display(
                instance, field
            )


def test_the_labels_follow_the_language_switched_to_and_back():
    record = ServiceRecord(domain=ServiceDomain.HEALTH)
    with translation.override("zh-hant"):
        assert record.get_domain_display() == "衛生保健"
    with translation.override("en"):
        assert record.get_domain_display() == "Health care"
    with translation.override("zh-hant"):
        assert record.get_domain_display() == "衛生保健"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert ServiceRecord(domain="retired").get_domain_display() == "retired"
    assert ServiceRecord(domain=None).get_domain_display() is None


def test_a_fields_labels_are_translated_once_per_language_not_on_every_call(monkeypatch):
    translated = []
    real = translation._trans.gettext  # the function every lazy label ends in

    def counting(message):
        translated.append(message)
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", counting)
    choice_labels.cache_clear()
    records = [ServiceRecord(domain=value) for value in ServiceDomain.values] * 10
    with translation.override("en"):
        shown = [r.get_domain_display() for r in records]
    assert shown[1] == "Health care"
    # Once per label of the field (Django's own translates all 13 on each of the 130 calls: 1,690).
    assert len(translated) == len(ServiceDomain.choices)
