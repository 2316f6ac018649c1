"""Staff accounts: two factors for the admin, lockout after repeated failures,
permissions by group."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def assert_not_signed_in(client):
    """The admin sends ``client`` to its sign-in page."""
    response = client.get("/admin/victims/victim/")
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/admin/login/")


def totp_now(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_signed_in_staff_without_second_factor_cannot_open_the_admin(client, researcher):
    client.force_login(researcher)
    response = client.get("/admin/victims/victim/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_sign_in_needs_the_one_time_code(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="app", confirmed=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "researcher",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
        },
    )
    assert response.status_code == 200  # the password alone is refused
    assert_not_signed_in(client)
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "researcher",
            "password": PASSWORD,
            "otp_token": totp_now(device),
            "otp_device": device.persistent_id,
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/victims/victim/").status_code == 200


def test_a_backup_code_signs_in_once(client, researcher):
    from django_otp.plugins.otp_static.models import StaticDevice

    backup = StaticDevice.objects.create(user=researcher, name="backup", confirmed=True)
    backup.token_set.create(token="backupcode1")
    data = {
        "username": "researcher",
        "password": PASSWORD,
        "otp_token": "backupcode1",
        "otp_device": backup.persistent_id,
    }
    assert client.post("/admin/login/", data).status_code == 302
    client.logout()
    assert client.post("/admin/login/", data).status_code == 200


def test_ten_wrong_passwords_lock_the_account(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="app", confirmed=True)
    for _ in range(10):
        client.post(
            "/admin/login/", {"username": "researcher", "password": "wrong", "otp_token": "1"}
        )
    response = client.post(
        "/admin/login/",
        {
            "username": "researcher",
            "password": PASSWORD,
            "otp_token": totp_now(device),
            "otp_device": device.persistent_id,
        },
    )
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert_not_signed_in(client)


def test_researcher_group_cannot_publish_and_reviewer_can(researcher, reviewer):
    assert researcher.has_perm("victims.change_victim")
    assert not researcher.has_perm("victims.publish_victim")
    assert not researcher.has_perm("perpetrators.publish_perpetrator")
    assert reviewer.has_perm("victims.publish_victim")
    assert reviewer.has_perm("sources.publish_source")
    assert not reviewer.has_perm("auth.change_user")


def test_staff_account_command_prints_how_to_sign_in(capsys):
    call_command("create_staff_user", "maryam", "--group", "researcher")
    out = capsys.readouterr().out
    assert "password:" in out and "/admin/" in out and "backup codes" in out
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="maryam")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.all()) == [Group.objects.get(name="researcher")]


# --- Signing in on one page ------------------------------------------------------------------


def _sign_in(client, username="researcher", password=PASSWORD, code="", address="192.0.2.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": code},
        REMOTE_ADDR=address,
    )


def _error(response) -> str:
    notes = re.findall(r'<p class="errornote"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    return " ".join(" ".join(notes).split())


def test_the_sign_in_page_asks_for_username_password_and_code_together(client):
    html = client.get("/admin/login/").content.decode()
    names = re.findall(r'<(?:input|select)[^>]*name="([^"]+)"', html)
    assert {"username", "password", "otp_token"} <= set(names)
    assert "otp_device" not in names


@pytest.mark.parametrize(("language", "heading"), [("en", "Log in"), ("fa", "ورود")])
def test_the_sign_in_page_has_a_heading_for_screen_readers(client, language, heading):
    # Django's sign-in page has none (axe-core: page-has-heading-one).
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<h1 class="visually-hidden">{heading}</h1>' in html


def test_username_password_and_app_code_sign_in_in_one_step(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    StaticDevice.objects.create(user=researcher, name="backup", confirmed=True)

    response = _sign_in(client, code=totp_now(device))

    assert response.status_code == 302
    assert client.get("/admin/victims/victim/").status_code == 200


def test_a_backup_code_works_in_the_same_field_once(client, researcher):
    TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    backup = StaticDevice.objects.create(user=researcher, name="backup", confirmed=True)
    backup.token_set.create(token="k7m2p4q9")

    assert _sign_in(client, code="k7m2p4q9").status_code == 302
    client.logout()
    assert _sign_in(client, code="k7m2p4q9").status_code == 200


def test_a_code_typed_with_persian_digits_and_a_space_is_read(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    code = totp_now(device)
    persian = code[:3].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) + " " + code[3:]

    assert _sign_in(client, code=persian).status_code == 302


def test_a_correct_password_alone_reveals_nothing_about_the_account(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="Maryam's phone", confirmed=True)
    backup = StaticDevice.objects.create(user=researcher, name="paper codes", confirmed=True)

    right_password = _sign_in(client, code="000000")
    wrong_password = _sign_in(client, password="not-the-password", code="000000")
    no_such_account = _sign_in(client, username="nobody-here", code="000000")

    html = right_password.content.decode()
    assert right_password.status_code == 200
    for secret in ("Maryam", "paper codes", device.persistent_id, backup.persistent_id,
                   "otp_device", "select a device"):  # fmt: skip
        assert secret not in html
    assert _error(right_password) == _error(wrong_password) == _error(no_such_account)
    assert "one-time code is not right" in _error(right_password)
    assert_not_signed_in(client)


def test_a_staff_account_without_a_device_cannot_sign_in(client, researcher):
    assert _sign_in(client, code="123456").status_code == 200
    assert_not_signed_in(client)


# --- Lockout: per account and client, and per account ------------------------------------------


def _later(minutes):
    """The shared cache's clock, moved on (its entries expire by the database's rows)."""
    moved = timezone.now() + dt.timedelta(minutes=minutes)
    return mock.patch("django.core.cache.backends.db.tz_now", return_value=moved)


def test_ten_failures_lock_the_account_for_that_client_only(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for _ in range(10):
        _sign_in(client, password="wrong", code="123456", address="198.51.100.7")

    from_attacker = _sign_in(client, code=totp_now(device), address="198.51.100.7")
    assert from_attacker.status_code == 429
    assert "locked" in from_attacker.content.decode()

    from_owner = _sign_in(client, code=totp_now(device), address="192.0.2.44")
    assert from_owner.status_code == 302


def test_ten_wrong_codes_after_the_right_password_lock_too(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for _ in range(10):
        _sign_in(client, code="000000", address="198.51.100.7")

    assert _sign_in(client, code=totp_now(device), address="198.51.100.7").status_code == 429


def test_a_client_lock_ends_after_the_cooloff(client, researcher):
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for _ in range(10):
        _sign_in(client, password="wrong", code="123456", address="198.51.100.7")

    with _later(61):
        assert _sign_in(client, code=totp_now(device), address="198.51.100.7").status_code == 302


def test_failures_from_many_clients_lock_the_account_for_everyone(client, researcher, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.STAFF_ACCOUNT_FAILURE_LIMIT = 6
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(3):
            _sign_in(client, password="wrong", code="123456", address=address)

    locked = _sign_in(client, code=totp_now(device), address="192.0.2.44")

    assert locked.status_code == 429
    assert "locked for everyone for 24 hours" in " ".join(locked.content.decode().split())


def test_one_client_alone_cannot_lock_the_account_for_everyone(client, researcher, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.STAFF_ACCOUNT_FAILURE_LIMIT = 6
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for hour in range(4):  # three tries an hour, from one address, for four hours
        with _later(61 * hour):
            for _ in range(4):
                _sign_in(client, password="wrong", code="123456", address="198.51.100.7")

    with _later(61 * 4):
        assert _sign_in(client, code=totp_now(device), address="192.0.2.44").status_code == 302


def test_sign_in_failures_store_no_address_and_no_username(client, researcher):
    for _ in range(3):
        _sign_in(client, password="wrong", code="123456", address="203.0.113.9")
    _sign_in(client, code="000000", address="203.0.113.9")

    stored = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("axes_") or table == "archive_cache":
                cursor.execute(f"SELECT * FROM {table}")
                stored += [str(value) for row in cursor.fetchall() for value in row]
    assert stored, "the failures were counted somewhere"
    assert not [v for v in stored if "203.0.113" in v or "researcher" in v]


def test_unlocking_an_account_from_the_command_line(client, researcher, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.STAFF_ACCOUNT_FAILURE_LIMIT = 6
    device = TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    for address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(3):
            _sign_in(client, password="wrong", code="123456", address=address)

    call_command("axes_reset_username", "researcher")

    assert _sign_in(client, code=totp_now(device), address="192.0.2.44").status_code == 302


# --- make admin-user --------------------------------------------------------------------------


def test_the_new_account_is_told_the_address_the_site_is_served_on(capsys):
    call_command("create_staff_user", "maryam", "--url", "http://127.0.0.1:8022")
    out = capsys.readouterr().out

    assert "Sign in at http://127.0.0.1:8022/admin/login/ with" in out
    assert ":8000" not in out
    assert "choose the device" not in out


def test_without_an_address_given_the_site_url_setting_is_printed(capsys, settings):
    settings.SITE_URL = "https://archive.example.org/"
    call_command("create_staff_user", "maryam")

    assert "Sign in at https://archive.example.org/admin/login/ with" in capsys.readouterr().out


def test_with_no_address_known_none_is_made_up(capsys, settings):
    settings.SITE_URL = ""
    call_command("create_staff_user", "maryam")
    out = capsys.readouterr().out

    assert "/admin/login/ on the address this site is served on" in out
    assert "127.0.0.1" not in out


def test_make_admin_user_passes_the_host_and_port_make_run_serves_on():
    import subprocess

    from django.conf import settings

    dry = subprocess.run(
        ["make", "-n", "admin-user", "HOST=0.0.0.0", "PORT=8022"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout  # fmt: skip
    assert "create_staff_user ${NAME:-researcher} --group ${GROUP:-reviewer}" in dry
    assert '--url "${SITE_URL:-http://0.0.0.0:8022}"' in dry


def test_a_mistyped_app_code_counts_no_failure_against_the_backup_codes(client, researcher):
    TOTPDevice.objects.create(user=researcher, name="phone", confirmed=True)
    backup = StaticDevice.objects.create(user=researcher, name="backup", confirmed=True)
    backup.token_set.create(token="k7m2p4q9")
    for _ in range(3):
        _sign_in(client, code="000000")

    backup.refresh_from_db()
    assert backup.throttling_failure_count == 0  # nothing makes the backup codes wait
    assert _sign_in(client, code="k7m2p4q9").status_code == 302
