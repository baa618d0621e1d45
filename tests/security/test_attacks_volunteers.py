"""Attacks on the volunteers, honor-card and dashboard apps, tried and refused.

- Guessing ids: another unit's officer (or another volunteer) asks for records that are not theirs.
- Script injection in every text those apps show back (the welfare map, its GeoJSON, the card check
  page, the staff pages): always shown escaped.
- CSRF: every URL of the three apps refuses a POST without a token (the list comes from the URL
  configuration, so a new form is covered without anybody remembering to add it here).
- Personal data: full ID numbers never on the screens of people who should see them masked, never in
  the log records written while registering, importing or approving a card, never in the audit trail.
"""

import datetime
import json
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from core.seeding import fake_national_id
from core.validators import mask_identity_number
from honorcards import services as card_services
from honorcards.models import Application, HonorCard, PrintBatch
from tests.accounts.factories import OrganisationFactory, make_user
from tests.dashboard.factories import DropOffPointFactory
from tests.honorcards.factories import World, eligible_volunteer, photo
from tests.programs.factories import ProgramFactory
from tests.security.matrix import all_url_names
from tests.volunteers.factories import (
    PlanFactory,
    ServiceRecordFactory,
    TrainingFactory,
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    member_of,
    officer_of,
)
from volunteers import permissions as volunteer_permissions
from volunteers.api.auth import issue_token
from volunteers.events import services as events
from volunteers.models import (
    ImportBatch,
    ImportKind,
    Membership,
    PlanStatus,
    ServiceRecord,
    UnitApiToken,
)

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SHORT = "<script>alert(1)</script>"  # for fields of 50 characters or fewer


def _is_escaped(html: str) -> bool:
    return "<script>alert" not in html and "<img src=x onerror" not in html


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    """Files of fields whose storage was fixed when the models loaded go to the test's folder."""
    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "imports")
    )


# --- Guessing ids ------------------------------------------------------------------------------


@pytest.fixture
def victim():
    """Unit A with one of everything; the attacker is the officer of another approved unit."""
    world = World()  # unit A (approved plan), its officer, a centre reviewer, a card reviewer
    unit, officer = world.unit, world.officer
    volunteer_user = make_user(Role.VOLUNTEER)
    volunteer = eligible_volunteer(unit, user=volunteer_user)
    training = TrainingFactory(volunteer=volunteer)
    training.certificate.save("c.png", photo(), save=True)
    record = ServiceRecordFactory(volunteer=volunteer, unit=unit)
    batch = ImportBatch.objects.create(
        unit=unit, kind=ImportKind.SERVICE_RECORDS, original_name="a.csv", created_by=officer
    )
    today = timezone.localdate()
    event = events.create_event(
        unit=unit, actor=officer, title="甲隊活動", venue="x", domain="health", starts_on=today, ends_on=today
    )
    shift = events.add_shift(
        event=event,
        actor=officer,
        date=today,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=5,
    )
    signup = events.sign_up(shift=shift, volunteer=volunteer, actor=officer)
    token, _ = issue_token(unit=unit, actor=officer, name="甲隊系統")
    draft = PlanFactory(unit=unit, status=PlanStatus.DRAFT, year=today.year + 1, created_by=officer)
    plan = unit.plans.get(status=PlanStatus.APPROVED)
    pending = world.apply(volunteer)
    issued = world.issue()
    print_batch = PrintBatch.objects.create(unit=unit, created_by=officer, total=1, status="done")
    print_batch.cards.set([issued])
    print_batch.pdf.save("b.pdf", photo(), save=True)

    other_unit = UnitFactory(approved=True)
    attacker = officer_of(other_unit)
    _, attacker_key = issue_token(unit=other_unit, actor=attacker, name="乙隊系統")
    other_volunteer_user = make_user(Role.VOLUNTEER)
    member_of(other_unit, user=other_volunteer_user)
    return {
        "world": world,
        "unit": unit,
        "volunteer": volunteer,
        "training": training,
        "record": record,
        "batch": batch,
        "event": event,
        "shift": shift,
        "signup": signup,
        "token": token,
        "plan": plan,
        "draft": draft,
        "application": pending,
        "card": issued,
        "print_batch": print_batch,
        "attacker": attacker,
        "other_unit": other_unit,
        "attacker_key": attacker_key,
        "other_volunteer_user": other_volunteer_user,
    }


