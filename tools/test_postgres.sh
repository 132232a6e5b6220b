#!/bin/sh
# A throwaway PostgreSQL server for the register's tests (CI runs them on it; .ci/run calls
# this).  Debian's `postgresql` package is installed with apt-get when it is missing (as root,
# or through `sudo -n`), as tools/ensure_system_deps.sh does for LibreOffice.
#
#   tools/test_postgres.sh start DIR   a new cluster in DIR (a new, empty folder), listening only
#                                      on a Unix socket in DIR; prints the SQLAlchemy URL
#   tools/test_postgres.sh stop DIR    stops it (the caller removes DIR)
#
# Run as root (as on CI), the cluster belongs to the `postgres` user the package creates.
set -eu

PORT=54329
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1 dir=$2

pg_bin() {  # the newest installed server's bin folder
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_owner() {  # run a server program as the cluster's owner
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install_postgres() {
    if [ "$(id -u)" = 0 ]; then
        as_root=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        as_root="sudo -n"
    else
        echo "test_postgres: PostgreSQL is missing; install it: sudo apt-get install postgresql" >&2
        exit 1
    fi
    log=$(mktemp "${TMPDIR:-/tmp}/ehe-letters-apt-pg.XXXXXX")
    echo "test_postgres: installing postgresql with apt-get (log: $log)" >&2
    # shellcheck disable=SC2086 # $as_root is empty or "sudo -n"
    if ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 \
            update >>"$log" 2>&1 </dev/null ||
        ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 \
            install -y --no-install-recommends postgresql >>"$log" 2>&1 </dev/null; then
        echo "test_postgres: apt-get failed, see $log" >&2
        exit 1
    fi
    rm -f "$log"
}

case $action in
start)
    [ -n "$(pg_bin)" ] || install_postgres
    bin=$(pg_bin)
    [ -n "$bin" ] || { echo "test_postgres: no PostgreSQL server found after installing" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U ehe -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -p $PORT -c fsync=off" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -p $PORT -U ehe ehe_test
    echo "postgresql+psycopg://ehe@/ehe_test?host=$dir&port=$PORT"
    ;;
stop)
    bin=$(pg_bin)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
*) usage ;;
esac
