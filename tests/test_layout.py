"""The shape of the code holds: imports run one way (cms, then the feature apps, then the network core), and no
migration depends on another app's "__latest__" (which breaks `migrate` once that app adds a migration)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_imports_run_one_way():
    lint_imports = Path(sys.executable).with_name("lint-imports")  # import-linter, a test dependency

    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_migration_depends_on_another_apps_latest():
    latest = re.compile(r"""\(\s*["'][\w.]+["']\s*,\s*["']__latest__["']\s*\)""")

    offenders = [path.name for path in ROOT.glob("*/migrations/*.py") if latest.search(path.read_text())]

    assert offenders == []