def test_another_units_officer_guessing_ids_gets_404_everywhere(client, victim):
    v = victim
    client.force_login(v["attacker"])
    urls = [
        reverse("volunteers:unit_detail", args=[v["unit"].pk]),
        reverse("volunteers:unit_edit", args=[v["unit"].pk]),
        reverse("volunteers:unit_results", args=[v["unit"].pk, timezone.localdate().year]),
        reverse("volunteers:volunteer_list", args=[v["unit"].pk]),
        reverse("volunteers:volunteer_add", args=[v["unit"].pk]),
        reverse("volunteers:plan_create", args=[v["unit"].pk]),
        reverse("volunteers:insurance_list", args=[v["unit"].pk]),
        reverse("volunteers:plan_detail", args=[v["plan"].pk]),
        reverse("volunteers:plan_edit", args=[v["draft"].pk]),
        reverse("volunteers:volunteer_detail", args=[v["volunteer"].pk]),
        reverse("volunteers:volunteer_edit", args=[v["volunteer"].pk]),
        reverse("volunteers:volunteer_photo", args=[v["volunteer"].pk]),
        reverse("volunteers:training_add", args=[v["volunteer"].pk]),
        reverse("volunteers:resume", args=[v["volunteer"].pk]),
        reverse("volunteers:resume_pdf", args=[v["volunteer"].pk]),
        reverse("volunteers:training_certificate", args=[v["training"].pk]),
        reverse("volunteers:correct_hours", args=[v["record"].pk]),
        reverse("volunteers:import_detail", args=[v["batch"].pk]),
        reverse("volunteers:import_progress", args=[v["batch"].pk]),
        reverse("volunteers:event_detail", args=[v["event"].pk]),
        reverse("volunteers:shift_create", args=[v["event"].pk]),
        reverse("volunteers:signup_add", args=[v["event"].pk]),
        reverse("volunteers:event_qr", args=[v["event"].pk]),
        reverse("honorcards:check", args=[v["volunteer"].pk]),
        reverse("honorcards:apply", args=[v["volunteer"].pk]),
        reverse("honorcards:application", args=[v["application"].pk]),
        reverse("honorcards:application_image", args=[v["application"].pk, "photo"]),
        reverse("honorcards:card", args=[v["card"].number]),
        reverse("honorcards:card_pdf", args=[v["card"].number]),
        reverse("honorcards:batch", args=[v["print_batch"].pk]),
        reverse("honorcards:batch_pdf", args=[v["print_batch"].pk]),
    ]
    wrong = [f"{url}: {status}" for url in urls if (status := client.get(url).status_code) != 404]
    assert not wrong, "answered instead of 404:\n" + "\n".join(wrong)


def test_another_units_officer_cannot_post_to_the_victims_records(client, victim):
    v = victim
    client.force_login(v["attacker"])
    posts = [
        (reverse("volunteers:api_key_revoke", args=[v["token"].pk]), {}),
        (reverse("volunteers:signup_act", args=[v["signup"].pk]), {"action": "cancel"}),
        (reverse("volunteers:volunteer_leave", args=[v["volunteer"].pk]), {"left_on": "2026-01-01"}),
        (reverse("volunteers:correct_hours", args=[v["record"].pk]), {"hours": "1.00", "reason": "x"}),
        (reverse("volunteers:plan_submit", args=[v["draft"].pk]), {}),
        (reverse("honorcards:resubmit", args=[v["application"].pk]), {}),
    ]
    wrong = [
        f"{url}: {status}" for url, data in posts if (status := client.post(url, data).status_code) != 404
    ]
    assert not wrong, "answered instead of 404:\n" + "\n".join(wrong)
    # Nothing changed.
    assert UnitApiToken.objects.get(pk=v["token"].pk).revoked_at is None
    assert Membership.objects.get(volunteer=v["volunteer"], unit=v["unit"]).left_on is None
    assert ServiceRecord.objects.get(pk=v["record"].pk).hours == v["record"].hours
    assert v["unit"].plans.get(pk=v["draft"].pk).status == PlanStatus.DRAFT


