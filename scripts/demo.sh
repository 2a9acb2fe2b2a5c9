#!/usr/bin/env bash
# The demo: copy the example audit repository and run the Lead QA Auditor's main job on the copy.
set -euo pipefail
bin="$1"; out="$2"
rm -rf "$out"
mkdir -p "$out"
cp -R examples/demo-repo "$out/repo"
repo="$out/repo"
echo "== qa validate (every file of the example repository)"
"$bin/qa" validate --repo "$repo"
if "$bin/qa" --help | grep -q " due "; then
  echo
  echo "== qa due --as-of 2026-11-29 (what is due and overdue)"
  "$bin/qa" due --repo "$repo" --as-of 2026-11-29 || true
fi
if "$bin/qa" --help | grep -q " report "; then
  echo
  echo "== qa report monthly --month 2026-10"
  "$bin/qa" report monthly --repo "$repo" --month 2026-10 --as-of 2026-11-29
fi
echo
echo "The demo ran on a copy: $repo"
if [ -d "$repo/reports" ]; then
  find "$repo/reports" -type f \( -name '*.md' -o -name '*.xlsx' \) | sort | sed 's/^/  output: /'
fi
