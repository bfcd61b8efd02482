#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL cluster (created for this run, removed after),
# real headless Chromium and real ffmpeg. Extra arguments go to `dotnet test` (e.g. --filter …).
# Ends with one line "N passed, N failed, N skipped" and exits non-zero if anything failed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages postgresql ffmpeg chromium docker-compose iproute2 nftables coturn procps fonts-noto-cjk
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

RUN_ID="$(date +%Y%m%d-%H%M%S)-$$"
# One cluster per run, so two runs in one checkout never stop each other's database.
PG_DIR="$DATA_ROOT/pg-test-$RUN_ID"
RESULTS="$REPO_ROOT/artifacts/test-results/$RUN_ID"
mkdir -p "$RESULTS"

# Throwaway: fsync off, wiped at the end of the run.
PG_FSYNC=off pg_up "$PG_DIR" "${LIVECLASSROOM_TEST_PG_PORT:-54339}"
cleanup() { pg_down "$PG_DIR"; rm -rf "$PG_DIR" "$PG_DIR.password" "$PG_DIR.initdb.log"; }
trap cleanup EXIT
export LIVECLASSROOM_TEST_PG="$PG_ADMIN_URL"
# Every server a test starts (in-process or child process) gets an ephemeral SFU port on loopback,
# so test classes running side by side never fight over the default UDP port. The socket stays bound to 0.0.0.0 as
# in production; the transport answers each advertised address from that address.
export Media__UdpPort=0 Media__PublicAddresses=127.0.0.1
# Likewise the Orleans silo of every server a test starts: free silo and gateway ports (a server started for a
# two-node test joins its partner through the shared database, not through fixed ports).
export Cluster__SiloPort=0 Cluster__GatewayPort=0

build_web
# The page's unit tests (Node's test runner on compiled TypeScript, src/LiveClassroom.Web/test): counted with the rest.
say "Testing the web front end"
set +e
(cd "$REPO_ROOT/src/LiveClassroom.Web" && npm run --silent test) > "$RESULTS/web.log" 2>&1
web_rc=$?
set -e
web_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$RESULTS/web.log" | tail -n 1)
web_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$RESULTS/web.log" | tail -n 1)
web_passed=${web_passed:-0}; web_failed=${web_failed:-0}
if [ "$web_rc" -ne 0 ]; then
  grep -E '^not ok|error' "$RESULTS/web.log" | head -n 20 >&2 || true
  [ "$web_failed" -gt 0 ] || web_failed=1
fi
echo "web front end: $web_passed passed, $web_failed failed"
say "Building"
dotnet build "$REPO_ROOT/LiveClassroom.sln" -c Release -v quiet -nologo -clp:ErrorsOnly

say "Testing"
# Benchmarks that happen to drive the product through the test harness (trait Category=Benchmark, e.g. the rural-link
# figures) print figures and are run on purpose with a --filter of their own, never as part of the suite.
selection=(--filter "Category!=Benchmark")
for arg in "$@"; do
  case "$arg" in --filter|--filter=*) selection=() ;; esac
done
set +e
dotnet test "$REPO_ROOT/LiveClassroom.sln" -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "${selection[@]}" "$@" 2>&1 | tee "$RESULTS/console.log"
rc=${PIPESTATUS[0]}
set -e

passed=$web_passed; failed=$web_failed; skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# Name every failed test and the first lines of its message just above the summary, so a log cut to its tail still
# says what failed.
if [ "$failed" -gt 0 ]; then
  python3 - "$RESULTS" <<'PY' || true
import glob, re, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for r in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") not in ("Passed", "NotExecuted"):
            message = r.findtext(".//t:Message", default="", namespaces=ns).strip().splitlines()
            print("FAILED " + r.get("testName") + " [" + r.get("duration", "") + "]")
            for line in message[:6]:
                print("    " + line[:300])
PY
fi
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited $rc without a failed test (a build error or a crashed test host); counting it as a failure" >&2
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
