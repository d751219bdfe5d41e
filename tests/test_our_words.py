"""The knowledge base paraphrases its sources: no project file may copy an essay's sentences."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, SEEDS

CHECKER = SEEDS.parent / "tools" / "verbatim_check.py"


@pytest.mark.skipif(not CHECKER.exists() or not SEEDS.is_dir(), reason="../shared/ (seeds and checker) absent")
def test_no_file_copies_the_essays() -> None:
    paths = [p for p in ("content", "tests", "templates", "README.md", "CONTRIBUTING.md", "site.yaml", "src")
             if (REPO / p).exists()]
    result = subprocess.run([sys.executable, str(CHECKER), *paths], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.strip().endswith("0 copied run(s) of 10+ words")
