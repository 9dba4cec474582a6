# Functions that install and start what the tests need, sourced by scripts/test.sh.
# Chromium and ChromeDriver run the console's browser tests; PostgreSQL holds the audit and
# outbox of the multi-node tests. Both come from Debian's packages: nothing is downloaded at
# test time, and no test uses a mock database.

PG_PACKAGES="postgresql"
BROWSER_PACKAGES="chromium chromium-driver"

# Installs the Debian packages the tests need when one is missing (as root; otherwise says
# what to install and stops).
ensure_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  pg_bin >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need these Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "Installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The directory of the newest installed PostgreSQL's server binaries.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Runs a command as the PostgreSQL cluster's owner: the postgres user when we are root
# (initdb refuses to run as root), ourselves otherwise.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

# Starts a throw-away cluster on a free loopback port in a temporary directory and exports
# WYCPS_TEST_PG_URI, WYCPS_TEST_PG_USER and WYCPS_TEST_PG_PASSWORD_FILE for the tests.
start_postgres() {
  local bin port
  bin=$(pg_bin)
  PG_DIR=$(mktemp -d -t wycps-pg.XXXXXX)
  chmod 0755 "$PG_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
         || echo $((20000 + RANDOM % 20000)))
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  echo "$password" > "$PG_DIR/password"
  head -c 18 /dev/urandom | base64 | tr -dc "A-Za-z0-9" > "$PG_DIR/superpass"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$PG_DIR"; fi
  chmod 0600 "$PG_DIR/password" "$PG_DIR/superpass"
  as_pg_owner "'$bin/initdb' -D '$PG_DIR/data' -U postgres --pwfile='$PG_DIR/superpass' -A scram-sha-256 -E UTF8 >'$PG_DIR/initdb.log' 2>&1"
  as_pg_owner "'$bin/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -o \"-p $port -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on\" start >/dev/null"
  as_pg_owner "PGPASSWORD=\$(cat '$PG_DIR/superpass') psql -h 127.0.0.1 -p $port -U postgres -d postgres -qtA \
      -c \"CREATE ROLE wycps LOGIN PASSWORD '$password'\" -c 'CREATE DATABASE wycps_test OWNER wycps'" >/dev/null
  # The tests' copy of the password, owned by the user running them and theirs alone: the gateway
  # refuses a password file that group or others may read (as it does a private key).
  (umask 077; cp "$PG_DIR/password" "$PG_DIR/password.test")
  export WYCPS_TEST_PG_URI="postgresql://127.0.0.1:$port/wycps_test"
  export WYCPS_TEST_PG_USER="wycps"
  export WYCPS_TEST_PG_PASSWORD_FILE="$PG_DIR/password.test"
  export WYCPS_TEST_PG_ADMIN_PASSWORD_FILE="$PG_DIR/superpass"
  export PG_BIN_DIR="$bin" PG_DATA_DIR="$PG_DIR/data"
  echo "PostgreSQL for the tests at $WYCPS_TEST_PG_URI"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    as_pg_owner "'$(pg_bin)/pg_ctl' -D '$PG_DIR/data' -m fast -w stop >/dev/null 2>&1" || true
    rm -rf "$PG_DIR"
  fi
}
