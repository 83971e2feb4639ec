# test/sanitize/lib.sh: shared by test/sanitize/run and test/fuzz/run (sourced, not run).
#
# san_setup   copies the stock PostgreSQL 15 installation into a private folder,
#             builds the extension (and, with SAN_FUZZ=1, test/fuzz) with clang
#             -fsanitize=address,undefined from a copy of the source tree (the work
#             tree keeps no sanitizer objects) and installs them there.
# san_start   initdb + pg_ctl start of a throw-away cluster with the sanitizers on.
# san_reports prints the sanitizer reports and backend crashes so far; fails if any.
# san_stop    stops the cluster; the private folder is removed at exit unless
#             SAN_KEEP=1.
#
# How the sanitizers get into a stock postgres. Preloading the ASan runtime into
# postgres (LD_PRELOAD=libclang_rt.asan-x86_64.so) hangs on Debian 12: libp11-kit's
# constructor runs before the runtime's, the runtime initializes lazily inside
# newlocale(), and glibc's locale locks are left unusable (postgres -V, psql -V and
# initdb -V all hang in bindtextdomain/freelocale). So the modules are linked with
# -shared-libsan (the runtime is a DT_NEEDED of retention.so, found through an rpath)
# and the runtime starts when the backend loads retention.so; verify_asan_link_order=0
# lets it. A tiny uninstrumented library, preload.so (preload.c), is LD_PRELOADed into
# postgres: it hands the runtime its options (the runtime reads ASAN_OPTIONS from
# /proc/self/environ, which a backend overwrites with its process title), and its
# siglongjmp() calls __asan_handle_no_return first, as the runtime's own interceptor
# would, so that an ERROR thrown through instrumented frames leaves no stale stack
# red zones behind (false reports on the next function reading its caller's fcinfo).
# What this costs: malloc/free of postgres itself are not intercepted, so
# instrumented code is checked on its own loads and stores (stack, globals, and any
# memory poisoned by hand); palloc chunks inside AllocSet blocks carry no red zones.
# test/fuzz/retention_fuzz.c therefore runs the input functions in a memory context
# of its own in which every palloc is a separate block with a poisoned red zone.
#
# Environment: PG_CONFIG (default /usr/lib/postgresql/15/bin/pg_config), SAN_PORT,
# SAN_OS_USER (the server's user when run as root, default postgres), SAN_KEEP=1.

SAN_FLAGS='-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1'

san_say() { printf '==> %s\n' "$*"; }

# Whether the tools are there; prints why not and returns 1 otherwise.
san_prereqs() {
    local pgc=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config} tool
    for tool in clang make "$pgc"; do
        if ! command -v "$tool" >/dev/null; then
            echo "# skip: $tool not found"
            return 1
        fi
    done
    SAN_RT=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
    if [[ ! -e $SAN_RT ]]; then
        echo "# skip: clang has no ASan runtime ($SAN_RT)"
        return 1
    fi
    if [[ ! -d $("$pgc" --includedir-server) ]]; then
        echo "# skip: no PostgreSQL server headers (postgresql-server-dev-15)"
        return 1
    fi
    if (($(id -u) == 0)) && ! id "${SAN_OS_USER:-postgres}" >/dev/null 2>&1; then
        echo "# skip: running as root and there is no user ${SAN_OS_USER:-postgres} to run the server"
        return 1
    fi
    return 0
}

