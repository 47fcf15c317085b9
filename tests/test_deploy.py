"""`deploy` against real targets on this machine: moto's standalone S3 server on 127.0.0.1,
a bare git repository, a local folder, and rsync to a local path. No client is mocked."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import article, run_cli
from newsarchive import mediatypes
from newsarchive.deploy import TargetSpec, target_kind
from newsarchive.deploy import run as deploy_run
from newsarchive.deploy.folder import RsyncTarget, parse_itemized

ARTICLES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", tags="[Port]"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10", "Roofs.\n\n![r](../img/roof.svg)"),
    "articles/img/roof.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>",
}


def site_with(make_site, deploy: str, name: str = "site") -> Path:
    return make_site(dict(ARTICLES), config=f"title: Deploy test\nbase_url: https://example.org/news/\ndeploy:\n{deploy}", name=name)


def site_file_count(config: Path) -> int:
    return sum(1 for p in (config.parent / "_site").rglob("*") if p.is_file() and p.name != ".newsarchive-output")


def remove_article(config: Path, rel: str, slug: str) -> None:
    """Delete an article and give its URL up for good, so that its page leaves the site (links.py)."""
    (config.parent / "articles" / rel).unlink()
    record = config.parent / "published-urls.txt"
    record.write_text("".join(line for line in record.read_text().splitlines(keepends=True) if slug not in line))


def summary_numbers(out: str) -> tuple[int, int, int]:
    line = next(line for line in out.splitlines() if line.startswith("deployed to "))
    numbers = [int(part.split()[-1]) for part in line.split(": ", 1)[1].split(", ")]
    return tuple(numbers)


# --- S3 (moto's standalone server) -----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's server on a free port; started again on another port if it exits (the port was
    taken between free_port() and its bind, e.g. by a test in the other pytest process)."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed (make test installs it)")
    for _ in range(3):
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline, answered = time.monotonic() + 30, False
        while not answered and time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                answered = True
            except OSError:
                time.sleep(0.1)
        if answered and process.poll() is None:
            break
        process.kill()
        process.wait(timeout=10)
    else:
        pytest.fail("moto server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, monkeypatch, request):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    import boto3
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = "bucket-" + request.node.name.replace("_", "-")[:40].lower()
    client.create_bucket(Bucket=bucket)
    return client, bucket, s3_endpoint


def objects(client, bucket: str, prefix: str = "") -> dict[str, dict]:
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            found[item["Key"]] = item
    return found


@pytest.mark.slow
def test_s3_dry_run_then_deploy_then_nothing_to_send(make_site, s3):
    client, bucket, endpoint = s3
    config = site_with(make_site, f'  production: {{url: "s3://{bucket}/archive/", endpoint: "{endpoint}", region: us-east-1}}\n')

    dry = run_cli("deploy", "--config", config, "--dry-run")
    assert dry.code == 0, dry.err
    assert "the site was not up to date, so it was built first" in dry.out
    total = site_file_count(config)
    assert f"dry run for production: would upload {total}, delete 0, unchanged 0; nothing was changed" in dry.out
    assert "  would upload index.html" in dry.out and "  would upload 2021/05/harbour-reopens/index.html" in dry.out
    assert objects(client, bucket) == {}

    first = run_cli("deploy", "--config", config)
    assert first.code == 0, first.err
    assert f"deployed to production: uploaded {total}, deleted 0, unchanged 0" in first.out
    held = objects(client, bucket, "archive/")
    assert len(held) == total + 1 and "archive/.newsarchive-output" not in held  # the site, and the manifest of what it put there
    manifest = json.loads(client.get_object(Bucket=bucket, Key="archive/.newsarchive-deploy.json")["Body"].read())
    assert manifest["site"] == "https://example.org/news/" and len(manifest["files"]) == total and "index.html" in manifest["files"]
    page = client.get_object(Bucket=bucket, Key="archive/2021/05/harbour-reopens/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == mediatypes.SHORT_CACHE
    assert b"Dock workers are back." in page["Body"].read()
    expected = {"archive/css/site.css": "text/css; charset=utf-8", "archive/feed.xml": "application/atom+xml; charset=utf-8",
                "archive/sitemap.xml": "application/xml; charset=utf-8", "archive/img/roof.svg": "image/svg+xml",
                "archive/robots.txt": "text/plain; charset=utf-8"}
    for key, kind in expected.items():
        assert client.head_object(Bucket=bucket, Key=key)["ContentType"] == kind, key
    assert client.head_object(Bucket=bucket, Key="archive/img/roof.svg")["CacheControl"] == mediatypes.MEDIUM_CACHE

    second = run_cli("deploy", "production", "--config", config)
    assert second.code == 0, second.err
    assert f"deployed to production: uploaded 0, deleted 0, unchanged {total}" in second.out
    assert "built first" not in second.out


@pytest.mark.slow
def test_s3_sends_only_changed_pages_and_deletes_only_with_delete(make_site, s3):
    client, bucket, endpoint = s3
    config = site_with(make_site, f'  production: {{url: "s3://{bucket}/", endpoint: "{endpoint}"}}\n')
    assert run_cli("deploy", "--config", config).code == 0
    article_b = config.parent / "articles/2021/b.md"
    article_b.write_text(article("Strike ends", "2021-06-01", "The strike ended at dawn.", tags="[Port]"), encoding="utf-8")

    changed = run_cli("deploy", "--config", config)
    assert changed.code == 0, changed.err
    uploaded, deleted, unchanged = summary_numbers(changed.out)
    # the pages, feeds and search bundle the edit changed, and the word directory's shards of its new words
    assert 1 <= uploaded < 20 and deleted == 0 and unchanged == site_file_count(config) - uploaded
    assert "  uploaded 2021/06/strike-ends/index.html" in changed.out
    assert b"at dawn" in client.get_object(Bucket=bucket, Key="2021/06/strike-ends/index.html")["Body"].read()

    remove_article(config, "2021/b.md", "strike-ends")
    kept = run_cli("deploy", "--config", config)
    assert kept.code == 0, kept.err
    assert "2021/06/strike-ends/index.html" in objects(client, bucket)
    assert "files on the target are not in the site; kept (deploy --delete removes those an earlier deploy of this site put there)" in kept.out

    dry = run_cli("deploy", "--config", config, "--delete", "--dry-run")
    assert "  would delete 2021/06/strike-ends/index.html" in dry.out
    assert "2021/06/strike-ends/index.html" in objects(client, bucket)
    removed = run_cli("deploy", "--config", config, "--delete")
    assert removed.code == 0, removed.err
    assert "2021/06/strike-ends/index.html" not in objects(client, bucket)
    assert set(objects(client, bucket)) - {".newsarchive-deploy.json"} == {p.relative_to(config.parent / "_site").as_posix()
                                            for p in (config.parent / "_site").rglob("*") if p.is_file() and p.name != ".newsarchive-output"}


def test_s3_missing_bucket_is_a_clear_error(make_site, s3):
    client, bucket, endpoint = s3
    config = site_with(make_site, f'  production: {{url: "s3://no-such-bucket-here/", endpoint: "{endpoint}"}}\n')
    result = run_cli("deploy", "--config", config)
    assert result.code == 1
    assert "deploy to production: the bucket 'no-such-bucket-here' does not exist" in result.err
    assert "Traceback" not in result.err


def test_s3_unreachable_endpoint_is_a_clear_error(make_site, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    config = site_with(make_site, f'  production: {{url: "s3://b/", endpoint: "http://127.0.0.1:{free_port()}"}}\n')
    result = run_cli("deploy", "--config", config)
    assert result.code == 1
    assert "deploy to production: cannot reach the store" in result.err and "check 'endpoint'" in result.err
    assert "Traceback" not in result.err


# --- git (a local bare repository) ------------------------------------------------------------

def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t"}).stdout


def test_git_commits_the_site_as_the_whole_branch_and_never_touches_the_working_branch(make_site, tmp_path, monkeypatch):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    config = site_with(make_site, f'  pages: {{url: "git+file://{remote}", branch: gh-pages}}\n')
    work = config.parent  # the user's own repository, with a branch of its own and uncommitted edits
    git("init", "--quiet", "-b", "main", cwd=work)
    (work / ".gitignore").write_text("_site/\n.cache/\n", encoding="utf-8")
    git("add", ".gitignore", "articles", "config.yaml", cwd=work)
    git("commit", "--quiet", "-m", "articles", cwd=work)
    (work / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-15", "Edited, not committed.", tags="[Port]"), encoding="utf-8")
    git("add", "articles/2021/a.md", cwd=work)
    before = (git("rev-parse", "HEAD", cwd=work), git("status", "--porcelain", cwd=work), git("branch", "--list", cwd=work))
    monkeypatch.chdir(work)

    first = run_cli("deploy", "--config", config)
    assert first.code == 0, first.err
    total = site_file_count(config)
    assert f"deployed to pages: uploaded {total}, deleted 0, unchanged 0" in first.out
    assert "pushed commit" in first.out
    head, status, branches = before  # the build adds its record of published URLs, for the user to commit (links.py)
    assert (git("rev-parse", "HEAD", cwd=work), git("status", "--porcelain", cwd=work), git("branch", "--list", cwd=work)) \
        == (head, status + "?? published-urls.txt\n", branches)
    tip = git("rev-parse", "gh-pages", cwd=remote).strip()
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split("\n")) - {"", ".newsarchive-deploy.json"}
    assert files == {p.relative_to(work / "_site").as_posix() for p in (work / "_site").rglob("*") if p.is_file() and p.name != ".newsarchive-output"}
    assert "Edited, not committed." in git("show", "gh-pages:2021/05/harbour-reopens/index.html", cwd=remote)

    again = run_cli("deploy", "--config", config)
    assert again.code == 0, again.err
    assert f"deployed to pages: uploaded 0, deleted 0, unchanged {total}" in again.out
    assert "no new commit" in again.out
    assert git("rev-parse", "gh-pages", cwd=remote).strip() == tip

    remove_article(config, "2022/c.md", "solar-roofs")
    gone = run_cli("deploy", "--config", config, "--delete")
    assert gone.code == 0, gone.err
    assert git("rev-parse", "gh-pages^", cwd=remote).strip() == tip
    assert "2022/01/solar-roofs/index.html" not in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote)
    assert git("rev-parse", "HEAD", cwd=work) == before[0]


def test_git_unreachable_remote_is_a_clear_error(make_site, tmp_path):
    config = site_with(make_site, f'  pages: {{url: "git+file://{tmp_path}/missing.git"}}\n')
    result = run_cli("deploy", "--config", config)
    assert result.code == 1
    assert "deploy to pages: git ls-remote failed" in result.err and "Traceback" not in result.err


# --- a local folder, and rsync ----------------------------------------------------------------

def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in (".newsarchive-output", ".newsarchive-deploy.json")}


def test_folder_deploy_copies_changed_files_and_deletes_only_with_delete(make_site, tmp_path):
    www = tmp_path / "www" / "archive"
    config = site_with(make_site, f'  mirror: {{url: "{www}"}}\n')
    first = run_cli("deploy", "mirror", "--config", config)
    assert first.code == 0, first.err
    assert tree(www) == tree(config.parent / "_site")
    (www / "old-page.html").write_text("from an earlier site", encoding="utf-8")
    second = run_cli("deploy", "--config", config)
    assert f"deployed to mirror: uploaded 0, deleted 0, unchanged {site_file_count(config)}" in second.out
    assert (www / "old-page.html").is_file()
    (www / "index.html").write_text("damaged by hand", encoding="utf-8")
    refused = run_cli("deploy", "--config", config, "--delete")  # old-page.html was not put there by a deploy of this site
    assert refused.code == 1 and "--delete refused: the target holds 1 file(s) that no earlier deploy of this site put there: old-page.html" in refused.err
    assert (www / "index.html").read_text(encoding="utf-8") == "damaged by hand"  # nothing was sent
    remove_article(config, "2022/c.md", "solar-roofs")
    third = run_cli("deploy", "--config", config, "--delete", "--force")
    assert third.code == 0, third.err
    assert "  uploaded index.html" in third.out and "  deleted 2022/01/solar-roofs/index.html" in third.out
    assert (www / "old-page.html").read_text(encoding="utf-8") == "from an earlier site"
    assert tree(www) == {**tree(config.parent / "_site"), "old-page.html": b"from an earlier site"}


def test_relative_folder_and_git_paths_are_taken_from_the_config_folder(make_site, tmp_path, monkeypatch):
    git("init", "--quiet", "--bare", "pages.git", cwd=tmp_path)
    config = site_with(make_site, '  mirror: {url: "../www"}\n  pages: {url: "../pages.git"}\n')
    monkeypatch.chdir(tmp_path / "site" / "articles")
    assert run_cli("deploy", "--config", config).code == 0
    assert (tmp_path / "www" / "index.html").is_file() and not (tmp_path / "site" / "www").exists()
    result = run_cli("deploy", "pages", "--config", config)
    assert result.code == 0, result.err
    assert "index.html" in git("ls-tree", "--name-only", "gh-pages", cwd=tmp_path / "pages.git")


def test_a_site_built_with_drafts_is_rebuilt_without_them_before_deploying(make_site, tmp_path):
    config = site_with(make_site, f'  mirror: {{url: "{tmp_path / "www"}"}}\n')
    (config.parent / "articles/2022/draft.md").write_text(article("Secret plan", "2022-02-02", "Not yet.", draft="true"), encoding="utf-8")
    assert run_cli("build", "--config", config, "--drafts", "--quiet").code == 0  # as `serve --drafts` leaves it
    assert (config.parent / "_site/2022/02/secret-plan/index.html").is_file()
    result = run_cli("deploy", "--config", config)
    assert result.code == 0, result.err
    assert "the site was not up to date, so it was built first" in result.out
    assert not (tmp_path / "www/2022/02/secret-plan").exists() and b"Secret plan" not in (tmp_path / "www/index.html").read_bytes()


def test_folder_that_holds_the_site_is_refused(make_site, tmp_path):
    config = site_with(make_site, f'  oops: {{url: "{tmp_path}"}}\n')
    result = run_cli("deploy", "--config", config, "--delete")
    assert result.code == 1
    assert "deploy to oops: the folder" in result.err and "holds or lies inside" in result.err
    assert (config.parent / "articles/2021/a.md").is_file()


def test_failed_upload_halfway_is_reported_and_a_second_run_finishes(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(deploy_run, "BACKOFF_SECONDS", 0.01)
    www = tmp_path / "www"
    config = site_with(make_site, f'  mirror: {{url: "{www}"}}\n')
    (www / "feed.xml").mkdir(parents=True)  # a folder where a file must go: every attempt to put feed.xml fails
    (www / "feed.xml" / "keep").write_text("x", encoding="utf-8")
    failed = run_cli("deploy", "--config", config)
    assert failed.code == 1
    total = site_file_count(config)
    assert f"deploy to mirror stopped: uploaded {total - 1} of {total}, deleted 0 of 0; 1 failed: feed.xml:" in failed.err
    assert "not sent: feed.xml" in failed.err and "run deploy again" in failed.err
    assert (www / "index.html").is_file()

    (www / "feed.xml" / "keep").unlink()
    (www / "feed.xml").rmdir()
    finished = run_cli("deploy", "--config", config)
    assert finished.code == 0, finished.err
    assert f"deployed to mirror: uploaded 1, deleted 0, unchanged {total - 1}" in finished.out
    assert tree(www) == tree(config.parent / "_site")


@pytest.mark.skipif(not Path("/usr/bin/rsync").exists(), reason="rsync is not installed")
def test_rsync_target_sends_only_differences(make_site, tmp_path):
    config = site_with(make_site, "  mirror: {url: /unused/}\n")
    assert run_cli("build", "--config", config, "--quiet").code == 0
    destination = tmp_path / "rsynced"
    target = RsyncTarget(TargetSpec("mirror", str(destination)))
    site = "https://example.org/news/"
    planned, _, _, _ = target.sync(config.parent / "_site", dry_run=True, delete=False, site=site)
    assert not destination.exists() and "index.html" in planned
    uploaded, deleted, unchanged, extra = target.sync(config.parent / "_site", dry_run=False, delete=False, site=site)
    assert len(uploaded) == site_file_count(config) and deleted == [] and unchanged == 0 and extra == 0
    assert tree(destination) == tree(config.parent / "_site")
    assert not (destination / ".newsarchive-deploy-tmp").exists()
    (config.parent / "_site/robots.txt").rename(config.parent / "robots.txt")  # as if the site no longer had it
    uploaded, deleted, unchanged, extra = target.sync(config.parent / "_site", dry_run=False, delete=True, site=site)
    assert uploaded == [] and deleted == ["robots.txt"] and unchanged == site_file_count(config) and extra == 1
    assert not (destination / "robots.txt").exists()


# --- configuration and pieces -----------------------------------------------------------------

def test_target_without_url_names_the_config_line(make_site):
    config = make_site(dict(ARTICLES), config="title: X\ndeploy:\n  production: {bucket: x}\n")
    result = run_cli("deploy", "--config", config)
    assert result.code == 1
    assert "config.yaml:2: error: 'deploy' target 'production' needs a url" in result.err


def test_unknown_target_name_lists_the_known_ones(make_site, tmp_path):
    config = site_with(make_site, f'  mirror: {{url: "{tmp_path / "www"}"}}\n')
    result = run_cli("deploy", "staging", "--config", config)
    assert result.code == 1 and "no deploy target named 'staging'" in result.err and "the targets are: mirror" in result.err


def test_deploy_config_does_not_invalidate_the_build_cache(make_site, tmp_path):
    config = site_with(make_site, f'  mirror: {{url: "{tmp_path / "a"}"}}\n')
    assert run_cli("build", "--config", config, "--quiet").code == 0
    config.write_text(config.read_text(encoding="utf-8").replace("/a", "/b"), encoding="utf-8")
    assert "the site is up to date" in run_cli("build", "--config", config).out


@pytest.mark.parametrize("url, kind", [("s3://b/p/", "s3"), ("git+file:///srv/a.git", "git"), ("git@github.com:me/site.git", "git"),
                                       ("me@host:/srv/www/", "rsync"), ("/srv/www/", "folder"), ("www", "folder"),
                                       ("file:///srv/www", "folder")])
def test_target_kind_is_read_off_the_url(url, kind):
    assert target_kind(url) == kind


@pytest.mark.parametrize("path, kind, cache", [
    ("index.html", "text/html; charset=utf-8", mediatypes.SHORT_CACHE),
    ("tags/port/feed.xml", mediatypes.FEED_TYPE, mediatypes.SHORT_CACHE),
    ("sitemap.xml", "application/xml; charset=utf-8", mediatypes.SHORT_CACHE),
    ("css/site.css", "text/css; charset=utf-8", mediatypes.MEDIUM_CACHE),
    ("pagefind/pagefind.js", "text/javascript; charset=utf-8", mediatypes.MEDIUM_CACHE),
    ("pagefind/fragment/en_1a2b3c4d5e.pf_fragment", "application/octet-stream", mediatypes.LONG_CACHE),
    ("pagefind/index/en_9f8e7d6c5b.pf_index", "application/octet-stream", mediatypes.LONG_CACHE),
    ("pagefind/pagefind.en_0123abcd99.pf_meta", "application/octet-stream", mediatypes.LONG_CACHE),
    ("pagefind/wasm.en.pagefind", "application/octet-stream", mediatypes.MEDIUM_CACHE),
    ("pagefind/pagefind-entry.json", "application/json", mediatypes.SHORT_CACHE),
    ("pagefind/words/0b090818dc867ce1bfa1.json", "application/json", mediatypes.LONG_CACHE),  # named by its bytes
    ("pagefind/bundles.json", "application/json", mediatypes.SHORT_CACHE),
    ("app.wasm", "application/wasm", mediatypes.MEDIUM_CACHE),
    ("images/photo.JPG", "image/jpeg", mediatypes.MEDIUM_CACHE),
    ("css/site.3f9a0c1d.css", "text/css; charset=utf-8", mediatypes.LONG_CACHE),
])
def test_content_type_and_cache_control(path, kind, cache):
    assert (mediatypes.content_type(path), mediatypes.cache_control(path)) == (kind, cache)


def test_rsync_itemized_output_is_parsed():
    text = ">f+++++++++ index.html\n.d..t...... tags/\n>f.st...... feed.xml\n*deleting   old/page.html\n*deleting   old/\n.f..t...... same.css\n"
    assert parse_itemized(text) == (["index.html", "feed.xml"], ["old/page.html"])


def test_s3_old_urls_carry_website_redirect_metadata(make_site, s3):
    """S3 website hosting answers a 301 for an object with x-amz-website-redirect-location (links.py)."""
    client, bucket, endpoint = s3
    config = site_with(make_site, f'  production: {{url: "s3://{bucket}/news/", endpoint: "{endpoint}", region: us-east-1}}\n')
    assert run_cli("deploy", "--config", config).code == 0
    article_path = config.parent / "articles/2021/a.md"
    article_path.write_text(article_path.read_text().replace("title: Harbour reopens", "title: Harbour reopens at last"))
    result = run_cli("deploy", "--config", config)
    assert result.code == 0, result.err
    old = client.get_object(Bucket=bucket, Key="news/2021/05/harbour-reopens/index.html")
    assert old["WebsiteRedirectLocation"] == "https://example.org/news/2021/05/harbour-reopens-at-last/"
    new = client.get_object(Bucket=bucket, Key="news/2021/05/harbour-reopens-at-last/index.html")
    assert "WebsiteRedirectLocation" not in new
