"""Families' attachments: checked by content, re-encoded, stored privately.

The first half is plain functions over Pillow (no Django state): they decide what a file is from its
bytes, never from its name, and rebuild every image from its pixels alone, so that no
metadata the phone or camera wrote (GPS position, camera serial number, dates, the owner's
name, thumbnails, ICC or XMP blocks) reaches our disk. The second half is the Django
plumbing: private storage outside MEDIA_ROOT and an upload handler that stops writing a
file to disk once it is over the limit.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

from archive.core.storage import UnservedStorage

# Formats Pillow may decode for us. Anything else (EPS, which would call Ghostscript; PSD;
# ICO; SVG...) is refused before a decoder sees it.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")
DEFAULT_MAX_PIXELS = 40_000_000  # one file, read from its header
# The longest side a picture is kept at: a phone photo (4032 px) and an A4 page scanned
# at 300 dpi (3508 px) are kept whole; a larger picture is reduced by a whole factor
# (a 6300-pixel scan to 3150).
DEFAULT_KEEP_SIDE = 4096
# The pixels one request may decode, all its files together (after a JPEG's reduced
# decoding): five 12-megapixel phone photos (61 M) fit; two 40-megapixel PNG scans fit,
# a third does not. Bounds a request to about 1 s of CPU and ~130 MB above the worker.
DEFAULT_REQUEST_PIXELS = 80_000_000

PDF_MAGIC = b"%PDF-"
# Magic numbers of things people may send by mistake, to say what they sent.
_KNOWN_REFUSED = {
    PDF_MAGIC: "pdf",
    b"PK\x03\x04": "archive",  # zip, docx, xlsx, odt
    b"\xd0\xcf\x11\xe0": "archive",  # old Word/Excel
    b"Rar!": "archive",
    b"7z\xbc\xaf": "archive",
}


class AttachmentError(ValueError):
    """A file we will not keep; ``code`` says why (the form turns it into a sentence)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CleanImage:
    """An image rebuilt from its pixels: the only bytes we store."""

    data: bytes
    extension: str  # "jpg" or "png"
    content_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def refused_kind(head: bytes) -> str | None:
    """'pdf' or 'archive' when the first bytes say so, else None."""
    for magic, kind in _KNOWN_REFUSED.items():
        if head.startswith(magic):
            return kind
    return None


class PixelBudget:
    """The pixels one request may decode, across all its files. Each file takes its
    share from its header, before a byte of it is decoded, so that five huge pictures
    in one submission cost no more than the budget allows (a per-file limit alone let
    five 40-megapixel images cost 15 s and 830 MB in one request)."""

    def __init__(self, pixels: int):
        self.left = pixels
        self.total = pixels

    def take(self, pixels: int) -> None:
        if pixels > self.left:
            raise AttachmentError("over_budget", pixels=pixels, left=self.left)
        self.left -= pixels


