"""Symlinks under articles/, static/ and templates/: followed when they stay inside, refused when they leave."""
from __future__ import annotations

import os

from conftest import article, run_cli, tiny_jpeg
from newsarchive.safepaths import resolves_inside


def _secret(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "shadow").write_text("root:SECRET-HASH:19000::::::\n", encoding="utf-8")
    (outside / "evil.html").write_text("OUTSIDE TEMPLATE {{ page.url }}", encoding="utf-8")
    (outside / "stolen.md").write_text(article("Stolen article", body="STOLEN-BODY"), encoding="utf-8")
    return outside


def _all_output_text(out) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


def test_resolves_inside(tmp_path):
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "a.css").write_text("a", encoding="utf-8")
    os.symlink("css/a.css", root / "inside.css")
    os.symlink(tmp_path, root / "up")
    os.symlink("loop", root / "loop")
    assert resolves_inside(root / "inside.css", root)
    assert resolves_inside(root, root)
    assert not resolves_inside(root / "up", root)
    assert not resolves_inside(root / "css" / ".." / ".." / "x", root)
    assert resolves_inside(root / "loop", root)  # a link to itself leads nowhere else; reading it fails
    os.symlink("/nonexistent/secret", root / "dangling")
    assert not resolves_inside(root / "dangling", root)
    assert not resolves_inside(tmp_path / "static-other", root)  # a sibling whose name starts like root's


def test_static_symlink_outside_is_refused_named_and_counted(make_site, tmp_path):
    outside = _secret(tmp_path)
    config = make_site({"articles/a.md": article("A")})
    os.makedirs(config.parent / "static")
    os.symlink(outside, config.parent / "static" / "etc")
    os.symlink(outside / "shadow", config.parent / "static" / "shadow.txt")
    out = tmp_path / "out"
    result = run_cli("build", "--config", config, "--output", out)
    assert result.code == 0, result.err
    assert "static/etc: warning: symlink leads outside static/" in result.err
    assert "static/shadow.txt: warning: symlink leads outside static/" in result.err
    assert "refused 2 symlinks leading outside the site's folders" in result.out
    assert "2 warnings" in result.out
    assert not (out / "etc").exists() and not (out / "shadow.txt").exists()
    assert "SECRET-HASH" not in _all_output_text(out)


def test_refused_symlink_is_an_error_with_strict(make_site, tmp_path):
    outside = _secret(tmp_path)
    config = make_site({"articles/a.md": article("A")})
    os.symlink(outside / "shadow", config.parent / "articles" / "shadow.jpg")
    result = run_cli("build", "--config", config, "--output", tmp_path / "out", "--strict")
    assert result.code == 1
    assert "articles/shadow.jpg: error: symlink leads outside articles/" in result.err
    assert not (tmp_path / "out").exists()


def test_article_symlink_outside_is_never_read(make_site, tmp_path):
    outside = _secret(tmp_path)
    config = make_site({"articles/a.md": article("A")})
    os.symlink(outside / "stolen.md", config.parent / "articles" / "stolen.md")
    out = tmp_path / "out"
    result = run_cli("build", "--config", config, "--output", out)
    assert result.code == 0, result.err
    assert "articles/stolen.md: warning: symlink leads outside articles/" in result.err
    assert "read 1 articles" in result.out
    assert "STOLEN-BODY" not in _all_output_text(out)


def test_symlinks_inside_their_folder_work_as_files(make_site, tmp_path):
    config = make_site({"articles/2021/a.md": article("Alpha", body="ALPHA-BODY"),
                        "articles/img/photo.jpg": tiny_jpeg()})
    arts = config.parent / "articles"
    os.symlink("../img/photo.jpg", arts / "2021" / "photo.jpg")
    os.symlink("img", arts / "pictures")
    out = tmp_path / "out"
    result = run_cli("build", "--config", config, "--output", out)
    assert result.code == 0, result.err
    assert "symlink" not in result.err and "refused" not in result.out
    assert (out / "2021" / "photo.jpg").read_bytes() == tiny_jpeg()
    assert (out / "pictures" / "photo.jpg").read_bytes() == tiny_jpeg()


def test_symlink_loop_is_not_followed(make_site, tmp_path):
    config = make_site({"articles/2021/a.md": article("Alpha")})
    os.symlink("..", config.parent / "articles" / "2021" / "again")
    result = run_cli("build", "--config", config, "--output", tmp_path / "out")
    assert result.code == 0, result.err
    assert "articles/2021/again: warning: symlink leads back into a folder above it" in result.err
    assert "read 1 articles" in result.out


def test_template_symlink_outside_is_refused_and_the_theme_used(make_site, tmp_path):
    outside = _secret(tmp_path)
    config = make_site({"articles/a.md": article("A", body="BODY-A")})
    os.makedirs(config.parent / "templates")
    os.symlink(outside / "evil.html", config.parent / "templates" / "article.html")
    out = tmp_path / "out"
    result = run_cli("build", "--config", config, "--output", out)
    assert result.code == 0, result.err
    assert "templates/article.html: warning: symlink leads outside templates/" in result.err
    page = (out / "2021" / "05" / "a" / "index.html").read_text(encoding="utf-8")
    assert "BODY-A" in page and "OUTSIDE TEMPLATE" not in page


def test_up_to_date_rebuild_still_reports_the_refused_link(make_site, tmp_path):
    outside = _secret(tmp_path)
    config = make_site({"articles/a.md": article("A")})
    os.symlink(outside / "shadow", config.parent / "articles" / "shadow.txt")
    out = tmp_path / "out"
    assert run_cli("build", "--config", config, "--output", out).code == 0
    again = run_cli("build", "--config", config, "--output", out)
    assert again.code == 0
    assert "up to date" in again.out and "refused 1 symlink leading" in again.out
    assert "articles/shadow.txt: warning: symlink leads outside articles/" in again.err


def test_template_loader_never_reads_through_a_folder_link_that_leaves(tmp_path):
    import jinja2
    import pytest
    from newsarchive.templates import ContainedLoader
    outside = _secret(tmp_path)
    site_templates, theme = tmp_path / "templates", tmp_path / "theme"
    site_templates.mkdir()
    (theme / "parts").mkdir(parents=True)
    (theme / "parts" / "evil.html").write_text("THEME PART", encoding="utf-8")
    os.symlink(outside, site_templates / "parts")
    (site_templates / "inside.html").write_text("INSIDE", encoding="utf-8")
    os.symlink("inside.html", site_templates / "alias.html")
    env = jinja2.Environment(loader=ContainedLoader([str(site_templates), str(theme)]))
    assert env.get_template("parts/evil.html").render() == "THEME PART"  # the theme's, not the linked folder's
    assert env.get_template("alias.html").render() == "INSIDE"
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("parts/shadow")
