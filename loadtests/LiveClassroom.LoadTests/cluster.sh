#!/usr/bin/env bash
# Two server processes as one Orleans cluster on a private PostgreSQL: grain call latency, event fan-out to N hub
# connections, a hub soak at a class's event rate, failover after kill -9 and SIGSTOP (docs/BENCHMARKS-CLUSTER.md). A
# benchmark, not a test: it prints figures.
# Usage: bash loadtests/LiveClassroom.LoadTests/cluster.sh [--connections 500] [--calls 2000] [--messages 100]
#          [--classes 1] [--soak-seconds 60] [--event-interval-ms 1000] [--failover 1]
# The hub at scale (docs/BENCHMARKS-CLUSTER.md, "Hub at scale"): --connections 1000 --classes 2 --soak-seconds 60 --failover 0 (600 for the
# 10-minute soak).
# One class across three nodes (cascade; docs/BENCHMARKS-CASCADE.md): bash cluster.sh cascade [--classrooms 600] [--capacity n]
#          [--seconds 20] [--layers 50,30] [--join-seconds 600] [--join-parallel 6] [--kill edge|directory|origin] [--receive poller|threads]
# LIVECLASSROOM_BENCH_PG_PORT: the first port to try for the private PostgreSQL (default 54351).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
ensure_packages postgresql
PG_DIR="$DATA_ROOT/pg-bench-cluster"
pg_up "$PG_DIR" "${LIVECLASSROOM_BENCH_PG_PORT:-54351}"
trap 'pg_down "$PG_DIR"; rm -rf "$PG_DIR" "$DATA_ROOT/pg-bench-cluster.password" "$DATA_ROOT/pg-bench-cluster.initdb.log"' EXIT
export LIVECLASSROOM_BENCH_PG="$PG_ADMIN_URL"
say "Building the server (Release)"
dotnet build -c Release -v q --nologo "$REPO_ROOT/src/LiveClassroom.Server/LiveClassroom.Server.csproj" >/dev/null
if [ "${1:-}" = "cascade" ]; then
  dotnet run -c Release --project "$REPO_ROOT/loadtests/LiveClassroom.LoadTests" -- "$@"
else
  dotnet run -c Release --project "$REPO_ROOT/loadtests/LiveClassroom.LoadTests" -- cluster "$@"
fi
