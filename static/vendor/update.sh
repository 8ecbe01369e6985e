#!/usr/bin/env bash
# Re-vendors the front-end libraries from the npm registry (no CDN at run time).
# Usage: bash static/vendor/update.sh, then commit the result and update VERSIONS.md.
# The versions are pinned here and listed in static/vendor/VERSIONS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fetch() { npm pack --silent "$1" >/dev/null && mkdir -p "$2" && tar xzf ./*.tgz -C "$2" && rm ./*.tgz; }
fetch bootstrap@5.3.8 bootstrap
fetch axe-core@4.14.1 axe
# Source-map comments point at files we do not ship; the manifest storage would reject them.
strip_map() { sed -i '/sourceMappingURL=/d' "$1"; }
mkdir -p "$here/bootstrap" "$root/tests/e2e/vendor"
cp bootstrap/package/dist/css/bootstrap.min.css "$here/bootstrap/"
cp bootstrap/package/LICENSE "$here/bootstrap/LICENSE"

for f in "$here"/bootstrap/*.min.*; do strip_map "$f"; done
# axe-core is a test tool: vendored beside the browser tests, never served to users.
cp axe/package/axe.min.js axe/package/LICENSE "$root/tests/e2e/vendor/"
