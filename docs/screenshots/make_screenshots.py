"""Screenshots of the installable app at phone size (390 × 844), saved in this folder.

    .venv/bin/python docs/screenshots/make_screenshots.py

Runs the Chromium tests that show them (tests/e2e/test_pwa_journey.py) with PWA_SCREENSHOTS
pointing here, so a screenshot is only ever taken of a state the tests have just checked:

- install-bar.png: "Add Restwell to your home screen", on the third visit;
- install-hint-iphone.png: the one-line hint iOS Safari gets instead;
- offline-banner.png: the dashboard opened with no connection, from the service worker.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
JOURNEY = "tests/e2e/test_pwa_journey.py"
TESTS = (
    "test_install_bar_waits_for_the_third_visit_and_goes_for_good",
    "test_iphone_gets_a_one_line_hint_under_the_same_rule",
    "test_dashboard_and_forms_open_offline_with_the_banner",
)


def main() -> int:
    env = {**os.environ, "PWA_SCREENSHOTS": str(HERE), "REQUIRE_BROWSER": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [f"{JOURNEY}::{name}" for name in TESTS]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
