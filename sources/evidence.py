"""The files of source documents, without Django models: what a file is (read from its
bytes, never from its name), its digest, the copy the public may have (metadata removed),
the text of each page, page images, and where a phrase stands on a page.

Libraries: PDFium (pypdfium2) opens, renders and reads PDFs, and gives the boxes of a
page's characters, which is what a highlight needs; qpdf (pikepdf) writes the PDF's
public copy without its document information and XMP metadata; Pillow rebuilds an image
from its pixels alone; mutagen removes the tags of audio and video files. pdfplumber
(pdfminer) also gives character boxes, but reads a page ten to a hundred times slower
than PDFium: a 200-page PDF would not be ready in a minute.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from archive.core.names.text import normalize_latin, normalize_persian

PDF, IMAGE, AUDIO, VIDEO, TEXT = "pdf", "image", "audio", "video", "text"

# The first bytes of each accepted type (offset, bytes, media type, kind, extension).
# A short allowlist, checked again by the library that opens the file (PDFium, Pillow,
# mutagen): a file that only starts like a PDF is refused when PDFium cannot read it.
_MAGIC = (
    (0, b"%PDF-", "application/pdf", PDF, "pdf"),
    (0, b"\xff\xd8\xff", "image/jpeg", IMAGE, "jpg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png", IMAGE, "png"),
    (0, b"GIF87a", "image/gif", IMAGE, "gif"),
    (0, b"GIF89a", "image/gif", IMAGE, "gif"),
    (0, b"II*\x00", "image/tiff", IMAGE, "tif"),
    (0, b"MM\x00*", "image/tiff", IMAGE, "tif"),
    (0, b"ID3", "audio/mpeg", AUDIO, "mp3"),
    (0, b"\xff\xfb", "audio/mpeg", AUDIO, "mp3"),
    (0, b"\xff\xf3", "audio/mpeg", AUDIO, "mp3"),
    (0, b"OggS", "audio/ogg", AUDIO, "ogg"),
    (0, b"fLaC", "audio/flac", AUDIO, "flac"),
    (0, b"\x1aE\xdf\xa3", "video/webm", VIDEO, "webm"),
)
_RIFF = {b"WEBP": ("image/webp", IMAGE, "webp"), b"WAVE": ("audio/wav", AUDIO, "wav")}
# ISO base media (MP4, M4A, MOV): "ftyp" at offset 4, then the brand.
_AUDIO_BRANDS = (b"M4A ", b"M4B ")

IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF")


class DocumentError(ValueError):
    """A file refused; ``code`` says why and ``params`` give the figures (the caller turns
    them into a sentence)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class FileType:
    media_type: str
    kind: str
    extension: str


def sniff(head: bytes) -> FileType | None:
    """The type of a file from its first bytes (at least 16), or None when it is none we
    keep. Text is UTF-8 without NUL bytes (checked whole by ``check_text``)."""
    for offset, magic, media_type, kind, ext in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return FileType(media_type, kind, ext)
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return FileType(*_RIFF[head[8:12]])
    if head[4:8] == b"ftyp":
        if head[8:12] in _AUDIO_BRANDS:
            return FileType("audio/mp4", AUDIO, "m4a")
        if head[8:10] == b"qt":
            return FileType("video/quicktime", VIDEO, "mov")
        return FileType("video/mp4", VIDEO, "mp4")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte letter cut at the end of the head is still text.
            if exc.start < len(head) - 3:
                return None
        return FileType("text/plain", TEXT, "txt")
    return None


