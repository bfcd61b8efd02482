# Shared helpers for scripts/run.sh and scripts/test.sh. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_ROOT="$REPO_ROOT/.data"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'liveclassroom: %s\n' "$*" >&2; exit 1; }

# ensure_packages PKG... : apt-get install what is missing (one apt-get update, only when needed).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (install them, or run this script as root)"
  say "Installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  echo "$d"
}

# Runs a PostgreSQL tool as the cluster owner: initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pg_up DIR BASE_PORT : a private cluster in DIR (initdb on first use), started on a free port.
# Sets PG_ADMIN_URL (maintenance database), PG_PORT, and PG_STARTED_HERE (1 when this call started it, 0 when it
# was already running: another node's run.sh or an operator started it, and it is not ours to stop).
pg_up() {
  local dir="$1" port="$2" bin
  bin=$(pg_bin)
  mkdir -p "$DATA_ROOT"
  if [ ! -f "$dir/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in ${dir#"$REPO_ROOT"/}"
    rm -rf "$dir"; mkdir -p "$dir"
    local pw; pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
    printf '%s' "$pw" > "$DATA_ROOT/$(basename "$dir").password"; chmod 600 "$DATA_ROOT/$(basename "$dir").password"
    local pwfile; pwfile=$(mktemp); printf '%s\n' "$pw" > "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir" "$pwfile"; fi
    chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir" -U liveclassroom --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DATA_ROOT/$(basename "$dir").initdb.log" 2>&1 \
      || { rm -f "$pwfile"; die "initdb failed; see .data/$(basename "$dir").initdb.log"; }
    rm -f "$pwfile"
  fi
  if as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    PG_PORT=$(cat "$dir/.port")
    PG_STARTED_HERE=0
  else
    while ! port_free "$port"; do port=$((port + 1)); done
    echo "$port" > "$dir/.port"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir/.port"
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
      || die "PostgreSQL did not start; see ${dir#"$REPO_ROOT"/}/server.log"
    PG_PORT=$port
    PG_STARTED_HERE=1
  fi
  PG_PASSWORD=$(cat "$DATA_ROOT/$(basename "$dir").password")
  PG_ADMIN_URL="Host=127.0.0.1;Port=$PG_PORT;Username=liveclassroom;Password=$PG_PASSWORD;Database=postgres"
  export PG_ADMIN_URL PG_PORT PG_PASSWORD PG_STARTED_HERE
}

# pg_release DIR : run.sh's exit handler (also after its server was killed). Stops the cluster in DIR only when this
# script started it (PG_STARTED_HERE=1) and no other client is connected to it: a second node on the same database
# keeps it. Otherwise it is left running, and the script says why.
pg_release() {
  local dir="$1" others=0 i
  [ -f "$dir/PG_VERSION" ] || return 0
  if [ "${PG_STARTED_HERE:-0}" != 1 ]; then
    say "PostgreSQL in ${dir#"$REPO_ROOT"/} was already running when this started: left running"
    return 0
  fi
  # The server that just exited may still have backends on their way out: count again for a few seconds.
  for i in 1 2 3 4 5 6 7 8 9 10; do
    others=$(psql_admin "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null) || others=0
    [ "$others" = 0 ] && break
    sleep 0.3
  done
  if [ "$others" != 0 ]; then
    say "PostgreSQL in ${dir#"$REPO_ROOT"/} left running: $others other connection(s) use it (another node?). Stop it later with: runuser -u postgres -- $(pg_bin)/pg_ctl -D $dir stop"
    return 0
  fi
  pg_down "$dir"
}

pg_down() {
  local dir="$1"
  [ -f "$dir/PG_VERSION" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# psql_admin SQL : runs SQL against the private cluster's maintenance database.
psql_admin() {
  PGPASSWORD="$PG_PASSWORD" psql -X -tAq -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U liveclassroom -d postgres -c "$1"
}

# build_web : builds the TypeScript front end into the server's wwwroot (npm ci only when the lock file changed).
build_web() {
  local web="$REPO_ROOT/src/LiveClassroom.Web"
  [ -f "$web/package.json" ] || return 0
  command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
  local stamp="$web/node_modules/.lock-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$web/package-lock.json" "$stamp"; then
    say "Installing front-end packages"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$web/package-lock.json" "$stamp"
  fi
  say "Building the web app"
  (cd "$web" && npm run --silent build >/dev/null)
}

# tls_names : the subjectAltName list for this machine — localhost, its host names and every address it has.
tls_names() {
  local names=("DNS:localhost" "IP:127.0.0.1" "IP:::1") h a
  for h in "$(hostname)" "$(hostname -f 2>/dev/null || true)"; do
    [ -n "$h" ] && [[ " ${names[*]} " != *" DNS:$h "* ]] && names+=("DNS:$h")
  done
  for a in $(hostname -I 2>/dev/null || true); do
    [[ " ${names[*]} " != *" IP:$a "* ]] && names+=("IP:$a")
  done
  local IFS=,; echo "${names[*]}"
}

# tls_up DIR : a certificate authority of this server (made once: the one thing a projector PC must trust) and a
# server certificate it signs for this machine's names and addresses, re-issued when they change. Sets TLS_CA,
# TLS_CERT and TLS_KEY (PEM files in DIR; the keys readable by this user only).
tls_up() {
  local dir="$1" names
  mkdir -p "$dir"; chmod 700 "$dir"
  TLS_CA="$dir/liveclassroom-ca.crt" TLS_CERT="$dir/server.crt" TLS_KEY="$dir/server.key"
  if [ ! -f "$TLS_CA" ] || [ ! -f "$dir/ca.key" ]; then
    say "Creating this server's certificate authority in ${dir#"$REPO_ROOT"/}"
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 3650 \
      -subj "/O=LiveClassroom/CN=LiveClassroom CA $(hostname)" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$dir/ca.key" -out "$TLS_CA" 2>/dev/null || die "openssl could not create the certificate authority"
    chmod 600 "$dir/ca.key"
    rm -f "$TLS_CERT" "$TLS_KEY"
  fi
  names=$(tls_names)
  if [ -f "$TLS_CERT" ] && [ -f "$TLS_KEY" ] && [ "$(cat "$dir/server.names" 2>/dev/null)" = "$names" ] \
    && openssl x509 -checkend 2592000 -noout -in "$TLS_CERT" >/dev/null 2>&1; then
    return 0
  fi
  say "Issuing the HTTPS certificate for $names"
  local ext; ext=$(mktemp)
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$names" > "$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/O=LiveClassroom/CN=$(hostname)" \
    -keyout "$TLS_KEY" -out "$dir/server.csr" 2>/dev/null \
    && openssl x509 -req -in "$dir/server.csr" -CA "$TLS_CA" -CAkey "$dir/ca.key" -CAcreateserial -sha256 -days 397 \
      -extfile "$ext" -out "$TLS_CERT" 2>/dev/null \
    || { rm -f "$ext"; die "openssl could not issue the server certificate"; }
  rm -f "$ext" "$dir/server.csr"
  chmod 600 "$TLS_KEY"
  printf '%s' "$names" > "$dir/server.names"
}