def test_certifying_hours_ignores_another_units_record_ids(client, victim):
    v = victim
    client.force_login(v["attacker"])
    own = ServiceRecordFactory(volunteer=member_of(v["other_unit"]), unit=v["other_unit"])
    client.post(reverse("volunteers:certify_hours"), {"record": [v["record"].pk, own.pk]})
    v["record"].refresh_from_db()
    own.refresh_from_db()
    assert own.certified_at is not None  # the same POST certifies the attacker's own record…
    assert v["record"].certified_at is None  # …and not the victim's


def test_batch_printing_ignores_another_units_cards(client, victim):
    v = victim
    client.force_login(v["attacker"])
    client.post(reverse("honorcards:batch_print"), {"card": [v["card"].number]})
    assert PrintBatch.objects.filter(cards=v["card"]).count() == 1  # only the victim's own batch
    assert not PrintBatch.objects.filter(created_by=v["attacker"], cards=v["card"]).exists()
    # The same form with the victim's own officer does print it (the field name is right).
    client.force_login(v["world"].officer)
    client.post(reverse("honorcards:batch_print"), {"card": [v["card"].number]})
    assert PrintBatch.objects.filter(cards=v["card"]).count() == 2


def test_another_units_api_key_cannot_read_the_victims_volunteer(victim):
    v = victim
    api = Client()
    headers = {"HTTP_AUTHORIZATION": f"Token {v['attacker_key']}"}
    assert api.get(reverse("api-volunteer", args=[v["volunteer"].pk]), **headers).status_code == 404
    assert api.get(reverse("api-volunteer-totals", args=[v["volunteer"].pk]), **headers).status_code == 404
    honor = reverse("api-honor-card-eligibility", args=[v["volunteer"].pk])
    assert api.get(honor, **headers).status_code == 404


def test_a_volunteer_cannot_open_another_volunteers_resume_photo_or_certificate(client, victim):
    v = victim
    client.force_login(v["other_volunteer_user"])
    for url in (
        reverse("volunteers:resume", args=[v["volunteer"].pk]),
        reverse("volunteers:resume_pdf", args=[v["volunteer"].pk]),
        reverse("volunteers:volunteer_photo", args=[v["volunteer"].pk]),
        reverse("volunteers:training_certificate", args=[v["training"].pk]),
    ):
        assert client.get(url).status_code == 404, url
    # …while the person themselves may.
    client.force_login(v["volunteer"].user)
    assert client.get(reverse("volunteers:resume", args=[v["volunteer"].pk])).status_code == 200
    assert client.get(reverse("volunteers:resume_pdf", args=[v["volunteer"].pk])).status_code == 200


def test_a_volunteer_cannot_sign_up_for_another_units_shift(client, victim):
    v = victim
    client.force_login(v["other_volunteer_user"])
    response = client.post(reverse("volunteers:shift_sign_up", args=[v["shift"].pk]), {"action": "sign_up"})
    assert response.status_code in (302, 403, 404)
    assert not v["shift"].signups.filter(volunteer__user=v["other_volunteer_user"]).exists()


def test_a_donor_or_the_public_cannot_fetch_a_card_pdf_by_its_number(client, victim):
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("honorcards:card_pdf", args=[victim["card"].number])).status_code == 403
    client.logout()
    assert client.get(reverse("honorcards:card_pdf", args=[victim["card"].number])).status_code == 302


# --- Script injection ----------------------------------------------------------------------------


@pytest.fixture
def scripted_map(make_user):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name=f"局{SHORT}")
    unit = UnitFactory(
        approved=True,
        organisation__name=f"志工隊{SCRIPT}",
        organisation__address=SCRIPT,
        organisation__competent_bureau=bureau,
        description=SCRIPT,
        latitude=Decimal("25.040000"),
        longitude=Decimal("121.560000"),
    )
    point = DropOffPointFactory(
        name=f"收件點{SCRIPT}", address=SCRIPT, goods_accepted=SCRIPT, opening_hours=SHORT, bureau=bureau
    )
    program = ProgramFactory(
        published=True,
        title=f"方案{SCRIPT}",
        summary=SCRIPT,
        place=SCRIPT,
        latitude=Decimal("25.030000"),
        longitude=Decimal("121.550000"),
    )
    return {"unit": unit, "point": point, "program": program}


