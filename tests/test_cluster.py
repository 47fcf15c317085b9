"""Building on a Dask cluster (a real distributed.LocalCluster on 127.0.0.1, two worker
processes): the same bytes as the local pool, the same problems reported, and a worker
killed mid-build changes nothing."""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, article, run_cli, tree_digest

pytestmark = pytest.mark.slow  # a local Dask cluster starts for the module
distributed = pytest.importorskip("distributed", reason="the 'dask' extra is installed by make test")
sys.path.insert(0, str(REPO / "bench"))
from corpus import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as local:
        yield local


def _two_copies(tmp_path: Path, copy) -> tuple[Path, Path]:
    configs = []
    for name in ("local", "cluster"):
        copy(tmp_path / name)
        configs.append(tmp_path / name / "config.yaml")
    return configs[0], configs[1]


def _without_seconds(text: str) -> str:
    return re.sub(r"\d+\.\d+ s", "N s", text)


def _copy_sample(target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copy(REPO / "config.yaml", target / "config.yaml")
    shutil.copytree(REPO / "articles", target / "articles")


def _copy_newsroom(target: Path) -> None:
    shutil.copytree(REPO / "tests" / "fixtures" / "newsroom", target)


@pytest.mark.parametrize("copy", [_copy_sample, _copy_newsroom], ids=["sample", "newsroom"])
def test_fixture_archives_build_byte_identically_on_the_cluster_and_locally(cluster, tmp_path, copy):
    local, remote = _two_copies(tmp_path, copy)
    built_local = run_cli("build", "--config", local, "--quiet", "--jobs", "2")
    built_remote = run_cli("build", "--config", remote, "--quiet", "--scheduler", cluster.scheduler_address)
    assert built_local.code == built_remote.code == 0, built_remote.err
    assert _without_seconds(built_remote.out) == _without_seconds(built_local.out)
    pages = tree_digest(local.parent / "_site")
    assert len(pages) > 40
    assert tree_digest(remote.parent / "_site") == pages

    # A one-article edit, rebuilt from the cache the cluster build left: the same bytes again.
    for config in (local, remote):
        edited = next(iter(sorted((config.parent / "articles").rglob("*.md"))))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    again_local = run_cli("build", "--config", local, "--jobs", "2")
    again_remote = run_cli("build", "--config", remote, "--scheduler", cluster.scheduler_address)
    assert again_local.code == again_remote.code == 0
    assert "wrote" in again_remote.out and "unchanged" in again_remote.out
    assert tree_digest(remote.parent / "_site") == tree_digest(local.parent / "_site") != pages


def test_bad_articles_and_a_failing_template_are_reported_as_locally(cluster, make_site):
    files = {
        "articles/2021/good.md": article("Good article", tags="[A]"),
        "articles/2021/bad.md": "---\ntitle: X\ndate: 15/05/2021\n---\nbody\n",
    }
    local_result = run_cli("build", "--config", make_site(files, name="local"), "--jobs", "2")
    remote_result = run_cli("build", "--config", make_site(files, name="cluster"), "--scheduler", cluster.scheduler_address)
    assert local_result.code == remote_result.code == 1
    assert "bad.md:3: error: 'date' is not a date: '15/05/2021'" in remote_result.err
    assert _without_seconds(remote_result.err) == _without_seconds(local_result.err)

    # A template that fails while a worker renders: the same file and line named.
    template = "{% extends 'base.html' %}{% block main %}\n{{ article.no_such_field }}\n{% endblock %}\n"
    results = []
    for name in ("tlocal", "tcluster"):
        config = make_site({"articles/2021/good.md": article("Good article"), "templates/article.html": template}, name=name)
        extra = ["--jobs", "2"] if name == "tlocal" else ["--scheduler", cluster.scheduler_address]
        results.append(run_cli("build", "--config", config, *extra))
    for result, name in zip(results, ("tlocal", "tcluster")):
        assert result.code == 1
        assert f"{name}/templates/article.html:2: error: template error while rendering /2021/05/good-article/" in result.err
        assert "Traceback" not in result.err
    assert _without_seconds(results[1].err).replace("tcluster", "tlocal") == _without_seconds(results[0].err)


def test_a_worker_killed_mid_build_changes_nothing(cluster, tmp_path):
    for name in ("local", "cluster"):
        write_corpus(240, tmp_path / name, seed=13)
        (tmp_path / name / "config.yaml").write_text("title: Corpus\nbase_url: https://example.org/\n", encoding="utf-8")
    assert run_cli("build", "--config", tmp_path / "local" / "config.yaml", "--quiet", "--jobs", "2").code == 0

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        outcome = {}
        build = threading.Thread(target=lambda: outcome.update(result=run_cli(
            "build", "--config", tmp_path / "cluster" / "config.yaml", "--quiet", "--scheduler", cluster.scheduler_address)))
        build.start()
        killed_with = None
        deadline = time.monotonic() + 60
        while killed_with is None and build.is_alive() and time.monotonic() < deadline:
            for address, worker in list(cluster.scheduler.workers.items()):
                busy = [str(task.key) for task in list(worker.processing)]
                if any("render_chunk_remotely" in key for key in busy) and address in pids:
                    os.kill(pids[address], signal.SIGKILL)
                    killed_with = busy
                    break
            time.sleep(0.01)
        build.join(120)
        client.wait_for_workers(2, timeout=60)
    assert killed_with, "no worker was rendering while the build ran"
    result = outcome["result"]
    assert result.code == 0, result.err
    assert tree_digest(tmp_path / "cluster" / "_site") == tree_digest(tmp_path / "local" / "_site")


def test_an_unreachable_scheduler_is_named_not_a_traceback():
    from newsarchive.errors import BuildError
    from newsarchive.executors import DaskCluster

    executor = DaskCluster("tcp://127.0.0.1:9", timeout=2)
    with pytest.raises(BuildError) as info:
        list(executor.map_chunks(len, [[1]], None))
    problem = info.value.problems[0]
    assert problem.message.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "dask scheduler" in problem.hint
