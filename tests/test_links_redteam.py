"""Links that last, attacked: inputs that broke the promise (a published URL never breaks,
redirects on every host, incremental equals clean, no traceback) before links.py and
hostfiles.py were fixed. Each test is one defect found."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import article, clean_build, rebuild, tree
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

CONFIG = "title: Red team\nbase_url: https://example.org/\nsearch: false\n"


def failed(site: Path) -> list[str]:
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=1))
    assert not report.ok
    return [str(p) for p in report.problems]


def write(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def nginx_tokens(line: str) -> list[str]:
    """nginx's own reading of one line (ngx_conf_read_token): quoted strings with '\\' escapes."""
    tokens, i = [], 0
    while i < len(line):
        c = line[i]
        if c.isspace():
            i += 1
        elif c == '"':
            i, text = i + 1, ""
            while line[i] != '"':
                if line[i] == "\\" and line[i + 1] in "\"'\\":
                    i += 1
                text += line[i]
                i += 1
            tokens.append(text)
            i += 1
        elif c in "{};":
            tokens.append(c)
            i += 1
        else:
            start = i
            while i < len(line) and not line[i].isspace() and line[i] not in '{};"':
                i += 1
            tokens.append(line[start:i])
    return tokens


def apache_args(line: str) -> list[str]:
    """Apache's reading of a directive's arguments (ap_getword_conf): '\\\\' and '\\"' unescaped."""
    args, i = [], 0
    while i < len(line):
        if line[i].isspace():
            i += 1
        elif line[i] == '"':
            i, text = i + 1, ""
            while line[i] != '"':
                if line[i] == "\\" and line[i + 1] in '"\\':
                    i += 1
                text += line[i]
                i += 1
            args.append(text)
            i += 1
        else:
            start = i
            while i < len(line) and not line[i].isspace():
                i += 1
            args.append(line[start:i])
    return args


def test_adding_an_alias_alone_redirects_and_equals_a_clean_build(make_site, tmp_path):
    """An edit of `aliases:` alone went the edit-rebuild way (aliases were not a layout field):
    the redirect page and the host files were never written."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01")}, config=CONFIG).parent
    rebuild(site)
    write(site, "articles/a.md", article("Alpha", "2021-05-01", aliases="[/old/alpha.html]"))
    rebuild(site)
    page = (site / "_site/old/alpha.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/2021/05/alpha/"' in page
    assert "/old/alpha.html /2021/05/alpha/ 301" in (site / "_site/_redirects").read_text()
    assert "/old/alpha.html\tarticle\ta.md" in (site / "published-urls.txt").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_nginx_and_apache_rules_cannot_be_broken_out_of_by_an_alias(make_site):
    r"""`\"` in a percent-encoded alias became `\\"` in nginx-redirects.conf: nginx reads `\\`
    as one backslash, so the quote ended the string and the rest was configuration."""
    alias = "/x%5C%22;return%20200%20pwned;%23/"
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases=f"['{alias}']")}, config=CONFIG).parent
    rebuild(site)
    decoded = '/x\\";return 200 pwned;#/'
    lines = (site / "_site/nginx-redirects.conf").read_text().splitlines()[1:]
    assert [nginx_tokens(line) for line in lines] == [
        ["location", "=", decoded, "{", "return", "301", "/2021/05/alpha/", ";", "}"],
        ["location", "=", decoded + "index.html", "{", "return", "301", "/2021/05/alpha/", ";", "}"],
    ]
    (line,) = [l for l in (site / "_site/apache-redirects.conf").read_text().splitlines() if l.startswith("RedirectMatch")]
    directive, status, pattern, target = apache_args(line)
    assert (directive, status, target) == ("RedirectMatch", "301", "/2021/05/alpha/")
    assert re.fullmatch(pattern, decoded) and re.fullmatch(pattern, decoded + "index.html")
    assert not re.fullmatch(pattern, '/x";return 200 pwned;#/')


def test_a_dollar_in_a_target_is_neither_an_nginx_variable_nor_an_apache_backreference(make_site):
    """`slug: price-$5` renamed: Apache read '$5' in the target as a backreference (empty) and
    nginx as a variable, sending readers to /2021/05/price-/."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", slug="old")}, config=CONFIG).parent
    rebuild(site)
    write(site, "articles/a.md", article("Alpha", "2021-05-01", slug="'price-$5'"))
    rebuild(site)
    nginx = (site / "_site/nginx-redirects.conf").read_text()
    assert 'location = "/2021/05/old/" { return 301 "/2021/05/price-%245/"; }' in nginx
    (line,) = [l for l in (site / "_site/apache-redirects.conf").read_text().splitlines() if l.startswith("RedirectMatch")]
    assert apache_args(line)[3] == "/2021/05/price-%245/"
    assert (site / "_site/2021/05/price-$5/index.html").is_file()


