"""Create a staff account for a researcher or reviewer and print how to sign in."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from archive.groups import RESEARCHER, REVIEWER


class Command(BaseCommand):
    help = "Create a staff account in the researcher or reviewer group and print its password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", choices=[RESEARCHER, REVIEWER], default=RESEARCHER)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--superuser", action="store_true", help="All permissions (the first administrator)."
        )

    def handle(self, *args, username, group, email, superuser, **options):
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
        self.stdout.write(
            f"Created staff account {username!r} in the {group} group.\n"
            f"Sign in at http://127.0.0.1:8000/admin/ with\n"
            f"  username: {username}\n"
            f"  password: {password}\n"
            f"Change the password after signing in (top right, 'Change password')."
        )
