#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` in a fresh temporary folder,
# listening only on a unix socket inside that folder (no TCP port to collide with another run).
#
#   eval "$(bash scripts/throwaway_postgres.sh start)"   # exports KINDRED_TEST_DATABASE_URL and PG_TEMP_DIR
#   bash scripts/throwaway_postgres.sh stop "$PG_TEMP_DIR"
#
# initdb refuses to run as root, so as root the server runs as the `postgres` user (created by the
# distribution's package), which then owns the folder. Missing binaries are installed with apt-get.
set -euo pipefail

find_bin() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then
            echo "$dir"
            return
        fi
    done
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    if ! bin="$(find_bin)"; then
        echo "installing PostgreSQL (initdb not found)" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin="$(find_bin)"
    fi
    dir="$(mktemp -d /tmp/kindred-pg.XXXXXX)"
    # A start that fails halfway leaves neither a server nor its folder behind.
    trap '[ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -s -m immediate stop >&2; rm -rf "$dir"' ERR
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Durability settings off: a test server's data is thrown away, and fsyncs would dominate the run.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s start \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=200" >&2
    trap - ERR
    echo "export PG_TEMP_DIR='$dir'"
    echo "export KINDRED_TEST_DATABASE_URL='postgresql://postgres@/postgres?host=$dir'"
    ;;
stop)
    dir="${2:?usage: stop PG_TEMP_DIR}"
    if [ -d "$dir/data" ]; then
        bin="$(find_bin)"
        as_owner "$bin/pg_ctl" -D "$dir/data" -s -m immediate stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop PG_TEMP_DIR" >&2
    exit 2
    ;;
esac
