"""What one submission with large pictures costs: ``python bench/submission_images.py``.

Five synthetic JPEGs of 6300x6300 pixels (about 230 KB each: flat colour compresses well,
which is what makes such a file cheap to send and dear to decode) are posted in ONE
submission through Django's test Client, in a fresh child process on a throwaway SQLite
database, and the child reports the CPU time and the peak resident memory of that one
request: its peak resident size (VmHWM, reset just before the request through
/proc/self/clear_refs, so Linux only) and that peak less the size before it. Options: ``--files N``,
``--side PX``, ``--png`` (lossless PNGs instead, which cannot be decoded at a reduced size:
about 130 KB each at 6300x6300, the case first reported as 15 s and 830 MB),
``--photos`` (4032x3024 phone-like photos with detail, about 3 MB each).

Nothing here is a test: no figure is asserted; the report gives the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def picture(side: int, shade: int, fmt: str, photo: bool = False) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    if photo:  # a phone photo's size and detail: 4032x3024, smoothed noise, ~3 MB
        noise = Image.effect_noise((4032, 3024), 64).filter(ImageFilter.GaussianBlur(1))
        img = Image.merge("RGB", [noise, noise.rotate(180), noise.transpose(0)])
        out = io.BytesIO()
        img.save(out, "JPEG", quality=85)
        return out.getvalue()
    img = Image.new("RGB", (side, side), (shade, 120, 200 - shade))
    ImageDraw.Draw(img).rectangle([side // 4, side // 4, side // 2, side // 2], fill=(20, 20, 20))
    out = io.BytesIO()
    if fmt == "PNG":
        img.save(out, "PNG")
    else:
        img.save(out, "JPEG", quality=75, optimize=True)
    return out.getvalue()


def status_kb(field: str) -> int:
    """A figure from /proc/self/status (Linux), in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def child(args) -> None:
    import resource
    import time

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    blobs = [path.read_bytes() for path in sorted(Path(args.child).glob("scan*"))]
    ext, ctype = ("png", "image/png") if args.png else ("jpg", "image/jpeg")
    files = [
        SimpleUploadedFile(f"scan{i}.{ext}", b, content_type=ctype) for i, b in enumerate(blobs)
    ]
    data = {"name_latin": "Testname Bench", "account": "A synthetic account.", "consent": "on",
            "attachments": files}  # fmt: skip
    client = Client()
    client.get("/submit/")  # warm: templates, translations, URL resolvers
    before_rss = status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to now
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    wall0 = time.perf_counter()
    response = client.post("/submit/", data)
    wall = time.perf_counter() - wall0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    messages = []
    if response.status_code == 200:  # the form again: what it says of the pictures
        page = response.content.decode()
        found = re.search(r'id="id_attachments_error">(.*?)</ul>', page, re.S)
        messages = re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []
    print(json.dumps({
        "status": response.status_code,
        "file_kb": [round(len(b) / 1024) for b in blobs],
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime - cpu0, 2),
        "rss_mb_before": round(before_rss / 1024),
        "peak_rss_mb": round(status_kb("VmHWM") / 1024),
        "peak_growth_mb": round((status_kb("VmHWM") - before_rss) / 1024),
        "messages": messages,
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5)
    parser.add_argument("--side", type=int, default=6300)
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--photos", action="store_true", help="12-megapixel phone photos")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        fmt = "PNG" if args.png else "JPEG"
        for i in range(args.files):  # made here, so that the child's memory is the request's
            Path(tmp, f"scan{i}").write_bytes(picture(args.side, 40 * i, fmt, args.photos))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PRIVATE_MEDIA_ROOT": f"{tmp}/private",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-key-" + "x" * 40),
            "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "testserver",
            "SUBMISSION_RATE": "1000/h",
            "SUBMISSION_POST_RATE": "1000/h",
        }
        cmd = [sys.executable, __file__, "--child", tmp, "--files", str(args.files),
               "--side", str(args.side)] + (["--png"] if args.png else [])  # fmt: skip
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            sys.exit(result.stderr)
        print(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
