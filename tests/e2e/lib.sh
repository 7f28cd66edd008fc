# lib.sh - helpers for the end-to-end tests, sourced by each tests/e2e/test_*.sh.
# Each test runs the built binary ($NEWSIDX) the way a user or a script
# would, in a temporary folder that is removed at exit.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NEWSIDX=${NEWSIDX:-$ROOT/build/newsidx}
CORPUS=$ROOT/corpus
T=$(mktemp -d "${TMPDIR:-/tmp}/newsidx-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export NO_COLOR=
unset NEWSIDX_DB
_pass=0
_fail=0

ok() { _pass=$((_pass + 1)); echo "ok $1"; }
not_ok() { _fail=$((_fail + 1)); echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '    %s\n' "$@"; return 0; }

# run CMD...: runs newsidx with the arguments, capturing stdout in $out,
# stderr in $err and the exit code in $rc.
run() {
    out=$("$NEWSIDX" "$@" 2>"$T/.err")
    rc=$?
    err=$(cat "$T/.err")
}

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
    if [ "$rc" -eq "$2" ]; then ok "$1"; else not_ok "$1" "exit $rc, expected $2" "stdout: ${out:0:400}" "stderr: ${err:0:400}"; fi
}

# expect NAME CONDITION...: a shell test, e.g. expect "x" grep -q foo <<<"$out"
expect() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name" "failed: $*" "stdout: ${out:0:400}" "stderr: ${err:0:400}"; fi
}

# numbered FIRST LAST TEMPLATE: one line of TEMPLATE per number from FIRST
# to LAST, each @ in it replaced by the number (records for a JSON Lines file).
numbered() {
    local i
    for i in $(seq "$1" "$2"); do printf '%s\n' "${3//@/$i}"; done
}

json_ok() { jq -e . >/dev/null <<<"$1"; }
has() { grep -qF -- "$1" <<<"$2"; }
lacks() { ! grep -qF -- "$1" <<<"$2"; }

finish() {
    echo "e2e-counts: $_pass $_fail"
    exit 0
}