def test_netlify_splats_and_placeholders_are_not_written_as_rules(make_site):
    """An alias `/old/*` became the Netlify rule `/old/* … 301`: a splat sending every missing
    page below /old/ to one article (and `/:id/` a placeholder). The HTML page answers there."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases="['/old/*', '/cms/:id/', /plain.html]")},
                     config=CONFIG).parent
    rebuild(site)
    rules = (site / "_site/_redirects").read_text().splitlines()
    assert rules == ["/plain.html /2021/05/alpha/ 301"]
    assert (site / "_site/old/*/index.html").is_file() and (site / "_site/cms/:id/index.html").is_file()


@pytest.mark.parametrize("name", ["a\u2028b.md", "c\nd.md", "e\\nf.md", "g\th.md"])
def test_a_file_name_with_a_line_break_keeps_the_record_readable(make_site, tmp_path, name):
    """A file name holding U+2028 or a newline was written into the record as is, and the next
    build refused the record it had written itself ('not a recorded URL')."""
    site = make_site({f"articles/{name}": article("Gamma", "2021-05-03")}, config=CONFIG).parent
    rebuild(site)
    write(site, f"articles/{name}", article("Gamma two", "2021-05-03"))
    rebuild(site)
    rebuild(site, full=True)
    assert "/2021/05/gamma/ /2021/05/gamma-two/ 301" in (site / "_site/_redirects").read_text()
    from newsarchive.links import read_record
    assert read_record(load_config(site / "config.yaml"))["/2021/05/gamma/"].key == name
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_hand_edited_record_in_any_spelling_keeps_every_host_file_well_formed(make_site):
    """A record line saved with a byte-order mark and CRLF was refused at line 1; a URL typed
    raw (`/old story/`, `/tags/café/` in NFD) went as is into `_redirects`, where the space
    split the rule in three."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", tags="[café]")},
                     config=CONFIG + "slug_style: unicode\n").parent
    rebuild(site)
    record = (site / "published-urls.txt").read_text(encoding="utf-8")
    assert "/tags/caf%C3%A9/\tterm\n" in record
    record = record.replace("/tags/caf%C3%A9/\tterm", "/tags/cafe\u0301/\tterm") + "/old story/\tarticle\ta.md\n"
    (site / "published-urls.txt").write_bytes(b"\xef\xbb\xbf" + record.replace("\n", "\r\n").encode("utf-8"))
    rebuild(site)
    rules = (site / "_site/_redirects").read_text().splitlines()
    assert rules == ["/old%20story/ /2021/05/alpha/ 301"]
    assert (site / "_site/old story/index.html").is_file()
    assert (site / "_site/tags/café/index.html").read_text(encoding="utf-8").count("Alpha") >= 1
    assert "/old%20story/\tarticle\ta.md\n" in (site / "published-urls.txt").read_text(encoding="utf-8")


