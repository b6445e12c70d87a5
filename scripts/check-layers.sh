#!/usr/bin/env bash
# The server's layer invariants (ARCHITECTURE.md, "Invariants of the
# server"), checked from the source: each prints what breaks it, if
# anything, and the script fails when one does.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0

# check NAME COMMAND...: COMMAND prints the offending lines; none is a pass.
check() {
  local name="$1"
  shift
  local found
  found="$("$@" 2>&1)"
  if [ -n "$found" ]; then
    echo "BROKEN: $name"
    echo "$found" | sed 's/^/    /'
    failed=1
  else
    echo "ok: $name"
  fi
}

check "1. domain/ is pure (no HTTP, runtime, SQL, templates, files, sockets, clock, randomness)" \
  git grep -nE 'axum|tokio|rusqlite|askama|std::fs|std::net::Tcp|SystemTime|Instant::now|rand::' -- server/src/domain
check "2a. only store/ speaks SQL" \
  git grep -n 'rusqlite' -- server/src ':!server/src/store'
check "2b. the store knows only domain/" \
  git grep -nE 'crate::(actions|api|pages|state|cache|cli|auth|problem|clock)\b' -- server/src/store
check "3. the faces call actions, never the store (and actions know no face)" \
  bash -c "git grep -nE 'move \|s\| s\.|\bblocking\(|\.store\.' -- server/src/api server/src/pages;
           git grep -nE 'crate::(api|pages|state|cache|cli|problem)\b' -- server/src/actions server/src/domain"
check "4. api/ and pages/ never import each other" \
  bash -c "git grep -nE 'crate::pages\b' -- server/src/api; git grep -nE 'crate::api\b' -- server/src/pages"
check "5. no role decided outside domain/ (the store maps role names; words.rs names them)" \
  git grep -nE '\bRole::[A-Z]' -- server/src ':!server/src/domain' ':!server/src/store' ':!server/src/pages/words.rs'
check "6. only state.rs touches the resolution cache" \
  git grep -nE 'cache\.(touch|touch_all|put)\(' -- server/src ':!server/src/state.rs' ':!server/src/cache.rs'
check "7. one clock: at most two files read the system time" \
  bash -c "n=\$(git grep -lE 'SystemTime::now|OffsetDateTime::now' -- server/src | wc -l); [ \"\$n\" -le 2 ] || git grep -lE 'SystemTime::now|OffsetDateTime::now' -- server/src"
check "8. no source file over 800 lines" \
  bash -c "git ls-files 'server/src/*.rs' | xargs wc -l | awk '\$2 != \"total\" && \$1 > 800'"

exit "$failed"