def reduction(width: int, height: int, keep_side: int) -> int:
    """The integer factor a picture is reduced by so that its longest side is at most
    ``keep_side``. Integer factors only: a JPEG decodes directly at 1/2, 1/4 or 1/8 scale
    (libjpeg's DCT scaling), anything else is averaged over whole blocks (Image.reduce);
    either costs a fraction of a resampling filter (LANCZOS from 3150 to 3000 pixels
    took 0.4 s of CPU here, the whole 1/2-scale decode 0.08 s)."""
    return max(1, -(-max(width, height) // keep_side))  # ceiling division


def clean_image(
    fileobj,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    keep_side: int = DEFAULT_KEEP_SIDE,
    budget: PixelBudget | None = None,
) -> CleanImage:
    """Decode ``fileobj`` as an image and return it re-encoded without any metadata, its
    longest side at most ``keep_side`` (see ``reduction``).

    Raises AttachmentError: ``pdf``/``archive`` (a known non-image), ``not_image``
    (cannot be decoded), ``too_many_pixels`` (a decompression bomb or a huge scan),
    ``over_budget`` (the request's PixelBudget would be exceeded).
    """
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    kind = refused_kind(head)
    if kind:
        raise AttachmentError(kind)
    # Pillow's own guard, for any path that does not go through the check below.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=ACCEPTED_FORMATS) as img:
                width, height = img.size  # from the header: nothing decoded yet
                if width * height > max_pixels:
                    raise AttachmentError("too_many_pixels", pixels=width * height)
                img.seek(0)  # the first frame of an animation
                factor = reduction(width, height, keep_side)
                if img.format == "JPEG" and factor > 1:
                    # Decoded at 1/2, 1/4 or 1/8 scale: a 6300-pixel scan costs the
                    # pixels we keep, not the pixels it has.
                    scale = next((s for s in (2, 4, 8) if s >= factor), 8)
                    img.draft(None, (-(-width // scale), -(-height // scale)))
                if budget is not None:
                    budget.take(img.size[0] * img.size[1])  # what load() will decode
                img.load()
                rest = reduction(*img.size, keep_side)
                if rest > 1:
                    kept = img.reduce(rest)
                    kept.info = img.info  # the EXIF orientation, read just below
                    img.close()  # the full-size pixels go before the next copy is made
                else:
                    kept = img
                ImageOps.exif_transpose(kept, in_place=True)  # in place: no second copy
                return _reencode(kept)
    except AttachmentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentError("too_many_pixels", pixels=0) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise AttachmentError("not_image") from None


def _reencode(img: Image.Image) -> CleanImage:
    has_alpha = "A" in img.getbands() or "transparency" in img.info
    if has_alpha:
        mode, fmt, ext, content_type = "RGBA", "PNG", "png", "image/png"
    elif img.mode in ("1", "L", "I;16", "I"):
        mode, fmt, ext, content_type = "L", "JPEG", "jpg", "image/jpeg"
    else:
        mode, fmt, ext, content_type = "RGB", "JPEG", "jpg", "image/jpeg"
    pixels = img if img.mode == mode else img.convert(mode)
    fresh = _pixels_only(pixels)
    out = io.BytesIO()
    if fmt == "JPEG":
        fresh.save(out, "JPEG", quality=90, optimize=True)
    else:
        fresh.save(out, "PNG", optimize=True)
    return CleanImage(out.getvalue(), ext, content_type, fresh.width, fresh.height)


def _pixels_only(img: Image.Image) -> Image.Image:
    """A new Image object over the same pixels that carries nothing else: no info dict,
    so no EXIF, ICC, XMP, comment or embedded thumbnail can follow it into the file we
    write, whatever a Pillow version reads from ``info`` when saving. Metadata lives on
    the Python object, the pixels in its core: sharing the core costs no copy (a copy
    of a 12-megapixel photo was 49 MB more per request)."""
    return Image.new(img.mode, (0, 0))._new(img.im)


def random_name(extension: str) -> str:
    """A stored name that says nothing about the file or the family."""
    return f"{secrets.token_hex(16)}.{extension}"


def thumbnail(data: bytes, size: int = 240) -> bytes:
    """A small JPEG of a stored (already clean) image, for the moderation queue."""
    with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as img:
        img = img.convert("RGB")
        img.thumbnail((size, size))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80)
        return out.getvalue()


# --- Django: private storage and a capped upload handler --------------------------------


@deconstructible(path="victims.attachments.PrivateStorage")
class PrivateStorage(UnservedStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, which no URL maps to: they reach staff
    only through the permission-checked download view."""

    ROOT_SETTING = "PRIVATE_MEDIA_ROOT"
    REFUSAL = "Private files have no URL; use the staff download view."


def private_storage():
    return PrivateStorage()


def attachment_upload_to(instance, filename):
    # ``filename`` is already random (random_name); the family's file name is never kept.
    return f"submissions/{Path(filename).name}"


class OversizedUpload(UploadedFile):
    """Stands in for a file that went over the limit: its bytes were dropped as they
    arrived, and only its size is known."""

    def __init__(self, name, size, content_type=None):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)
        self.oversized = True


class CappedUploadHandler(FileUploadHandler):
    """Goes first in the handler chain. Past ``max_bytes`` it stops passing a file's data
    on, so that a huge upload is never written to disk; the rest of the request (what the
    family typed) is still read, so the form can be shown again with it."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.over or self.received > self.max_bytes:
            self.over = True
            return None  # later handlers never see the rest
        return raw_data

    def file_complete(self, file_size):
        if self.over:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None  # let the next handler hand over the file
