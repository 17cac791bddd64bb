#!/usr/bin/env bash
# Shared by scripts/start and scripts/test: installs what is missing (skipping whatever already
# answers with the right version) and finds or starts PostgreSQL. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION="0.3.7"
# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, byte for byte.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=""
# ensure_apt COMMAND PACKAGE: installs the Debian package unless COMMAND (or a path) already exists.
ensure_apt() {
  local probe="$1" package="$2"
  if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then return; fi
  log "installing $package (apt)"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}

# The growth report PDF embeds a subset of Noto Sans CJK SC (see app/src/report_pdf/font.rs).
ensure_report_fonts() {
  ensure_apt /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # no_downloads: use the tailwindcss / wasm-bindgen / wasm-opt on PATH instead of fetching binaries.
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once)"
    cargo install --locked --features no_downloads cargo-leptos --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    # Not --locked: its lock file names a webpki-roots release this registry lacks.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# The release build (server and site), then a brotli and a gzip copy of each of the site's script,
# WebAssembly and stylesheet files, made once here so the server sends them without compressing on
# every request (server/src/static_files.rs). Hashed names change with content, so old copies are
# dropped first.
build_site() {
  cargo leptos build --release
  ensure_apt brotli brotli
  local file
  rm -f target/site/pkg/*.br target/site/pkg/*.gz
  for file in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css; do
    [ -f "$file" ] || continue
    gzip -9 -k -f "$file"
    brotli -q 11 -k -f "$file"
  done
}

# The path of the build's `js`, `wasm` or `css` file, by the hashed name the build gave it.
site_file() {
  local hash
  hash=$(sed -n "s/^$1: *//p" target/release/hash.txt 2>/dev/null)
  echo "target/site/pkg/codelink${hash:+.$hash}.$1"
}

ensure_node_tools() {
  # Reinstall only when package-lock.json changed since the last install. (`npm install`, not `npm ci`:
  # npm ci rejects a lock file that lacks the optional platform packages of other systems.)
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.codelink-lock; then
    log "installing npm packages (Tailwind, binaryen's wasm-opt, Playwright)"
    npm install --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.codelink-lock
  fi
}

# Debian's PostgreSQL server binaries live under /usr/lib/postgresql/<version>/bin.
pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/$1" ]; then echo "$dir/$1"; return; fi
  done
  command -v "$1"
}

free_port() {
  local port
  for port in $(seq 54330 54399); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port for PostgreSQL" >&2; return 1
}

# ensure_postgres DBNAME: exports DATABASE_URL for DBNAME, creating the database if needed.
# Order: DATABASE_URL's server if set; else 127.0.0.1:5432 if it answers; else a private cluster
# under target/pgdata started on a free port (as the postgres user when we are root).
ensure_postgres() {
  local dbname="$1" server_url
  ensure_apt psql postgresql-client
  if [ -n "${CODELINK_PG_SERVER:-}" ]; then
    server_url="$CODELINK_PG_SERVER"
  elif [ -n "${DATABASE_URL:-}" ]; then
    server_url="${DATABASE_URL%/*}"
  elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    server_url="postgres://postgres@127.0.0.1:5432"
  else
    server_url="$(start_private_postgres)"
  fi
  export CODELINK_PG_SERVER="$server_url"
  export DATABASE_URL="$server_url/$dbname"
  if ! psql "$server_url/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    log "creating database $dbname"
    psql -q "$server_url/postgres" -c "CREATE DATABASE \"$dbname\""
  fi
}

# The PostgreSQL server's programs (initdb, pg_ctl, pg_basebackup): the client package alone
# also creates /usr/lib/postgresql, so the probe is initdb itself.
ensure_postgres_server() {
  if [ -x "$(pg_bin initdb || true)" ]; then return; fi
  log "installing postgresql (apt)"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

start_private_postgres() {
  local data="$ROOT/target/pgdata" port_file="$ROOT/target/pgdata.port" port runner=()
  ensure_postgres_server
  if [ "$(id -u)" -eq 0 ]; then runner=(runuser -u postgres --); fi
  mkdir -p "$ROOT/target"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a private PostgreSQL cluster in target/pgdata"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    "${runner[@]}" "$(pg_bin initdb)" -D "$data" -A trust -U postgres >/dev/null
  fi
  if [ -f "$port_file" ] && pg_isready -q -h 127.0.0.1 -p "$(cat "$port_file")"; then
    port="$(cat "$port_file")"
  else
    port="$(free_port)"
    log "starting the private PostgreSQL on port $port"
    "${runner[@]}" "$(pg_bin pg_ctl)" -D "$data" -o "-p $port -k $data -c listen_addresses=127.0.0.1" \
      -l "$data/server.log" -w start >/dev/null
    echo "$port" >"$port_file"
  fi
  echo "postgres://postgres@127.0.0.1:$port"
}
