#!/usr/bin/env bash
# The fuzz smoke `.ci/run` runs: each target builds, replays its whole seed corpus and
# tries a fixed number of new inputs with a fixed seed (the same inputs every run; a few minutes together). Needs nightly and
# cargo-fuzz (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
# its own build cache outside the clone (nightly, sanitizer flags: nothing to share)
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/serverscript-fuzz-target}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# runs per target (the corpus replay included): `check` takes ~1 ms an input, `compile_run`
# ~20 ms (each input is compiled to machine code under the sanitizer)
for spec in "check:${FUZZ_SMOKE_CHECK_RUNS:-30000}" "compile_run:${FUZZ_SMOKE_RUN_RUNS:-2500}"; do
  target=${spec%%:*} RUNS=${spec#*:}
  # -runs counts the corpus replay too; the seed corpus is read-only here (a copy), so
  # the smoke never changes the committed files
  work=$(mktemp -d)
  cp -r "fuzz/corpus/$target/." "$work/corpus"
  status=0
  cargo +nightly fuzz run "$target" "$work/corpus" -- \
    -runs="$RUNS" -seed=1 -max_len=65536 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    >"$work/log" 2>&1 || status=$?
  grep -E '^Done|stat::number_of_executed_units|ERROR|panicked|SUMMARY' "$work/log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/log" >&2
    rm -rf "$work"
    echo "fuzz smoke: $target failed (see above; artifacts in fuzz/artifacts/$target)" >&2
    exit 1
  fi
  rm -rf "$work"
done
