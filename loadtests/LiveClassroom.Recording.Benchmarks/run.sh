#!/usr/bin/env bash
# Class end → playable in the library for a synthetic recording (default 45 minutes).
# Usage: bash loadtests/LiveClassroom.Recording.Benchmarks/run.sh [minutes]
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
ensure_packages postgresql ffmpeg
PG_DIR="$DATA_ROOT/pg-bench"
PG_FSYNC=off pg_up "$PG_DIR" "${LIVECLASSROOM_BENCH_PG_PORT:-54349}"
trap 'pg_down "$PG_DIR"; rm -rf "$PG_DIR" "$DATA_ROOT/pg-bench.password" "$DATA_ROOT/pg-bench.initdb.log"' EXIT
export LIVECLASSROOM_BENCH_PG="$PG_ADMIN_URL"
dotnet run -c Release --project "$REPO_ROOT/loadtests/LiveClassroom.Recording.Benchmarks" -- "${1:-45}"