def test_texts_on_the_welfare_map_page_are_escaped(client, scripted_map):
    html = client.get(reverse("dashboard:map")).content.decode()
    assert "志工隊&lt;script&gt;" in html and "收件點&lt;script&gt;" in html and "方案&lt;script&gt;" in html
    assert _is_escaped(html)


def test_the_geojson_carries_the_texts_as_json_strings_without_raw_html(client, scripted_map):
    response = client.get(reverse("dashboard:map_points"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/geo+json")
    assert response.get("X-Content-Type-Options") == "nosniff"
    # No "<" at all: a consumer that pastes a value into HTML, or a browser that sniffs, finds no tag.
    assert "<" not in body and ">" not in body
    names = {f["properties"]["name"] for f in json.loads(body)["features"]}
    assert {f"志工隊{SCRIPT}", f"收件點{SCRIPT}", f"方案{SCRIPT}"} <= names  # the data itself is intact


def test_the_map_script_builds_popups_from_text_nodes_only():
    from django.contrib.staticfiles import finders

    source = Path(finders.find("dashboard/map.js")).read_text(encoding="utf-8")
    assert "textContent" in source
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "bindTooltip("):
        assert sink not in source, sink
    # Leaflet's bindPopup(string) would parse HTML: the popup must be handed a DOM node.
    assert "bindPopup(popup(" in source


def test_the_public_card_check_page_shows_the_holders_name_escaped(client):
    world = World()
    card = world.issue(eligible_volunteer(world.unit, name=SHORT))
    HonorCard.objects.filter(pk=card.pk).update(holder_name=f"王{SHORT}")
    html = client.get(reverse("honorcards:verify", args=[card.token])).content.decode()
    assert "王&lt;script&gt;" in html
    assert _is_escaped(html)


def test_unit_volunteer_and_event_texts_are_escaped_on_staff_and_volunteer_pages(client):
    unit = UnitFactory(approved=True, organisation__name=f"隊{SCRIPT}", description=SCRIPT)
    officer = officer_of(unit)
    volunteer_user = make_user(Role.VOLUNTEER)
    volunteer = member_of(unit, name=SHORT, user=volunteer_user, address=SCRIPT)
    today = timezone.localdate()
    event = events.create_event(
        unit=unit,
        actor=officer,
        title=f"活動{SCRIPT}",
        venue=SCRIPT,
        description=SCRIPT,
        domain="health",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    events.add_shift(
        event=event,
        actor=officer,
        date=today + datetime.timedelta(days=1),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        capacity=5,
        task=SCRIPT,
    )
    pages = {
        officer: [
            reverse("volunteers:unit_detail", args=[unit.pk]),
            reverse("volunteers:volunteer_list", args=[unit.pk]),
            reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
            reverse("volunteers:resume", args=[volunteer.pk]),
            reverse("volunteers:event_list"),
            reverse("volunteers:event_detail", args=[event.pk]),
            reverse("volunteers:week_grid"),
            reverse("honorcards:check", args=[volunteer.pk]),
        ],
        volunteer_user: [reverse("volunteers:open_events"), reverse("volunteers:my_resume")],
        centre_staff(): [reverse("volunteers:unit_list"), reverse("volunteers:unit_detail", args=[unit.pk])],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert _is_escaped(response.content.decode()), url


def test_drop_off_point_texts_are_escaped_on_the_staff_pages(client, scripted_map):
    point = scripted_map["point"]
    client.force_login(make_user(Role.CASEWORKER, organisation=point.bureau))
    for url in (reverse("dashboard:points"), reverse("dashboard:point_edit", args=[point.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _is_escaped(response.content.decode()), url


def test_public_volunteer_pages_show_no_raw_html(client, scripted_map):
    for url in (reverse("volunteers:index"), reverse("honorcards:index"), reverse("dashboard:index")):
        assert _is_escaped(client.get(url).content.decode()), url


# --- CSRF -----------------------------------------------------------------------------------------

NEW_APPS = ("volunteers", "honorcards", "dashboard")


def _new_app_urls():
    return sorted(name for name in all_url_names() if name.split(":")[0] in NEW_APPS)


def test_the_csrf_list_covers_every_url_of_the_new_apps():
    names = _new_app_urls()
    assert len(names) > 60 and "volunteers:volunteer_add" in names and "dashboard:point_new" in names


@pytest.fixture
def matrix_world(db):
    from tests.security.test_permission_matrix import EXTENSIONS

    users = {role.value: make_user(role) for role in Role}
    users["caseworker"].organisation = OrganisationFactory(kind=OrganisationKind.BUREAU)
    users["caseworker"].save()
    args = {None: {}}
    for extension in EXTENSIONS:
        args.update(extension.world_args(users))
    return users, args


def test_every_url_of_the_new_apps_refuses_a_post_without_a_csrf_token(matrix_world):
    """POSTed by a user the matrix lets in (so a refusal is the CSRF check, not the role check)."""
    from tests.security.test_permission_matrix import RULES

    users, args = matrix_world
    accepted = []
    for name in _new_app_urls():
        arg_key, expected = RULES[name]
        url = reverse(name, kwargs=args[arg_key])
        roles = [role for role, code in expected.items() if code in (200, 302, 405) and role != "anonymous"]
        client = Client(enforce_csrf_checks=True)
        if roles:
            client.force_login(users[roles[0]])
        response = client.post(url, {})
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{name} ({roles[:1]}): {response.status_code}")
    assert not accepted, "POSTs without a CSRF token not refused by the CSRF check:\n" + "\n".join(accepted)


def test_a_post_with_a_token_is_let_through_so_the_csrf_test_can_fail(matrix_world):
    users, _ = matrix_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["caseworker"])
    token = client.get(reverse("dashboard:point_new")).context["csrf_token"]
    response = client.post(reverse("dashboard:point_new"), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200  # the form again, with its errors: past the CSRF check


# --- Personal data ----------------------------------------------------------------------------------


@pytest.fixture
def identified():
    world = World()
    unit = world.unit
    number = fake_national_id(8_800_001)
    volunteer = eligible_volunteer(unit, name="歐陽娜娜", identity_number=number)
    application = world.apply(volunteer)
    return {
        "world": world,
        "unit": unit,
        "volunteer": volunteer,
        "number": number,
        "application": application,
    }


def _pages_of(identified):
    v, unit, application = identified["volunteer"], identified["unit"], identified["application"]
    return [
        reverse("volunteers:unit_detail", args=[unit.pk]),
        reverse("volunteers:volunteer_list", args=[unit.pk]),
        reverse("volunteers:volunteer_detail", args=[v.pk]),
        reverse("volunteers:resume", args=[v.pk]),
        reverse("volunteers:statistics"),
        reverse("honorcards:check", args=[v.pk]),
        reverse("honorcards:application", args=[application.pk]),
        reverse("honorcards:applications"),
        reverse("honorcards:queue"),
    ]


def test_full_id_numbers_are_masked_for_roles_that_must_not_see_them(client, identified):
    unit, v, number = identified["unit"], identified["volunteer"], identified["number"]
    masked_viewers = [
        centre_staff(),
        bureau_caseworker_of(unit),
        make_user(Role.SW_REVIEWER),
        make_user(Role.CENTRE_STAFF),
    ]
    seen, opened = [], []
    for user in masked_viewers:
        assert not volunteer_permissions.can_see_full_identity_number(user, v)
        client.force_login(user)
        for url in _pages_of(identified):
            response = client.get(url)
            if response.status_code == 200:
                opened.append(f"{user.role} {url}")
                if number.encode() in response.content:
                    seen.append(f"{user.role} {url}")
    assert not seen, "full ID number shown to:\n" + "\n".join(seen)
    # The check looked at real pages: the centre opens all of them, the bureau the unit's and the card's.
    assert sum(o.startswith("centre_staff") for o in opened) == 2 * len(_pages_of(identified))
    assert any(o.startswith("caseworker") for o in opened)


def test_a_masked_number_is_what_the_centre_sees_on_the_volunteer_page(client, identified):
    client.force_login(centre_staff())
    html = client.get(
        reverse("volunteers:volunteer_detail", args=[identified["volunteer"].pk])
    ).content.decode()
    assert mask_identity_number(identified["number"]) in html


def test_the_public_never_sees_an_id_number(client, identified):
    world = identified["world"]
    card_services.centre_approve(application=identified["application"], actor=world.centre)
    card = card_services.final_approve(application=identified["application"], actor=world.reviewer)
    client.logout()
    for url in (
        reverse("honorcards:verify", args=[card.token]),
        reverse("volunteers:index"),
        reverse("dashboard:index"),
        reverse("dashboard:map"),
        reverse("dashboard:map_points"),
        reverse("dashboard:csv"),
    ):
        response = client.get(url)
        assert identified["number"].encode() not in response.content, url
        assert mask_identity_number(identified["number"]).encode() not in response.content, url


def _logged(caplog) -> str:
    """What the application's loggers say (the test's own factories log their arguments: left out),
    both as the message itself and as the console handler writes it (redaction filter + JSON)."""
    from core.logging import JsonFormatter, RedactIdentifiersFilter

    records = [r for r in caplog.records if not r.name.startswith("factory")]
    raw = [f"{r.getMessage()} {r.exc_text or ''}" for r in records]
    written = []
    for record in records:
        RedactIdentifiersFilter().filter(record)
        written.append(JsonFormatter().format(record))
    return "\n".join(raw + written)


def test_logs_carry_no_id_numbers_or_full_names(client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    client.force_login(officer)
    number, name = fake_national_id(8_800_123), "司馬相如"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteers:volunteer_add", args=[unit.pk]),
            {
                "name": name,
                "identity_kind": "national_id",
                "identity_number": number,
                "birth_date": "1955-03-30",
                "sex": "M",
                "main_domain": "social_welfare",
                "joined_on": "2020-01-01",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    # An import: one good row, one bad row naming another person's (invalid) number.
    import csv
    import io

    bad_number, bad_name = "A123456788", "東方不敗"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            ["證件號碼", "姓名", "服務日期", "服務時數", "服務領域", "服務內容"],
            [number, name, timezone.localdate().isoformat(), "2", "社會福利", "關懷"],
            [bad_number, bad_name, timezone.localdate().isoformat(), "2", "社會福利", "關懷"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("volunteers:import_list"),
            {
                "kind": ImportKind.SERVICE_RECORDS,
                "file": SimpleUploadedFile("h.csv", buffer.getvalue().encode("utf-8-sig")),
            },
        )
    assert ImportBatch.objects.filter(unit=unit).exists()
    # A card approved through the review screens.
    world = World()
    card_number, card_name = fake_national_id(8_800_456), "諸葛孔明"
    application = world.apply(eligible_volunteer(world.unit, name=card_name, identity_number=card_number))
    for reviewer in (world.centre, world.reviewer):
        client.force_login(reviewer)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("honorcards:application", args=[application.pk]), {"action": "approve"})
    assert HonorCard.objects.filter(application=application).exists()

    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    text = _logged(caplog)
    for secret in (number, bad_number, card_number, name, bad_name, card_name):
        assert secret not in text, secret


def test_the_audit_trail_never_holds_an_id_number(client, identified):
    v, number, unit = identified["volunteer"], identified["number"], identified["unit"]
    client.force_login(identified["world"].officer)
    new_number = fake_national_id(8_800_777)
    from volunteers.registry import services as volunteer_services

    volunteer_services.update_volunteer(
        volunteer=v, actor=identified["world"].officer, unit=unit, identity_number=new_number
    )
    world = identified["world"]
    card_services.centre_approve(application=identified["application"], actor=world.centre)
    card_services.final_approve(
        application=Application.objects.get(pk=identified["application"].pk), actor=world.reviewer
    )
    events_text = json.dumps(
        [[e.changes, e.reason, e.target_label, e.actor_label] for e in AuditEvent.objects.all()],
        ensure_ascii=False,
    )
    assert AuditEvent.objects.filter(target_type__icontains="volunteer").exists()
    assert number not in events_text and new_number not in events_text


# --- Staff without 2FA ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.UNIT_OFFICER, "volunteers:hours_list"),
        (Role.UNIT_OFFICER, "volunteers:import_list"),
        (Role.UNIT_OFFICER, "honorcards:eligible"),
        (Role.CENTRE_STAFF, "volunteers:review_queue"),
        (Role.CENTRE_STAFF, "honorcards:queue"),
        (Role.CARD_REVIEWER, "honorcards:cards"),
        (Role.CASEWORKER, "dashboard:points"),
    ],
)
def test_staff_of_the_new_apps_without_2fa_are_sent_to_set_it_up(client, role, url_name):
    client.force_login(make_user(role, totp=False))
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


# --- Uploads that lie, are too large, or are decompression bombs ---------------------------------------


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's header)."""
    import io
    import struct
    import zlib

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = data[12:29]  # b"IHDR" + 13 bytes
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


BAD_IMAGES = [
    ("renamed.jpg", b"%PDF-1.4 a document renamed to .jpg", "只接受 JPEG、PNG 或 GIF"),
    ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024), "MB"),
    ("bomb.png", _png_claiming(6_000, 5_000), "像素過多"),  # over our 24 million pixels
    ("giant.png", _png_claiming(30_000, 30_000), "無法辨識為圖片"),  # over Pillow's own bomb limit
]
BAD_IMAGE_IDS = ["lies", "too-large", "bomb", "giant-bomb"]


@pytest.mark.parametrize(("name", "data", "message"), BAD_IMAGES, ids=BAD_IMAGE_IDS)
def test_honor_card_photos_that_lie_are_too_large_or_bombs_are_refused(client, name, data, message):
    world = World()
    volunteer = eligible_volunteer(world.unit)
    client.force_login(world.officer)
    response = client.post(
        reverse("honorcards:apply", args=[volunteer.pk]),
        {"record_book_number": "北市志字第1號", "photo": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.filter(volunteer=volunteer).exists()


@pytest.mark.parametrize(("name", "data", "message"), BAD_IMAGES, ids=BAD_IMAGE_IDS)
def test_volunteer_photos_that_lie_are_too_large_or_bombs_are_refused(client, name, data, message):
    unit = UnitFactory(approved=True)
    client.force_login(officer_of(unit))
    response = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]),
        {
            "name": "上官婉兒",
            "identity_kind": "national_id",
            "identity_number": fake_national_id(8_800_900),
            "birth_date": "1960-01-01",
            "sex": "F",
            "main_domain": "social_welfare",
            "joined_on": "2020-01-01",
            "photo": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not unit.memberships.exists()


def _xlsx_bomb(uncompressed_mb: int) -> bytes:
    """A real workbook whose sheet expands to ``uncompressed_mb`` MB of XML (well-formed, mostly blank)."""
    import io
    import zipfile

    from openpyxl import Workbook

    source = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["證件號碼", "姓名", "服務日期", "服務時數", "服務領域", "服務內容"])
    workbook.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, original.read(item))
                continue
            head, tail = original.read(item).split(b"</sheetData>")
            with bomb.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                chunk = b" " * (1024 * 1024)
                for _ in range(uncompressed_mb):
                    sheet.write(chunk)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def test_an_xlsx_decompression_bomb_is_refused_before_it_is_read():
    import time

    from django.core.exceptions import ValidationError

    from volunteers.imports import files as imports

    data = _xlsx_bomb(260)
    assert len(data) < 2 * 1024 * 1024  # a small upload…
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        imports.read_table(data)
    assert "解壓縮" in " ".join(refused.value.messages)
    assert time.monotonic() - started < 2  # …refused from the archive's directory, not by reading it


def test_an_xlsx_with_too_many_rows_stops_reading_at_the_limit(monkeypatch):
    import io

    from django.core.exceptions import ValidationError
    from openpyxl import Workbook

    from volunteers.imports import files as imports

    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    workbook = Workbook()
    for n in range(200):
        workbook.active.append([f"A{n}", "x"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValidationError, match="一次最多匯入"):
        imports.read_table(out.getvalue())
