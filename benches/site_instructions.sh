#!/usr/bin/env bash
# Instructions per host call of the site bench (benches/site.rs), counted by callgrind:
# repeatable on a noisy machine, where the bench's times vary by 20 % between runs.
#
#   benches/site_instructions.sh            # the host's get_doc of 50 child rows
#   benches/site_instructions.sh get_list   # the host's get_list (get_value's query)
#
# Builds the bench in release, runs its host-call benchmark under callgrind with
# collection switched on only inside `SiteHost::<method>`, and prints the instructions
# counted, the calls made and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
method="${1:-get_doc}"
case "$method" in
  get_doc) filter="host get_doc" ;;
  get_list) filter="host get_list" ;;
  *) echo "usage: $0 [get_doc|get_list]" >&2; exit 2 ;;
esac
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/serverscript-target}"
bin=$(cargo bench -p serverscript-benches --bench site --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "site" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp)
trap 'rm -f "$out"' EXIT
(cd benches && valgrind --tool=callgrind --callgrind-out-file="$out" \
  "--toggle-collect=*SiteHost*as*Host*>::$method" \
  "$bin" --bench "$filter" --warm-up-time 1 --measurement-time 3 --sample-size 10 >/dev/null 2>&1)
python3 - "$out" "$method" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
total = int(re.search(r"^(?:summary|totals): (\d+)", text, re.M).group(1))
names = {m.group(1): m.group(2) for m in re.finditer(r"^c?fn=\((\d+)\) (.+)$", text, re.M)}
lines = text.split("\n")
calls = 0
for i, line in enumerate(lines):
    m = re.match(r"cfn=\((\d+)\)", line)
    name = names.get(m.group(1), "") if m else ""
    if "SiteHost" in name and name.endswith(">::" + sys.argv[2]):
        calls += int(re.match(r"calls=(\d+)", lines[i + 1]).group(1))
if not calls:
    sys.exit("no calls of SiteHost::" + sys.argv[2] + " were counted")
print(f"SiteHost::{sys.argv[2]}: {total} instructions in {calls} calls = {total / calls:,.0f} per call")
EOF
