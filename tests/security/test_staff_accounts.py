"""Staff accounts: two factors for the admin, lockout after repeated failures,
permissions by group."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


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
    assert client.get("/admin/victims/victim/").status_code != 200
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
    assert client.get("/admin/victims/victim/").status_code != 200


def test_failed_sign_ins_store_no_address(client, researcher):
    from axes.models import AccessAttempt

    client.post("/admin/login/", {"username": "researcher", "password": "wrong"},
                REMOTE_ADDR="203.0.113.9")  # fmt: skip
    attempts = list(AccessAttempt.objects.all())
    assert attempts and all(a.ip_address is None for a in attempts)


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
