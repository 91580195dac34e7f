"""Output paths from ids stay inside their folder; files are replaced whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scorecard.outputs import (
    UnsafeIdError,
    atomic_target,
    id_problem,
    output_path,
    remove_stale_parts,
    write_text_atomic,
)


@pytest.mark.parametrize("unit_id, problem", [
    ("../../escape", "id contains a path separator (/ or \\)"),
    ("/tmp/abs", "id contains a path separator (/ or \\)"),
    ("a\\b", "id contains a path separator (/ or \\)"),
    ("..", "id contains '..'"),
    ("x..y", "id contains '..'"),
    (".hidden", "id starts with a dot"),
    ("x\x00y", "id contains a control character"),
    ("x\ny", "id contains a control character"),
    ("x\u202ey", "id contains a control character"),  # right-to-left override
    ("", "id is empty"),
    ("x" * 65, "id longer than 64 characters"),
])
def test_unsafe_ids_are_refused(tmp_path, unit_id, problem):
    assert id_problem(unit_id) == problem
    with pytest.raises(UnsafeIdError, match="unsafe id"):
        output_path(tmp_path, unit_id, ".html")


@pytest.mark.parametrize("unit_id", ["DEMO-C1", "javascript:alert(1)", "Xã Tân Sơn", "x" * 64,
                                     "<img src=x>", "=1+1", "a b"])
def test_safe_ids_name_a_file_directly_inside(tmp_path, unit_id):
    path = output_path(tmp_path, unit_id, ".html")
    assert path == tmp_path / f"{unit_id}.html" and path.resolve().parent == tmp_path.resolve()
    assert not path.exists()  # creates nothing


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "X.html").symlink_to(outside / "X.html")
    with pytest.raises(UnsafeIdError, match="would leave"):
        output_path(folder, "X", ".html")


def test_atomic_target_replaces_whole_or_not_at_all(tmp_path):
    dest = tmp_path / "manifest.json"
    write_text_atomic(dest, '{"v": 1}')
    with pytest.raises(RuntimeError), atomic_target(dest) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(f".manifest.json.{os.getpid()}.")
        tmp.write_text('{"v": 2, "trunc')
        raise RuntimeError("killed half-way")
    assert json.loads(dest.read_text()) == {"v": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]  # no leftovers
    write_text_atomic(dest, '{"v": 3}')
    assert json.loads(dest.read_text()) == {"v": 3}


def test_remove_stale_parts_only_of_dead_writers(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".index.html.{dead_pid}.k2j3h4.part"
    live = tmp_path / f".summary.xlsx.{os.getpid()}.a8b9c0.part"
    other = tmp_path / ".keep.part"
    for p in (stale, live, other):
        p.write_text("x")
    assert remove_stale_parts(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale_parts(tmp_path / "missing") == []


def test_render_plan_jobs_refuse_unsafe_and_reserved_ids(tmp_path):
    from scorecard.render import unsafe_units

    refused = unsafe_units(["DEMO-A", "../x", "/tmp/abs", "index", "javascript:alert(1)"],
                           tmp_path)
    assert sorted(refused) == ["../x", "/tmp/abs", "index"]
    assert refused["../x"] == ("UnsafeIdError: unit id '../x' cannot be a file name (id "
                               "contains a path separator (/ or \\)); no report written for it: "
                               "correct the id in the source data and load it again")
    assert "would replace the period's index.html" in refused["index"]
