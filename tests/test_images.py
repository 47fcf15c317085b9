"""images.py through real builds: sizes, versions, metadata stripped after orientation,
content-hash cache between builds, and unreadable files as warnings."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import article, tree_digest
from newsarchive.config import load_config
from newsarchive.images import make_versions, svg_size
from newsarchive.pipeline import BuildOptions, build

GPS = 0x8825


def phone_photo() -> bytes:
    """1000×1600 as stored, EXIF orientation 6 (shown 1600×1000), a GPS position, a camera model, XMP."""
    image = Image.new("RGB", (1000, 1600), (30, 90, 140))
    image.paste((200, 40, 40), (0, 0, 1000, 200))  # a red band on the stored top: on the right once upright
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0110] = "Reporter Phone"
    exif[GPS] = {1: "N", 2: (43.0, 17.0, 30.0), 3: "E", 4: (5.0, 22.0, 10.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif.tobytes(), xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret place</x:xmpmeta>")
    return out.getvalue()


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 200, 10, 128)).save(out, "PNG")
    return out.getvalue()


FILES = {
    "articles/2021/strike.md": article("Port strike", "2021-05-15", "Dockers walk out.\n\n![The quay at dawn](../images/quay.png)",
                                       image="../images/phone.jpg", tags="[Port]"),
    "articles/2021/broken.md": article("Broken picture", "2021-05-10", "Text.", image="../images/broken.jpg"),
    "articles/images/phone.jpg": phone_photo(),
    "articles/images/quay.png": small_png(),
    "articles/images/broken.jpg": b"\xff\xd8\xff\xe0 this is not really a JPEG",
}


@pytest.fixture
def built(make_site):
    config = make_site(dict(FILES))
    report = build(load_config(config), BuildOptions())
    assert report.ok, [str(p) for p in report.problems]
    return config, report, config.parent / "_site"


def _html(out: Path, slug: str) -> str:
    return (out / f"2021/05/{slug}/index.html").read_text(encoding="utf-8")


def test_lead_image_gets_its_upright_size_and_webp_and_jpeg_widths(built):
    _, _, out = built
    page = _html(out, "port-strike")
    lead = page.split('class="na-lead-figure"')[1].split("</picture>")[0]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', lead).group(1)
    assert [w for w in re.findall(r" (\d+)w", webp)] == ["640", "1024", "1600"]
    img = re.search(r"<img [^>]+>", lead).group(0)
    assert 'width="1600" height="1000"' in img and 'loading="eager"' in img
    assert re.findall(r" (\d+)w", re.search(r' srcset="([^"]+)"', img).group(1)) == ["640", "1024", "1600"]
    for rel in re.findall(r'src="([^"]+)"', lead) + re.findall(r'([^ ,"]+) \d+w', lead):
        assert (out / "2021/05/port-strike" / rel).resolve().is_file(), rel
    with Image.open(out / "images/phone.jpg") as shown:
        assert shown.size == (1600, 1000)
        assert shown.getpixel((1590, 500))[0] > 150  # the red band ended up on the right: orientation honoured


def test_published_image_and_every_version_carry_no_exif_gps_or_xmp(built):
    _, _, out = built
    files = [out / "images/phone.jpg", *sorted((out / "_img").rglob("phone-*"))]
    assert len(files) >= 8
    for path in files:
        data = path.read_bytes()
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert "xmp" not in image.info and b"secret place" not in data and b"Reporter Phone" not in data, path


def test_og_image_is_the_1200_px_version(built):
    _, _, out = built
    page = _html(out, "port-strike")
    url = re.search(r'<meta property="og:image" content="https://example.org/(_img/[^"]+-1200\.jpg)"[^>]*>', page).group(1)
    assert '<meta property="og:image:width" content="1200">' in page and '<meta property="og:image:height" content="750">' in page
    with Image.open(out / url) as og:
        assert og.size == (1200, 750)


def test_listing_card_uses_the_small_thumbnail(make_site):
    files = dict(FILES)
    files["articles/2021/newer.md"] = article("Newer story", "2021-06-01", "Text.")  # the lead card is another one
    config = make_site(files)
    assert build(load_config(config), BuildOptions()).ok
    home = (config.parent / "_site/index.html").read_text(encoding="utf-8")
    card = home.split('<a class="na-card-media" href="2021/05/port-strike/"')[1].split("</a>")[0]
    assert re.findall(r" (\d+)w", card) == ["320", "640", "320", "640"]
    assert 'width="640" height="400"' in card and 'loading="lazy"' in card


def test_body_image_becomes_a_lazy_picture_without_upscaling(built):
    _, _, out = built
    body = _html(out, "port-strike").split('class="na-body"')[1]
    picture = re.search(r"<picture>.*?</picture>", body).group(0)
    assert 'alt="The quay at dawn"' in picture and 'width="300" height="200"' in picture and 'loading="lazy"' in picture
    assert re.findall(r" (\d+)w", picture) == ["300", "300"]  # a 300-px image is never made wider
    assert 'src="../../../images/quay.png"' in picture


def test_unreadable_image_is_a_warning_naming_it_and_the_original_is_used(built):
    _, report, out = built
    messages = [str(p) for p in report.warnings]
    assert any("2021/broken.md" not in m and "images/broken.jpg" in m and "cannot read image" in m for m in messages), messages
    page = _html(out, "broken-picture")
    assert '<img src="../../../images/broken.jpg" alt="" decoding="async">' in page
    assert (out / "images/broken.jpg").read_bytes() == FILES["articles/images/broken.jpg"]


def test_versions_are_made_once_and_reused_by_content_hash(built, tmp_path):
    config, report, out = built
    assert report.images_made == 3  # phone.jpg, quay.png, and the unreadable one (its failure is cached too)
    story = config.parent / "articles/2021/strike.md"
    story.write_text(story.read_text(encoding="utf-8").replace("walk out", "walked out"), encoding="utf-8")
    again = build(load_config(config), BuildOptions())
    assert again.ok and again.images_made == 0
    assert any("cannot read image" in str(p) for p in again.warnings)  # still reported
    full = build(load_config(config), BuildOptions(full=True))
    assert full.ok and full.images_made == 0
    moved = config.parent / "articles/images/renamed.jpg"  # same bytes under another name: same versions
    shutil.copy(config.parent / "articles/images/phone.jpg", moved)
    renamed = build(load_config(config), BuildOptions())
    assert renamed.ok and renamed.images_made == 0

    clean = tmp_path / "clean"
    shutil.copytree(config.parent, clean, ignore=shutil.ignore_patterns(".cache", "_site"))
    assert build(load_config(clean / "config.yaml"), BuildOptions()).images_made == 3
    ours, theirs = tree_digest(out), tree_digest(clean / "_site")
    assert ours == theirs


def test_png_with_transparency_keeps_png_as_the_fallback(tmp_path):
    source = tmp_path / "logo.png"
    source.write_bytes(small_png())
    meta = make_versions(str(source), str(tmp_path))
    assert meta["mime"] == "image/png" and meta["stripped"] is None
    assert {entry[3] for entry in meta["display"]} == {"image/webp", "image/png"}
    with Image.open(tmp_path / meta["display"][0][0]) as webp:
        assert webp.format == "WEBP" and webp.mode == "RGBA"


@pytest.mark.parametrize("root, size", [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">', (1200, 675)),
    ("<svg xmlns='http://www.w3.org/2000/svg' width='16px' height='9px'>", (16, 9)),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="100%">', (400, 300)),
    ('<svg xmlns="http://www.w3.org/2000/svg">', None),
])
def test_svg_size_from_its_root(tmp_path, root, size):
    path = tmp_path / "x.svg"
    path.write_text('<?xml version="1.0"?>\n' + root + "<rect/></svg>", encoding="utf-8")
    assert svg_size(str(path)) == size


def test_svg_lead_and_body_images_get_their_size(make_site):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90"><rect width="160" height="90"/></svg>'
    config = make_site({"articles/a.md": article("Drawn", "2021-05-15", "Text.\n\n![A map](map.svg)", image="map.svg"),
                        "articles/map.svg": svg})
    assert build(load_config(config), BuildOptions()).ok
    page = (config.parent / "_site/2021/05/drawn/index.html").read_text(encoding="utf-8")
    assert '<img src="../../../map.svg" alt="" width="160" height="90" decoding="async">' in page
    assert '<img alt="A map" src="../../../map.svg" width="160" height="90" loading="lazy" decoding="async">' in page
