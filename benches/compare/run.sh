#!/usr/bin/env bash
# Side-by-side benchmark of W1–W5: serverscript vs CPython, RestrictedPython (Frappe-like
# guards) and hand-written Rust, in one run on this machine (issue #7).
#   benches/compare/run.sh            full run, table printed
#   benches/compare/run.sh --record   … and appended to benches/RESULTS.md
#   benches/compare/run.sh --quick    smoke run (CI): few calls, results still checked
# Installs RestrictedPython into benches/compare/.venv (from PyPI) on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/serverscript-target}"

cargo build --release --quiet -p serverscript --bin serverscript -p serverscript-benches --bin native-workloads

venv=benches/compare/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import RestrictedPython" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet restrictedpython || echo "warning: RestrictedPython could not be installed; its columns stay empty" >&2
fi

exec python3 benches/compare/compare.py --python "$venv/bin/python" --bin "$CARGO_TARGET_DIR/release" "$@"
