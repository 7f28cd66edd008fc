#!/usr/bin/env bash
# run.sh - runs every test of newsidx: the C unit tests (Check programs in
# $BUILD/tests/) and the end-to-end scripts (tests/e2e/*.sh) against
# $BUILD/newsidx. Prints each failure, then one closing line
# "N passed, N failed". Exits 1 when anything failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case "$BUILD" in
/*) export NEWSIDX="$BUILD/newsidx" ;;
*) export NEWSIDX="$PWD/$BUILD/newsidx" ;;
esac
passed=0
failed=0

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1)
    rc=$?
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
    if [ -n "$line" ]; then
        checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
        fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
        errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
        passed=$((passed + checks - fails - errors))
        failed=$((failed + fails + errors))
    else
        failed=$((failed + 1))
    fi
    if [ $rc -ne 0 ] || [ -z "$line" ]; then
        echo "--- $t (exit $rc)"
        printf '%s\n' "$out" | grep -vE '^[0-9]+%: Checks: ' | tail -n 40
        [ -n "$line" ] || echo "(no Check summary: the test program crashed or did not run)"
    fi
    echo "unit $(basename "$t"): ${line:-crashed}"
done

for t in tests/e2e/test_*.sh; do
    out=$(bash "$t" 2>&1)
    rc=$?
    counts=$(printf '%s\n' "$out" | sed -nE 's/^e2e-counts: ([0-9]+) ([0-9]+)$/\1 \2/p' | tail -n 1)
    if [ -n "$counts" ]; then
        p=${counts% *}
        f=${counts#* }
        passed=$((passed + p))
        failed=$((failed + f))
    else
        failed=$((failed + 1))
        f=1
    fi
    if [ "$f" != 0 ] || [ $rc -ne 0 ]; then
        echo "--- $t (exit $rc)"
        printf '%s\n' "$out" | grep -v '^ok ' | grep -v '^e2e-counts' | tail -n 60
    fi
    echo "e2e $(basename "$t"): ${counts:-script failed}"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
