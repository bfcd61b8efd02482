#!/usr/bin/env bash
# Runs LiveClassroom: server + web UI. Uses $LIVECLASSROOM_DB when set, otherwise a private
# PostgreSQL cluster in .data/pg that this script creates and starts, and stops on exit only if it started it and no
# other node is connected to it (README: "A second node"). Serves HTTP and HTTPS (camera and
# microphone need a secure context): with a certificate of its own in .data/tls unless Kestrel__Certificates__Default__Path is set.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HTTP_PORT="${LIVECLASSROOM_HTTP_PORT:-5080}"
HTTPS_PORT="${LIVECLASSROOM_HTTPS_PORT:-5443}"
PG_DIR="$DATA_ROOT/pg"

ensure_packages postgresql ffmpeg openssl
if [ -z "${LIVECLASSROOM_DB:-}" ]; then
  pg_up "$PG_DIR" "${LIVECLASSROOM_PG_PORT:-54329}"
  trap 'pg_release "$PG_DIR"' EXIT
  psql_admin "SELECT 1" >/dev/null
  if ! psql_admin "SELECT 1 FROM pg_database WHERE datname = 'liveclassroom'" | grep -q 1; then
    psql_admin "CREATE DATABASE liveclassroom"
  fi
  export LIVECLASSROOM_DB="${PG_ADMIN_URL/Database=postgres/Database=liveclassroom}"
fi

build_web
say "Building the server"
dotnet build "$REPO_ROOT/src/LiveClassroom.Server" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null \
  || dotnet build "$REPO_ROOT/src/LiveClassroom.Server" -c Release -v quiet -nologo -clp:ErrorsOnly

export LIVECLASSROOM_URLS="${LIVECLASSROOM_URLS:-http://0.0.0.0:$HTTP_PORT;https://0.0.0.0:$HTTPS_PORT}"
if [ -z "${Kestrel__Certificates__Default__Path:-}" ] && [[ "$LIVECLASSROOM_URLS" == *https://* ]]; then
  tls_up "$DATA_ROOT/tls"
  export Kestrel__Certificates__Default__Path="$TLS_CERT" Kestrel__Certificates__Default__KeyPath="$TLS_KEY"
  host_ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  say "Projector PCs: open https://${host_ip:-<this server>}:$HTTPS_PORT/projector (camera and microphone need HTTPS)."
  say "Trust this server's certificate authority once on each projector PC: copy ${TLS_CA#"$REPO_ROOT"/} there and import it"
  say "  Windows: certutil -addstore -f Root liveclassroom-ca.crt    Debian/Ubuntu Chromium: certutil -d sql:\$HOME/.pki/nssdb -A -t C,, -n LiveClassroom -i liveclassroom-ca.crt"
  say "  (README: Projector PC). Keep .data/tls/ca.key secret: whoever holds it can impersonate any site to those PCs."
fi
export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"
export Logging__Console__FormatterOptions__TimestampFormat="${Logging__Console__FormatterOptions__TimestampFormat:-HH:mm:ss }"
say "LiveClassroom is starting — open http://localhost:$HTTP_PORT (Ctrl+C stops it)"
cd "$REPO_ROOT/src/LiveClassroom.Server"
set +e
dotnet bin/Release/net10.0/LiveClassroom.Server.dll "$@"
rc=$?
exit $rc
