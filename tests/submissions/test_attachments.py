"""Attachments are judged by their bytes and rebuilt from their pixels alone."""

import io

import pytest
from PIL import Image

from tests.submissions.conftest import GPS_IFD, jpeg_with_exif, png_bytes
from victims.attachments import AttachmentError, PixelBudget, clean_image


def test_a_phone_photo_loses_its_gps_position_camera_and_dates():
    original = Image.open(io.BytesIO(jpeg_with_exif()))
    assert original.getexif().get_ifd(GPS_IFD)  # the test photo does carry a position

    cleaned = clean_image(io.BytesIO(jpeg_with_exif()))

    stored = Image.open(io.BytesIO(cleaned.data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    for marker in (b"TestCameraMaker", b"SERIAL123", b"Owner Name", b"2023:09:16", b"Exif"):
        assert marker not in cleaned.data


def test_a_photo_taken_sideways_is_stored_upright():
    cleaned = clean_image(io.BytesIO(jpeg_with_exif(size=(64, 48))))
    # EXIF orientation 6 means "turn 90°": the stored picture is 48 wide, 64 high.
    assert (cleaned.width, cleaned.height) == (48, 64)


def test_a_transparent_png_stays_a_png_without_metadata():
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Owner Name")
    Image.open(io.BytesIO(png_bytes())).save(out, "PNG", pnginfo=info)
    cleaned = clean_image(io.BytesIO(out.getvalue()))
    assert cleaned.content_type == "image/png"
    assert b"Owner Name" not in cleaned.data


def test_a_pdf_renamed_to_jpg_is_recognised_as_a_pdf():
    with pytest.raises(AttachmentError) as exc:
        clean_image(io.BytesIO(b"%PDF-1.7\n1 0 obj << /Author (Someone) >>\n"))
    assert exc.value.code == "pdf"


def test_text_disguised_as_a_picture_is_refused():
    with pytest.raises(AttachmentError) as exc:
        clean_image(io.BytesIO(b"<html><script>alert(1)</script></html>"))
    assert exc.value.code == "not_image"


def test_a_format_we_do_not_decode_is_refused_even_if_pillow_could():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "ICO")
    with pytest.raises(AttachmentError) as exc:
        clean_image(io.BytesIO(out.getvalue()))
    assert exc.value.code == "not_image"


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("L", (4000, 3000)).save(out, "PNG")
    with pytest.raises(AttachmentError) as exc:
        clean_image(io.BytesIO(out.getvalue()), max_pixels=1_000_000)
    assert exc.value.code == "too_many_pixels"


def test_no_colour_profile_comment_or_xmp_survives_in_a_jpeg_or_a_png():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Owner Name</x:xmpmeta>'
    jpeg, png = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(
        jpeg, "JPEG", icc_profile=icc, comment=b"Owner Name", xmp=xmp
    )
    Image.new("RGBA", (40, 30)).save(png, "PNG", icc_profile=icc)
    for original in (jpeg, png):
        cleaned = clean_image(io.BytesIO(original.getvalue()))
        stored = Image.open(io.BytesIO(cleaned.data))
        assert not {"icc_profile", "comment", "xmp", "exif"} & set(stored.info)
        assert b"Owner Name" not in cleaned.data and icc[:64] not in cleaned.data


def test_a_large_photo_is_kept_at_a_reduced_size_and_still_upright():
    big = jpeg_with_exif(size=(5000, 3000))  # orientation 6: to be turned
    cleaned = clean_image(io.BytesIO(big), keep_side=4096)
    assert (cleaned.width, cleaned.height) == (1500, 2500)


def test_a_large_png_is_reduced_by_a_whole_factor():
    out = io.BytesIO()
    Image.new("RGB", (6300, 2000), (1, 2, 3)).save(out, "PNG")
    cleaned = clean_image(io.BytesIO(out.getvalue()), keep_side=4096)
    assert (cleaned.width, cleaned.height) == (3150, 1000)


def test_the_pixels_of_one_request_are_bounded_across_its_files_before_decoding():
    budget = PixelBudget(3_000_000)
    one = io.BytesIO(jpeg_with_exif(size=(1500, 1000)))
    clean_image(one, budget=budget)
    clean_image(io.BytesIO(jpeg_with_exif(size=(1500, 1000))), budget=budget)
    with pytest.raises(AttachmentError) as exc:
        clean_image(io.BytesIO(jpeg_with_exif(size=(1500, 1000))), budget=budget)
    assert exc.value.code == "over_budget"


def test_a_large_jpeg_takes_from_the_budget_only_what_it_decodes():
    budget = PixelBudget(10_000_000)
    big = io.BytesIO(jpeg_with_exif(size=(6000, 6000)))  # 36 M pixels in its header
    cleaned = clean_image(big, budget=budget, keep_side=4096)
    assert (cleaned.width, cleaned.height) == (3000, 3000)
    assert budget.left == 10_000_000 - 9_000_000  # decoded at half scale