def sha256_of(fileobj) -> tuple[str, int]:
    """(hex digest, size in bytes) of a file object, read in chunks from its start."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def check_text(data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentError("not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("not_text") from None


# --- search keys: the same folding for the text indexed and the phrase searched --------


def fold(text: str) -> str:
    """Text as it is searched: Persian letter forms and presentation forms (what PDFs
    often hold) in one spelling, Latin lower case without accents, punctuation and
    spacing reduced to single spaces (the kernel's name helpers)."""
    return normalize_latin(normalize_persian(text))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str | None:
    """One character as ``fold`` treats it inside a word: its folded letters, "" for a
    separator (space, punctuation), None for a mark that vanishes (an apostrophe: People’s
    is peoples)."""
    folded = fold(ch)
    if folded:
        return folded
    return None if fold(f"a{ch}a") == "aa" else ""


def _folded_chars(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` one character at a time, with the index in ``text`` of each folded
    character: to find a folded phrase and point back at the characters on the page."""
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded is None:
            continue
        if not folded:
            if out and out[-1] != " ":
                out.append(" ")
                where.append(index)
            continue
        for piece in folded:
            out.append(piece)
            where.append(index)
    return "".join(out), where


# A quote that differs from the page (a footnote number glued to a word in the source, a
# word left out) is marked as far as it agrees with it, if that is at least this many words.
MIN_MARKED_WORDS = 4


def find_span(text: str, phrase: str) -> tuple[int, int] | None:
    """(start, end) in ``text`` of the first place ``phrase`` stands, folded as search
    folds; failing that, of its longest beginning of at least MIN_MARKED_WORDS words that
    does; None when not even that is there."""
    words = fold(phrase).split()
    if not words:
        return None
    folded, where = _folded_chars(text)
    shortest = min(len(words), MIN_MARKED_WORDS)
    for count in range(len(words), shortest - 1, -1):
        key = " ".join(words[:count])
        at = folded.find(key)
        if at >= 0:
            return where[at], where[at + len(key) - 1] + 1
    return None


# --- PDFs -----------------------------------------------------------------------------


def open_pdf(source):
    """A PDFium document, or DocumentError when the bytes are no PDF PDFium can read."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(source)
    except pdfium.PdfiumError:
        raise DocumentError("bad_pdf") from None


def pdf_pages(pdf) -> list[str]:
    """The text of each page (PDFium's reading order)."""
    texts = []
    for page in pdf:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range().replace("\r\n", "\n"))
        textpage.close()
        page.close()
    return texts


def render_page(page, *, width: int) -> tuple[bytes, int, int]:
    """A PNG of one page, ``width`` pixels wide: (bytes, width, height)."""
    page_width, _height = page.get_size()
    image = page.render(scale=width / page_width).to_pil()
    if image.mode != "L" and _is_grey(image):
        image = image.convert("L")  # a text page: a third of the bytes
    out = io.BytesIO()
    # compress_level 3: a tenth of the time of the default for a few per cent more bytes.
    image.save(out, "PNG", compress_level=3)
    return out.getvalue(), image.width, image.height


def _is_grey(image) -> bool:
    from PIL import ImageChops

    red, green, blue = image.convert("RGB").reduce(4).split()
    return (
        not ImageChops.difference(red, green).getbbox()
        and not ImageChops.difference(green, blue).getbbox()
    )


def phrase_boxes(page, phrase: str) -> list[tuple[float, float, float, float]]:
    """Where ``phrase`` stands on ``page``: boxes as fractions of the page (left, top,
    width, height, from the top-left corner), one per line it covers; [] when the page
    does not hold it."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        span = find_span(text, phrase)
        if span is None:
            return []
        start, end = span
        page_width, page_height = page.get_size()
        boxes = []
        for i in range(textpage.count_rects(start, end - start)):
            left, bottom, right, top = textpage.get_rect(i)
            boxes.append(
                (
                    left / page_width,
                    1 - top / page_height,
                    (right - left) / page_width,
                    (top - bottom) / page_height,
                )
            )
        return boxes
    finally:
        textpage.close()


def pdf_public_copy(data: bytes) -> bytes:
    """The PDF without what could name the person who made or sent it: the document
    information (author, creator, producer, title, dates) and the XMP metadata, of the
    document and of each page; annotations' authors. The pages are as they were."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for key in ("/Metadata", "/PieceInfo"):
                if key in pdf.Root:
                    del pdf.Root[key]
            for page in pdf.pages:
                for key in ("/Metadata", "/PieceInfo"):
                    if key in page.obj:
                        del page.obj[key]
                for annot in page.obj.get("/Annots", []):
                    for key in ("/T", "/M"):
                        if key in annot:
                            del annot[key]
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PdfError:
        raise DocumentError("bad_pdf") from None


# --- images, audio and video ---------------------------------------------------------


def image_public_copy(data: bytes, *, max_pixels: int) -> tuple[bytes, str]:
    """The image rebuilt from its pixels alone (no EXIF, GPS, XMP, ICC, comment or
    thumbnail), turned as the camera meant: (bytes, media type)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as img:
                if img.width * img.height > max_pixels:
                    raise DocumentError("too_many_pixels", limit=max_pixels)
                img.seek(0)
                img.load()
                img = ImageOps.exif_transpose(img)
                alpha = "A" in img.getbands() or "transparency" in img.info
                mode, fmt, media = ("RGBA", "PNG", "image/png") if alpha else (
                    "RGB", "JPEG", "image/jpeg")  # fmt: skip
                clean = Image.new(mode, img.size)
                clean.paste(img.convert(mode))
                out = io.BytesIO()
                clean.save(out, fmt, **({"quality": 92} if fmt == "JPEG" else {}))
                return out.getvalue(), media
    except DocumentError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentError("too_many_pixels", limit=max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise DocumentError("bad_image") from None


def media_public_copy(data: bytes, extension: str) -> bytes | None:
    """An audio or video file without its tags (artist, comments, GPS of a phone's
    recording, encoder), or None when mutagen cannot clean this format (WebM, WAV): such
    a file has no public copy, only its digest is public."""
    import mutagen

    if extension in ("webm", "wav"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"copy.{extension}"
        path.write_bytes(data)
        try:
            found = mutagen.File(path)
            if found is None:
                return None
            found.delete()
        except mutagen.MutagenError:
            return None
        return path.read_bytes()


# --- locators ------------------------------------------------------------------------

_PAGE = re.compile(r"^\s*(?:pp?\.?|pages?|ص\.?|صفحه(?:\s*ی)?)\s*(\d+)", re.IGNORECASE)
_TIME = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,3}):(\d{2})\s*$")


def read_locator(locator: str) -> tuple[str, int] | None:
    """("page", 12) for "p. 12", "pp. 12-13", "page 12" or "ص ۱۲"; ("time", 195) for
    "03:15" (or "1:03:15"); None for any other locator (a section, a footnote)."""
    from archive.core.digits import ascii_digits

    text = ascii_digits(locator or "")
    if match := _PAGE.match(text):
        return "page", int(match.group(1))
    if match := _TIME.match(text):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return "time", hours * 3600 + minutes * 60 + seconds
    return None
