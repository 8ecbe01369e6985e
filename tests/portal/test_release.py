"""The release digest (portal/release.py) that keys cached HTML: it must change with anything
that changes what a page renders, shared includes and translations included."""

from pathlib import Path

import pytest
from django.conf import settings

from portal import release


def _digest_of(base: Path) -> str:
    release.release_digest.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "BASE_DIR", base)
            return release.release_digest()
    finally:
        release.release_digest.cache_clear()


@pytest.fixture
def project(tmp_path):
    for name, content in {
        "tracker/__init__.py": "",
        "tracker/views.py": "x = 1\n",
        "templates/includes/footer.html": "<footer>",
        "portal/jinja2/forms/field.html": "{{ field }}",
        "locale/fr/LC_MESSAGES/django.mo": "bonjour",
        "tests/test_a.py": "assert True\n",
        "static/app.js": "1",
        "bench/load.py": "",
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    (tmp_path / "portal/__init__.py").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    "changed",
    [
        "tracker/views.py",
        "templates/includes/footer.html",
        "portal/jinja2/forms/field.html",
        "locale/fr/LC_MESSAGES/django.mo",
        "static/app.js",
    ],
)
def test_a_change_to_what_renders_is_a_new_release(project, changed):
    before = _digest_of(project)
    (project / changed).write_text("changed")
    assert _digest_of(project) != before


@pytest.mark.parametrize("changed", ["tests/test_a.py", "bench/load.py"])
def test_tests_and_benches_are_not_part_of_it(project, changed):
    before = _digest_of(project)
    (project / changed).write_text("changed")
    assert _digest_of(project) == before


def test_the_real_project_has_a_digest_read_once_per_process():
    assert release.release_digest() is release.release_digest()
    assert len(release.release_digest()) == 16
