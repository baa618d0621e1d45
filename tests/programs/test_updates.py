import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs import selectors, services
from programs.models import Program
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_updates_reach_subscribers_who_asked_for_email(
    bureau, caseworker, donor, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    program = ProgramFactory(bureau=bureau, published=True)
    quiet = make_user()
    services.subscribe_to_updates(user=donor, program=program, by_email=True)
    services.subscribe_to_updates(user=quiet, program=program, by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(
            program=program,
            actor=caseworker,
            title="物資已送達",
            body="謝謝",
            posted_on=timezone.localdate(),
            beneficiaries_reached=25,
        )
    assert [m.to for m in mailoutbox] == [[donor.email]]
    assert "物資已送達" in mailoutbox[0].body
    assert [u.title for u in selectors.updates_for_donor(donor)] == ["物資已送達"]
    assert [u.title for u in selectors.updates_for_donor(quiet)] == ["物資已送達"]  # on their dashboard
    assert Program.objects.get(pk=program.pk).beneficiaries_reached == 25


def test_only_the_owning_bureau_posts_updates_on_public_programs(bureau, caseworker, other_caseworker):
    program = ProgramFactory(bureau=bureau, published=True)
    with pytest.raises(PermissionDenied):
        services.post_update(
            program=program, actor=other_caseworker, title="x", body="x", posted_on=timezone.localdate()
        )
    draft = ProgramFactory(bureau=bureau)
    with pytest.raises(PermissionDenied):
        services.post_update(
            program=draft, actor=caseworker, title="x", body="x", posted_on=timezone.localdate()
        )


def test_an_update_dated_in_the_future_is_refused(bureau, caseworker):
    program = ProgramFactory(bureau=bureau, published=True)
    with pytest.raises(ValidationError):
        services.post_update(
            program=program,
            actor=caseworker,
            title="x",
            body="x",
            posted_on=timezone.localdate() + timezone.timedelta(days=3),
        )
