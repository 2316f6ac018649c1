"""Fixtures for the submission tests: a private folder per test, a fresh rate-limit
counter per test, and JPEGs that carry what phones write into them."""

import io

import pytest
from django.core.cache import caches
from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


@pytest.fixture(autouse=True)
def _private_folder_per_test(private_media):
    """Every submission test writes its families' files to a folder of its own."""
    return private_media


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def jpeg_with_exif(size=(64, 48), color=(200, 30, 30)) -> bytes:
    """A JPEG with a GPS position, a camera make/model/serial, dates and an owner's name,
    as a phone writes them."""
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "TestCameraMaker"  # Make
    exif[0x0110] = "TestPhone 12"  # Model
    exif[0x0132] = "2023:09:16 10:00:00"  # DateTime
    exif[0x013B] = "Owner Name"  # Artist
    exif[0x0112] = 6  # Orientation: rotated, so the stored picture must be turned
    exif.get_ifd(EXIF_IFD).update({0x9003: "2023:09:16 10:00:00", 0xA431: "SERIAL123"})
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (35.0, 41.0, 6.0), 3: "E", 4: (51.0, 23.0, 22.0)}  # Tehran
    )
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(size=(20, 10), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def exif_jpeg():
    return jpeg_with_exif()
