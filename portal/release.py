"""The release a process runs, as a digest, for keys of cached HTML.

A cached fragment must never outlive the code that rendered it: a deploy that changes a view,
a shared include, a widget template or a translation must not serve the previous release's
HTML for the rest of an entry's life. So the digest covers everything that can change what a
page renders: the project's Python packages, its templates (Django and Jinja2), its
translations and its static files (a fragment names them by their content's hash). Read
once per process; the same on every host running the release.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# Top-level folders that are not part of what the web serves.
_NOT_RENDERING = {"tests", "bench", "scripts", "docs", "var", "node_modules"}
_DATA_ROOTS = {"templates", "locale", "static"}


def _rendering_roots(base: Path) -> list[Path]:
    return sorted(
        path
        for path in base.iterdir()
        if path.is_dir()
        and path.name not in _NOT_RENDERING
        and not path.name.startswith(".")
        and ((path / "__init__.py").exists() or path.name in _DATA_ROOTS)
    )


@functools.cache
def release_digest() -> str:
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for root in _rendering_roots(base):
        for path in sorted(root.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
