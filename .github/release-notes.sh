#!/usr/bin/env bash
# The CHANGELOG's section of one version, for its GitHub release: the lines between its heading
# (`## [0.2.0] - 2026-12-04`) and the next version's, without the link definitions. Fails, printing
# one line, when CHANGELOG.md has no such section or it is empty.
set -euo pipefail
version="${1:?usage: release-notes.sh <version, e.g. 0.2.0>}"
changelog="$(dirname "$0")/../CHANGELOG.md"
notes=$(awk -v heading="## [$version]" '
  index($0, heading) == 1 { found = 1; next }
  found && /^## \[/ { exit }
  found && !/^\[[^]]+\]: / { print }
' "$changelog")
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "release-notes: CHANGELOG.md has no section for $version" >&2
  exit 1
fi
printf '%s\n' "$notes"
