#!/usr/bin/env bash
# scripts/download_notmnist.sh against a local HTTP server on 127.0.0.1 that serves ../shared/data:
# the archive arrives byte for byte; a bad address fails and leaves nothing behind.
#   usage: download_script_test.sh SCRIPT SHARED_DATA_DIR
set -euo pipefail
script=$1
shared=$2
if [ ! -f "$shared/notMNIST_small.tar.gz" ]; then
  echo "FAIL: the real dataset is missing: expected $shared/notMNIST_small.tar.gz" >&2
  exit 1
fi
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the server picks a free port and prints it. The log exists before the server starts:
# the redirection below is opened by the background job, which a busy machine may not have run
# yet when the loop's first sed reads the file (sed then fails, and set -e ends the test).
: >"$work/server.log"
/usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$shared" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: the local HTTP server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

NOTMNIST_URL="http://127.0.0.1:$port/notMNIST_small.tar.gz" bash "$script" "$work/data"
cmp "$shared/notMNIST_small.tar.gz" "$work/data/notMNIST_small.tar.gz"
(cd "$work/data" && sha256sum -c "$shared/notMNIST_small.sha256")

if NOTMNIST_URL="http://127.0.0.1:$port/missing.tar.gz" bash "$script" "$work/bad" 2>"$work/bad.log"; then
  echo "FAIL: a missing file on the server did not fail the download" >&2
  exit 1
fi
if [ -n "$(ls -A "$work/bad")" ]; then
  echo "FAIL: a failed download left files behind: $(ls -A "$work/bad")" >&2
  exit 1
fi
echo "PASS"