# Run a command as the server's user.
san_as_server() {
    if (($(id -u) == 0)); then
        runuser -u "${SAN_OS_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

san_cleanup() {
    if [[ -n ${SAN_DIR:-} && -d $SAN_DIR ]]; then
        if [[ -e $SAN_DIR/data/postmaster.pid ]]; then
            san_as_server "$SAN_BIN/pg_ctl" -D "$SAN_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        if [[ ${SAN_KEEP:-} == 1 ]]; then
            echo "# kept $SAN_DIR"
        else
            rm -rf "$SAN_DIR"
        fi
    fi
}

# san_setup REPO: private PostgreSQL copy, sanitizer build, install. Sets SAN_DIR,
# SAN_BIN, SAN_PG_CONFIG, SAN_SRC (the source copy, where make installcheck runs).
san_setup() {
    local repo=$1 pgc=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
    local bindir libroot sharedir rtdir cflags ldflags
    SAN_DIR=$(mktemp -d -t retention-san.XXXXXX)
    chmod 755 "$SAN_DIR"
    bindir=$("$pgc" --bindir)
    libroot=$(dirname "$bindir")
    sharedir=$("$pgc" --sharedir)
    mkdir -p "$SAN_DIR/pg$(dirname "$libroot")" "$SAN_DIR/pg$(dirname "$sharedir")" "$SAN_DIR/pg/usr"
    cp -a "$libroot" "$SAN_DIR/pg$(dirname "$libroot")/"
    cp -a "$sharedir" "$SAN_DIR/pg$(dirname "$sharedir")/"
    ln -sfn /usr/include "$SAN_DIR/pg/usr/include"
    SAN_BIN=$SAN_DIR/pg$bindir
    SAN_PG_CONFIG=$SAN_BIN/pg_config
    [[ -x $SAN_PG_CONFIG ]] || { echo "# the PostgreSQL copy has no pg_config" >&2; return 1; }

    # a copy of the sources: no sanitizer objects in the work tree
    SAN_SRC=$SAN_DIR/src
    mkdir -p "$SAN_SRC"
    tar -C "$repo" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        --exclude=./results --exclude=./tmp_check -cf - . | tar -C "$SAN_SRC" -xf -

    rtdir=$(dirname "$SAN_RT")
    cflags="$SAN_FLAGS -fno-strict-aliasing -Wall -Wno-unknown-warning-option -Wno-unused-command-line-argument -Wno-ignored-attributes"
    ldflags="$SAN_FLAGS -shared-libsan -Wl,-rpath,$rtdir"
    san_say "building with clang $SAN_FLAGS (log: build.log)"
    if ! {
        make -C "$SAN_SRC" -j2 PG_CONFIG="$SAN_PG_CONFIG" CC=clang with_llvm=no \
            CFLAGS="$cflags" LDFLAGS_SL="$ldflags" &&
            make -C "$SAN_SRC" install PG_CONFIG="$SAN_PG_CONFIG" with_llvm=no &&
            if [[ ${SAN_FUZZ:-} == 1 ]]; then
                make -C "$SAN_SRC/test/fuzz" PG_CONFIG="$SAN_PG_CONFIG" CC=clang with_llvm=no \
                    CFLAGS="$cflags" LDFLAGS_SL="$ldflags" &&
                    make -C "$SAN_SRC/test/fuzz" install PG_CONFIG="$SAN_PG_CONFIG" with_llvm=no
            fi &&
            cc -O2 -fPIC -shared -o "$SAN_DIR/preload.so" "$SAN_SRC/test/sanitize/preload.c" -ldl
    } >"$SAN_DIR/build.log" 2>&1; then
        tail -n 40 "$SAN_DIR/build.log"
        return 1
    fi
    mkdir -p "$SAN_DIR/san"
    if (($(id -u) == 0)); then
        chown -R "${SAN_OS_USER:-postgres}" "$SAN_DIR"
    fi
}

# san_start PORT: throw-away cluster (C.UTF-8, trust, socket in /tmp) with the
# sanitizer options; reports go to $SAN_DIR/san/{asan,ubsan}.PID.
san_start() {
    local port=$1 symbolizer
    SAN_PORT=$port
    symbolizer=$(command -v llvm-symbolizer || true)
    san_as_server "$SAN_BIN/initdb" -D "$SAN_DIR/data" -A trust -U postgres \
        --locale=C.UTF-8 -E UTF8 >"$SAN_DIR/initdb.log" 2>&1 || {
        cat "$SAN_DIR/initdb.log"
        return 1
    }
    san_as_server env LD_PRELOAD="$SAN_DIR/preload.so" \
        ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=0:abort_on_error=1:log_path=$SAN_DIR/san/asan${symbolizer:+:external_symbolizer_path=$symbolizer}" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SAN_DIR/san/ubsan" \
        "$SAN_BIN/pg_ctl" -D "$SAN_DIR/data" -l "$SAN_DIR/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses='' -k /tmp -c max_parallel_workers_per_gather=2" \
        start >/dev/null || {
        cat "$SAN_DIR/server.log"
        return 1
    }
    export PGHOST=/tmp PGPORT=$port PGUSER=postgres
    unset PGDATABASE PGHOSTADDR PGSERVICE PGPASSWORD
}

san_wait_ready() {
    local _
    for _ in $(seq 60); do
        "$SAN_BIN/pg_isready" -q -h /tmp -p "$SAN_PORT" && return 0
        sleep 1
    done
    return 1
}

# san_reports [SINCE_LINE]: sanitizer reports and crashes in the server log after
# line SINCE_LINE; prints them and returns 1 if there are any.
san_reports() {
    local since=${1:-0} f found=0
    shopt -s nullglob
    for f in "$SAN_DIR"/san/*; do
        found=1
        echo "---------------- $(basename "$f") ----------------"
        head -n 60 "$f"
    done
    shopt -u nullglob
    if tail -n +"$((since + 1))" "$SAN_DIR/server.log" |
        grep -Eq 'terminated by signal|was terminated by exception|PANIC:|retention_fuzz: crash input'; then
        found=1
        echo "---------------- server log ----------------"
        tail -n +"$((since + 1))" "$SAN_DIR/server.log" |
            grep -E -B 3 -A 3 'terminated by signal|was terminated by exception|PANIC:|retention_fuzz: crash input' | cut -c 1-2000 | head -n 40
    fi
    ((found == 0))
}

san_log_lines() { wc -l <"$SAN_DIR/server.log"; }

san_stop() {
    san_as_server "$SAN_BIN/pg_ctl" -D "$SAN_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}
