"""What the browser tests share: how Chromium is started, the staff accounts and their
one-time codes, signing in, watching a context's form posts, and a phone's photo."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# This machine's closed network refuses Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A page of this site loads in well under a second; waiting 30 s (Playwright's default)
# for a field that is not there only makes a failing run slower.
DEFAULT_TIMEOUT_MS = 15_000

STAFF_PASSWORD = "a-long-test-password-for-the-browser"


# --- Staff ------------------------------------------------------------------------------


@dataclass
class StaffAccount:
    user: object
    password: str
    device: object  # the TOTP device, as an authenticator app holds it

    @property
    def username(self) -> str:
        return self.user.username

    def token(self) -> str:
        """The code the authenticator app shows now, computed from the device's key."""
        from django_otp.oath import totp

        device = self.device
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
            drift=device.drift,
        )  # fmt: skip
        return f"{code:0{device.digits}d}"


@functools.cache
def _migrated_apps():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state().apps


def restore_staff_groups() -> None:
    """The researcher and reviewer groups, made by the migrations' own functions over the
    migrations' state (the flush between browser tests empties the groups that the
    migrations made when the test database was created): the groups, then each later
    migration that grants them permissions (``*_permissions``: submissions, documents,
    duplicate pairs). Without those, a browser test run after another found a
    researcher refused the submissions' pages (403)."""
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    from archive.core.groups import create_staff_groups

    apps = _migrated_apps()
    create_staff_groups(apps, None)
    loader = MigrationLoader(connection)
    for key in loader.graph.leaf_nodes():
        for app_label, name in loader.graph.forwards_plan(key):
            if not name.endswith("_permissions"):
                continue
            for operation in loader.graph.nodes[(app_label, name)].operations:
                if isinstance(operation, RunPython):
                    # What the functions read of a schema editor: its connection.
                    operation.code(apps, SimpleNamespace(connection=connection))


def make_staff_account(username: str, group: str) -> StaffAccount:
    """A staff account as ``manage.py create_staff_user`` makes it: in ``group``, with an
    authenticator app (TOTP) and a device of backup codes."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    backup.token_set.create(token="backup-code-1")
    return StaffAccount(user=user, password=STAFF_PASSWORD, device=device)


def sign_in(page, base_url: str, account: StaffAccount, *, next_path: str = "") -> None:
    """Signs in at /admin/login/ on one page: username, password and the one-time code,
    then Enter, as a researcher does; fails saying what the page answered."""
    url = f"{base_url}/admin/login/" + (f"?next={next_path}" if next_path else "")
    page.goto(url)
    page.fill("[name=username]", account.username)
    page.fill("[name=password]", account.password)
    page.fill("[name=otp_token]", account.token())
    with page.expect_navigation():
        page.press("[name=otp_token]", "Enter")
    if "/admin/login/" in page.url:
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        raise AssertionError(
            f"signing in on one page with username, password and code did not sign "
            f"{account.username} in; the sign-in page answered: {errors or page.title()}"
        )


# --- Form posts ---------------------------------------------------------------------------


@dataclass
class Post:
    url: str
    status: int


@dataclass
class PostWatch:
    """Every POST a browser context sent and what the server answered."""

    posts: list[Post] = field(default_factory=list)

    def __call__(self, response) -> None:
        if response.request.method == "POST":
            self.posts.append(Post(response.url, response.status))

    @property
    def refused(self) -> list[Post]:
        """Posts answered 403 (the CSRF check, or a permission) or with a server error."""
        return [p for p in self.posts if p.status == 403 or p.status >= 500]


def watch_posts(context) -> PostWatch:
    watch = PostWatch()
    context.on("response", watch)
    return watch


# --- A phone's photo ------------------------------------------------------------------------


def jpeg_with_gps(size=(96, 64)) -> bytes:
    """A synthetic JPEG carrying what a phone writes into a photo: where it was taken
    (GPS), the camera and its serial number, and when."""
    from PIL import ExifTags, Image

    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhoneMaker"
    exif[ExifTags.Base.Model] = "TestPhone 7"
    exif[ExifTags.Base.DateTime] = "2024:03:01 09:30:00"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SERIAL-E2E-1"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (35.0, 41.0, 6.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (51.0, 23.0, 22.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    """The GPS entries of a picture's EXIF (empty when it has none)."""
    from PIL import ExifTags, Image

    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))
