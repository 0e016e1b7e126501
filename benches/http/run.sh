#!/usr/bin/env bash
# HTTP load bench of the site server (issues #4, #5): requests/s and latency of
#   /_health (a bare axum route in the same binary: the ceiling), /api/method/ping,
#   REST inserts of a ToDo, a filtered list of 20 ToDos out of 100 000, a guest API
#   script, and REST inserts with a Before Save script.
# Needs wrk (Debian: apt-get install wrk). Usage: benches/http/run.sh [--quick]
# Prints one line per measurement; never part of the test command.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/serverscript-target}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

DURATION=10s; ROWS=100000; THREADS=2; CONNS=32
if [ "${1:-}" = "--quick" ]; then DURATION=2s; ROWS=2000; fi

cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/serverscript"
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$((20000 + RANDOM % 20000))
(cd "$WORK" && RUST_LOG=warn exec "$BIN" --site bench serve --bind "127.0.0.1:$PORT" --admin-password bench >"$WORK/out.log" 2>"$WORK/err.log") &
PID=$!
for _ in $(seq 100); do grep -q "Serving site" "$WORK/out.log" 2>/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"

curl -s -c "$WORK/cj" -H 'Content-Type: application/json' -d '{"usr":"Administrator","pwd":"bench"}' "$BASE/api/method/login" >/dev/null
KEYS=$(curl -s -b "$WORK/cj" -X POST -d user=Administrator "$BASE/api/method/frappe.core.doctype.user.user.generate_keys")
KEY=$(echo "$KEYS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["message"]["api_key"])')
SECRET=$(echo "$KEYS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["message"]["api_secret"])')
AUTH="token $KEY:$SECRET"

measure() { # name, wrk args...
  local name=$1; shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$name: ${rps} req/s, p50 ${p50}, p99 ${p99}${non2xx:+, NON-2xx: $non2xx}"
}

measure "bare axum route (/_health)" "$BASE/_health"
measure "ping (/api/method/ping)" "$BASE/api/method/ping"

cat >"$WORK/insert.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$AUTH"
wrk.body = '{"description": "load test", "priority": "High"}'
LUA
measure "REST insert of a ToDo (token auth)" -s "$WORK/insert.lua" "$BASE/api/resource/ToDo"

# fill up to ROWS ToDos, 1 in 1000 of them Closed
python3 - "$BASE" "$AUTH" "$ROWS" <<'PY'
import json, sys, urllib.request
base, auth, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(path, data=None):
    req = urllib.request.Request(base + path, data=data, headers={"Authorization": auth, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
have = call("/api/method/frappe.client.get_count?doctype=ToDo")["message"]
n = have
while n < rows:
    batch = [{"doctype": "ToDo", "description": f"row {n + i}", "status": "Closed" if (n + i) % 1000 == 0 else "Open"} for i in range(min(200, rows - n))]
    call("/api/method/frappe.client.insert_many", json.dumps({"docs": batch}).encode())
    n += len(batch)
print(f"seeded: {n} ToDos")
PY
Q='filters=%7B%22status%22%3A%22Closed%22%7D&fields=%5B%22name%22%2C%22description%22%5D&limit_page_length=20'
cat >"$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "$AUTH"
LUA
measure "list 20 of $ROWS ToDos, filter status=Closed" -s "$WORK/auth.lua" "$BASE/api/resource/ToDo?$Q"

# Server Scripts: a guest API script, and inserts with a Before Save script
(cd "$WORK" && "$BIN" --site bench set-config server_script_enabled true >/dev/null)
# wrk's 32 connections all come from 127.0.0.1, one Guest client to the server, whose
# concurrent script runs are capped at 4 by default: the bench stands for many clients
(cd "$WORK" && "$BIN" --site bench set-config script_concurrency_per_client 1000 >/dev/null)
curl -s -H "Authorization: $AUTH" -H 'Content-Type: application/json' "$BASE/api/resource/Server%20Script" \
  -d '{"name":"hello","script_type":"API","api_method":"hello","allow_guest":1,"script":"frappe.response[\"message\"] = \"hello\""}' >/dev/null
measure "guest API script (/api/method/hello)" "$BASE/api/method/hello"
curl -s -H "Authorization: $AUTH" -H 'Content-Type: application/json' "$BASE/api/resource/Server%20Script" \
  -d '{"name":"close tests","script_type":"DocType Event","reference_doctype":"ToDo","doctype_event":"Before Save","script":"if \"test\" in doc.description:\n    doc.status = \"Closed\""}' >/dev/null
measure "REST insert of a ToDo with a Before Save script" -s "$WORK/insert.lua" "$BASE/api/resource/ToDo"
