"""Create a staff account for a researcher or reviewer and print how to sign in."""

import base64
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.core.groups import RESEARCHER, REVIEWER


class Command(BaseCommand):
    help = "Create a staff account in the researcher or reviewer group and print its password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", choices=[RESEARCHER, REVIEWER], default=RESEARCHER)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--superuser", action="store_true", help="All permissions (the first administrator)."
        )
        parser.add_argument(
            "--url",
            default="",
            help="The address the site is served on, e.g. https://archive.example.org "
            "(default: the SITE_URL setting; `make admin-user` passes HOST and PORT).",
        )

    def handle(self, *args, username, group, email, superuser, url, **options):
        sign_in = sign_in_address(url or settings.SITE_URL)
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"A user named {username!r} exists already; choose another name "
                f"(make admin-user NAME=...) or reset its password with "
                f"'manage.py changepassword {username}'."
            )
        password = secrets.token_urlsafe(15)
        user = User.objects.create_user(
            username, email=email, password=password, is_staff=True, is_superuser=superuser
        )
        user.groups.add(Group.objects.get(name=group))
        totp = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
        backup = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(10)]
        for code in codes:
            backup.token_set.create(token=code)
        secret = base64.b32encode(totp.bin_key).decode()
        self.stdout.write(
            f"Created staff account {username!r} in the {group} group.\n\n"
            f"1. Add this account to an authenticator app (FreeOTP, Aegis, Google Authenticator):\n"
            f"   key: {secret}\n"
            f"   or the link: {totp.config_url}\n"
            f"2. Keep these one-time backup codes somewhere safe (each works once):\n"
            f"   {' '.join(codes)}\n"
            f"3. Sign in at {sign_in} with\n"
            f"   username: {username}\n"
            f"   password: {password}\n"
            f"   one-time code: the 6-digit code your app shows (or one backup code),\n"
            f"   all three on the same page.\n"
            f"Change the password after signing in (top right, 'Change password')."
        )


def sign_in_address(base: str) -> str:
    """The admin's sign-in page on the site served at ``base``; without one, the path and
    how to know the rest (no address is assumed: a wrong one sends a new researcher to
    someone else's server)."""
    from django.urls import reverse

    path = reverse("admin:login")
    if not base:
        return f"{path} on the address this site is served on (set SITE_URL to print it here)"
    return base.rstrip("/") + path
