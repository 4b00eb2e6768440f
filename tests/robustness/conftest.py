"""Fixtures shared by the robustness tests: a private copy of the two-state bundle and a
private copy of a finished two-state run."""

from __future__ import annotations

import shutil

import pytest

from tests.robustness.test_bad_inputs import bundle  # noqa: F401


@pytest.fixture
def finished_run(tmp_path, two_state_run):
    """A private copy of a finished two-state run folder."""
    folder = tmp_path / "finished"
    shutil.copytree(two_state_run.out_dir, folder)
    return folder