def test_a_folder_alias_and_its_index_html_are_one_old_url(make_site):
    """`aliases: [/old/, /old/index.html]` (an old CMS served both) failed: two pages would be
    written to old/index.html. So did an alias that is the article's URL in other letters."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases="[/old/, /old/index.html, /2021/05/ALPHA/]")},
                     config=CONFIG).parent
    rebuild(site)
    assert 'href="https://example.org/2021/05/alpha/"' in (site / "_site/old/index.html").read_text()
    assert (site / "_site/_redirects").read_text() == "/old/ /2021/05/alpha/ 301\n"


def test_a_slug_whose_case_changed_still_builds(make_site, tmp_path):
    """`slug: Price` → `slug: price`: the old URL's redirect page and the article were one file
    on macOS and Windows, so every build after failed, naming the article."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", slug="Price")}, config=CONFIG).parent
    rebuild(site)
    write(site, "articles/a.md", article("Alpha", "2021-05-01", slug="price"))
    rebuild(site)
    assert "Alpha" in (site / "_site/2021/05/price/index.html").read_text()
    assert not (site / "_site/_redirects").exists()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_an_alias_cannot_take_the_old_url_of_another_article(make_site):
    """b.md moved; a.md then listed b's old URL as an alias and silently took it over, so b's
    old links led to a."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01"), "articles/b.md": article("Beta", "2021-05-02")},
                     config=CONFIG).parent
    rebuild(site)
    write(site, "articles/b.md", article("Beta two", "2021-05-02"))
    write(site, "articles/a.md", article("Alpha", "2021-05-01", aliases="[/2021/05/beta/]"))
    (problem,) = failed(site)
    assert problem.startswith("a.md:4: error: alias '/2021/05/beta/' was published for b.md (now at /2021/05/beta-two/)")


@pytest.mark.parametrize("alias, why", [
    ("/%2Ewell-known/x/", "hidden names, even percent-encoded"),
    ("/%2Ehtaccess", "hidden names, even percent-encoded"),
    ("/a%2F%2E%2E%2F%2E%2E/x.html", "'..' segments"),
    ("/a%0Ab/", "control characters, even percent-encoded"),
    ("/_redirects", "a file the build writes for web hosts"),
    ("/nginx-redirects.conf", "a file the build writes for web hosts"),
    ("/_IMG/x.jpg", "a folder the build fills itself"),
    ("/FAVICON.ico", "already the URL of the file favicon.ico"),
    ("/feed.xml/old/", "needs a folder where site feed is"),
])
def test_an_alias_where_no_redirect_can_be_written_is_an_error_naming_file_and_line(make_site, alias, why):
    """These passed the front-matter check (it reads the alias as typed, not decoded) and then
    wrote a hidden file, failed with an error naming no article line ('alias of a.md',
    'static/favicon.ico'), or failed half-way writing ('_redirects': Is a directory)."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases=f"['{alias}']")}, config=CONFIG).parent
    (problem,) = failed(site)
    assert problem.startswith(f"a.md:4: error: alias '{alias}'") and why in problem, problem
    assert not (site / "_site").exists()


def test_a_recorded_url_where_a_static_file_now_stands_lets_the_file_answer(make_site, tmp_path):
    """A removed article's URL, later given to a page of the site's own static/: the notice
    page and the file collided and the build failed, naming the static file."""
    site = make_site({"articles/a.md": article("About", "2021-05-01"), "articles/b.md": article("Beta", "2021-05-02")},
                     config=CONFIG + "permalink: /{slug}/\n").parent
    rebuild(site)
    (site / "articles/a.md").unlink()
    write(site, "static/about/index.html", "<!doctype html><title>About us</title>")
    rebuild(site)
    assert (site / "_site/about/index.html").read_text() == "<!doctype html><title>About us</title>"
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_refresh_to_a_url_starting_with_a_quote_keeps_the_whole_url(make_site):
    """From a root-level old URL (/x.html) to `slug: "'a'"`, the refresh read `url='a'/…` as a
    quoted URL ending at the next quote, and sent readers to /a."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", slug="\"'a'\"", aliases="[/x.html]")},
                     config=CONFIG + "permalink: /{slug}/\n").parent
    rebuild(site)
    page = (site / "_site/x.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=./&#39;a&#39;/">' in page


def test_the_sites_own_redirects_file_is_never_dropped_in_silence(make_site):
    """A static/_redirects saved in Latin-1 was read as empty: the published site had no
    _redirects at all, the site's own rules gone without a word. A byte-order mark went into
    the published file, in front of the first rule."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01")}, config=CONFIG).parent
    (site / "static").mkdir()
    (site / "static/_redirects").write_bytes("/mine /café 302\n".encode("latin-1"))
    (problem,) = failed(site)
    assert problem.startswith(f"{site / 'static/_redirects'}: error: _redirects is not UTF-8")
    (site / "static/_redirects").write_bytes("\ufeff/mine /x 302\n".encode("utf-8"))
    rebuild(site)
    assert (site / "_site/_redirects").read_bytes() == b"/mine /x 302\n"


