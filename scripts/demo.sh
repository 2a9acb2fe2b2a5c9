#!/usr/bin/env bash
# The demo: copy the example audit repository and run the Lead QA Auditor's main job on the copy.
# "Today" in the example is 2026-11-29, so every command is given --as-of 2026-11-29.
set -euo pipefail
bin="$1"; out="$2"
rm -rf "$out"
mkdir -p "$out"
cp -R examples/demo-repo "$out/repo"
repo="$out/repo"
today=2026-11-29

echo "== qa validate: every file of the example repository"
"$bin/qa" validate --repo "$repo"

echo
echo "== qa due --as-of $today: what is due and overdue, by person"
"$bin/qa" due --repo "$repo" --as-of "$today" --ics "$out/due.ics"

echo
echo "== qa grades: grades by team, August to October 2026"
"$bin/qa" grades --repo "$repo" --from 2026-08 --to 2026-10 --by team

echo
echo "== qa report monthly --month 2026-10"
"$bin/qa" report monthly --repo "$repo" --month 2026-10 --as-of "$today"

echo
echo "== qa report team and quarterly: the six-monthly team review and the quarter for the board"
"$bin/qa" report team --repo "$repo" --team assessment-2 --half 2026-H2 --as-of "$today"
"$bin/qa" report quarterly --repo "$repo" --quarter 2026-Q3 --as-of "$today"

echo
echo "== qa export: tidy tables for analysts"
"$bin/qa" export --repo "$repo" --out "$out/export"

echo
echo "== qa form export --month 2026-10 --eml: Excel forms (and draft e-mails) for the open returns"
"$bin/qa" form export --repo "$repo" --month 2026-10 --eml --as-of "$today" | tail -2

echo
echo "The demo ran on a copy of examples/demo-repo in $repo (the checkout is unchanged)."
echo "Outputs:"
find "$repo/reports" -type f \( -name '*.md' -o -name '*.xlsx' \) | sort | sed 's/^/  /'
echo "  $out/due.ics  (import into Outlook or any calendar)"
echo "  $repo/outbox/  (one Excel form per open return, one draft .eml per auditor)"
