"""The import contracts `make lint` checks: kept today, and broken by an import upwards.

lint-imports reads the source statically (grimp), so a copy of the packages in a temporary
directory is enough to prove a wrong import fails the build without touching the checkout.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "accounts", "articles", "tracker", "reminders", "sharing", "api", "flows")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_every_contract(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "contract"),
    [
        ("accounts/models.py", "import reminders.models", "knows no app above it"),
        ("tracker/services/doses.py", "from flows import onboarding", "Apps depend one way"),
        ("reminders/emails.py", "from articles import selectors", "do not import articles"),
        ("articles/views.py", "import tracker.selectors", "neither imports the other"),
        ("portal/forms.py", "from tracker import services", "knows no app above it"),
    ],
)
def test_an_import_upwards_breaks_the_build(tmp_path, module, wrong_import, contract):
    project = _copy(tmp_path)
    path = project / module
    path.write_text(path.read_text() + f"\n{wrong_import}  # the mistake under test\n")
    result = _lint(project)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