@pytest.mark.parametrize("line", ["/.htaccess\tarticle\tx.md", "/%2Egit/config\tterm", "/a/%2e%2e/%2E%2E/x/\tterm"])
def test_a_record_line_naming_a_hidden_or_outside_path_is_an_error_naming_the_line(make_site, line):
    """`/.htaccess` in the record (a bad merge, a hand edit) planned a removal notice over the
    build's own .htaccess; `/%2Egit/config` wrote a hidden folder."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01")}, config=CONFIG).parent
    (site / "published-urls.txt").write_text("# a record\n/\thome\n" + line + "\n", encoding="utf-8")
    (problem,) = failed(site)
    assert problem.startswith(f"{site / 'published-urls.txt'}:3: error: not a recorded URL"), problem


def test_s3_redirect_metadata_of_a_site_on_a_host_in_another_script_is_ascii(make_site):
    """base_url https://bücher.example/ (allowed: "a host name, any script"): the S3 website
    redirect header was sent as UTF-8 and stored as 'https://bÃ¼cher.example/…' (moto)."""
    from newsarchive.links import redirect_of
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases="[/old.html]")},
                     config="title: T\nbase_url: https://bücher.example/\nsearch: false\n").parent
    rebuild(site)
    assert redirect_of((site / "_site/old.html").read_bytes()) == "https://xn--bcher-kva.example/2021/05/alpha/"


def test_two_articles_claiming_one_old_url_in_other_letters_is_an_error_naming_file_and_line(make_site):
    """a.md `/Old/`, b.md `/old/`: one file on macOS and Windows. The error named 'alias of a.md'
    (no file, no line) and --keep-going could not leave either article out."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", aliases="[/Old/]"),
                      "articles/b.md": article("Beta", "2021-05-02", aliases="[/old/]")}, config=CONFIG).parent
    (problem,) = failed(site)
    assert problem.startswith("a.md:4: error: alias '/Old/' is claimed by b.md too"), problem
    report = rebuild(site, keep_going=True)
    assert report.built == 1
    assert (site / "_site/_redirects").read_text() == "/old/ /2021/05/beta/ 301\n"


def test_a_slug_whose_case_changed_then_changed_again_builds_and_both_spellings_redirect(make_site, tmp_path):
    """`Price` → `price` → `other`: the record held both spellings, whose redirect pages are one
    file on macOS and Windows, and the build failed ('two pages would be written')."""
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01", slug="Price")}, config=CONFIG).parent
    for slug in ("price", "other"):
        rebuild(site)
        write(site, "articles/a.md", article("Alpha", "2021-05-01", slug=slug))
    rebuild(site)
    assert (site / "_site/_redirects").read_text().splitlines() == [
        "/2021/05/Price/ /2021/05/other/ 301", "/2021/05/price/ /2021/05/other/ 301"]
    assert 'href="https://example.org/2021/05/other/"' in (site / "_site/2021/05/Price/index.html").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_nginx_never_gets_one_location_twice(make_site):
    """A recorded /a/index.html beside /a/ (the folder's rule adds its index.html) gave nginx
    the same `location =` twice, which it refuses to load."""
    from newsarchive.hostfiles import host_pages
    site = make_site({"articles/a.md": article("Alpha", "2021-05-01")}, config=CONFIG).parent
    pages = host_pages(load_config(site / "config.yaml"), [("/a/", "/b/"), ("/a/index.html", "/c/")])
    (nginx,) = [p.data["text"] for p in pages if p.url == "/nginx-redirects.conf"]
    places = [nginx_tokens(line)[2] for line in nginx.splitlines()[1:]]
    assert sorted(places) == ["/a/", "/a/index.html"]
