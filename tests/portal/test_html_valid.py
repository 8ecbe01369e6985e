"""The Nu HTML Checker (vnu.jar, from npm's vnu-jar pinned in package.json) finds no error
on the main pages, signed out and signed in, evening and morning.

`make test` installs it (`npm ci`); the check needs Java 17 or newer. Every page is rendered
by the test client and the checker runs once over all of them (one JVM start).
"""

import json
import os
import shutil
import subprocess  # nosec B404 - runs the pinned checker on files this test wrote
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from tests.factories import UserFactory
from tests.main_pages import EVENING, MORNING, main_pages_seed

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker() -> list[str]:
    """The command that runs the checker, or a skip (a failure where CI requires it)."""
    java = shutil.which("java")
    reason = None
    if java is None:
        reason = "Java is not installed (apt-get install default-jre-headless)"
    elif not VNU_JAR.exists():
        reason = f"{VNU_JAR} is missing: run `npm ci --ignore-scripts` (make test does)"
    if reason:
        if os.environ.get("REQUIRE_HTML_CHECKER"):
            pytest.fail(f"The Nu HTML Checker cannot run: {reason}")
        pytest.skip(f"The Nu HTML Checker cannot run: {reason}")
    return [java, "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]


def _save(client, path: str, folder: Path, name: str) -> Path:
    response = client.get(path, follow=True)  # /nights/new/ opens last night once logged
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("text/html"), path
    target = folder / f"{name}.html"
    target.write_bytes(response.content)
    return target


@pytest.mark.django_db
def test_main_pages_have_no_html_errors(client, tmp_path):
    command = _checker()
    files: dict[Path, str] = {}
    with time_machine.travel(EVENING, tick=False):
        user = UserFactory(display_name="Sam", time_zone="Europe/London")
        pages = main_pages_seed(user=user, now=EVENING)
        for number, path in enumerate(pages.anonymous):
            files[_save(client, path, tmp_path, f"anonymous-{number:02}")] = path
        client.force_login(user)
        for number, path in enumerate(pages.signed_in):
            files[_save(client, path, tmp_path, f"user-{number:02}")] = path
    with time_machine.travel(MORNING, tick=False):
        files[_save(client, "/tracker/", tmp_path, "user-morning")] = "/tracker/ (morning)"
        assert b'id="morning-heading"' in (tmp_path / "user-morning.html").read_bytes()

    result = subprocess.run(  # noqa: S603 - fixed command, paths this test wrote  # nosec B603
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300, check=False
    )
    report = json.loads(result.stderr)  # vnu writes its JSON report to standard error
    errors: dict[str, list[str]] = {}  # one line per page and message, with its first lines
    for message in report["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        page = files.get(Path(message.get("url", "").removeprefix("file:")), "?")
        key = f"{page}: {message['message']}"
        errors.setdefault(key, []).append(str(message.get("lastLine", "?")))
    lines = [f"{key} (line {', '.join(where[:5])})" for key, where in errors.items()]
    assert len(files) >= 30
    assert lines == [], f"{len(lines)} HTML errors:\n" + "\n".join(lines)
