"""files.py: reading what a spec pulls in, safely, with one clear refusal per problem."""

from __future__ import annotations

import os

import pytest

from specc.files import Unreadable, project_root_of, read_capped


def test_read_capped_reads_a_file_and_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    assert read_capped(path, 100) == b"x" * 10
    with pytest.raises(Unreadable) as refused:
        read_capped(path, 5)
    assert refused.value.kind == "too-big" and refused.value.size == 10


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_read_capped_names_why(tmp_path, kind):
    target = tmp_path / "x"
    if kind == "directory":
        target.mkdir()
    with pytest.raises(Unreadable) as refused:
        read_capped(target, 100)
    assert refused.value.kind == kind


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_read_capped_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(Unreadable) as refused:
        read_capped(tmp_path / "pipe", 100)  # a blocking open would hang here
    assert refused.value.kind == "special"


def test_project_root_is_the_nearest_folder_with_pyproject_or_git(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert project_root_of(str(deep)) == os.path.realpath(tmp_path)
    (tmp_path / "a" / ".git").mkdir()
    assert project_root_of(str(deep)) == os.path.realpath(tmp_path / "a")
