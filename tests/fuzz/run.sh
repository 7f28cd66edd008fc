#!/usr/bin/env bash
# run.sh - runs the fuzz targets built by tests/fuzz/fuzz.mk.
#
#   run.sh fuzz TARGET...     fuzz each target for $FUZZ_SECONDS, then print a
#                             summary table; exit 1 if any target failed
#   run.sh regress TARGET...  run each target once over every input in
#                             tests/fuzz/regressions/<target>/ (no fuzzing);
#                             exit 1 if any input still fails
#
# Environment (set by fuzz.mk): FUZZ_BUILD (build-fuzz), FUZZ_SECONDS (60),
# FUZZ_MAX_LEN ("target:bytes ..."), FUZZ_ARGS (more libFuzzer options).
#
# Per target, fuzzing keeps its growing corpus in $FUZZ_BUILD/corpus/<target>/
# (seeded from $FUZZ_BUILD/seeds/<target>/), its log in
# $FUZZ_BUILD/logs/<target>.log and what it finds (crash-*, leak-*, timeout-*,
# oom-*) in $FUZZ_BUILD/artifacts/<target>/.
set -u
cd "$(dirname "$0")/../.." || exit 2

mode=${1:-}
shift || true
B=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
read -r -a extra <<< "${FUZZ_ARGS:-}"
# Inputs slower than -timeout seconds or using more than -rss_limit_mb are
# findings too (reported as timeout / oom).
limits=(-timeout=10 -rss_limit_mb=2048)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

if [ "$mode" != fuzz ] && [ "$mode" != regress ] || [ $# -eq 0 ]; then
    echo "usage: run.sh fuzz|regress TARGET..." >&2
    exit 2
fi

declare -A maxlen=()
for kv in ${FUZZ_MAX_LEN:-}; do
    maxlen[${kv%%:*}]=${kv#*:}
done

# What a libFuzzer log says happened: ok, crash, leak, timeout, oom,
# ub (UndefinedBehaviorSanitizer) or check (a fuzz_common.h check).
classify() {
    local log=$1
    if grep -q '^Done [0-9]* runs in' "$log"; then echo ok
    elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then echo timeout
    elif grep -q -e 'ERROR: libFuzzer: out-of-memory' -e 'ERROR: libFuzzer: malloc' "$log"; then echo oom
    elif grep -q 'ERROR: LeakSanitizer' "$log"; then echo leak
    elif grep -q '^fuzz check failed' "$log"; then echo check
    elif grep -q 'runtime error:' "$log"; then echo ub
    elif grep -q -e 'ERROR: AddressSanitizer' -e 'deadly signal' "$log"; then echo crash
    elif grep -q 'ERROR: libFuzzer' "$log"; then echo crash
    else echo error
    fi
}

# The lines that explain a failure: the check or sanitizer message and the
# first frames of the stack inside newsidx.
explain() {
    local log=$1
    grep -a -m1 -A1 -e '^fuzz check failed' -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
        -e 'ERROR: LeakSanitizer' -e 'ERROR: libFuzzer' "$log" | sed 's/^/    /'
    grep -a -E '^ +#[0-9]+ .* in .*(src|tests/fuzz)/' "$log" | head -n 4 | sed 's/^ */    /'
}

stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

if [ "$mode" = regress ]; then
    total=0
    failed=0
    for t in "$@"; do
        bin=$B/fuzz_$t
        dir=tests/fuzz/regressions/$t
        mkdir -p "$B/logs"
        inputs=()
        if [ -d "$dir" ]; then
            while IFS= read -r -d '' f; do inputs+=("$f"); done \
                < <(find "$dir" -maxdepth 1 -type f ! -name '.*' ! -name '*.md' -print0 | sort -z)
        fi
        if [ ${#inputs[@]} -eq 0 ]; then
            printf 'fuzz_%-11s no regression inputs\n' "$t"
            continue
        fi
        bad=0
        for f in "${inputs[@]}"; do
            total=$((total + 1))
            log=$B/logs/regress-$t-$(basename "$f").log
            # Given files rather than directories, libFuzzer runs each once.
            if "$bin" "${limits[@]}" "$f" > "$log" 2>&1; then
                continue
            fi
            bad=$((bad + 1))
            failed=$((failed + 1))
            printf 'fuzz_%-11s FAILED %s (%s; log %s)\n' "$t" "$f" "$(classify "$log")" "$log"
            explain "$log"
        done
        printf 'fuzz_%-11s %d regression inputs, %d failed\n' "$t" ${#inputs[@]} $bad
    done
    echo "fuzz-regress: $total inputs, $failed failed"
    [ $failed -eq 0 ]
    exit
fi

rows=()
failed=0
for t in "$@"; do
    bin=$B/fuzz_$t
    corpus=$B/corpus/$t
    seeds=$B/seeds/$t
    art=$B/artifacts/$t
    log=$B/logs/$t.log
    mkdir -p "$corpus" "$seeds" "$art" "$B/logs"
    opts=("${limits[@]}" -max_total_time="$SECS" -print_final_stats=1 -artifact_prefix="$art/")
    [ -n "${maxlen[$t]:-}" ] && opts+=(-max_len="${maxlen[$t]}")
    [ -f "tests/fuzz/dicts/$t.dict" ] && opts+=(-dict="tests/fuzz/dicts/$t.dict")
    echo "fuzz_$t: fuzzing for ${SECS}s (max_len ${maxlen[$t]:-default}; log $log)"
    start=$SECONDS
    touch "$art/.start"
    "$bin" "${opts[@]}" "${extra[@]}" "$corpus" "$seeds" > "$log" 2>&1
    rc=$?
    # What this run left in the artifacts directory: crash-*, leak-*, ...
    mapfile -t found < <(find "$art" -type f ! -name '.*' -newer "$art/.start" | sort)
    runs='' secs='' speed='' slowest='' rss=''
    done_line=$(grep -m1 '^Done [0-9]* runs in' "$log")
    if [ -n "$done_line" ]; then
        runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1/' <<< "$done_line")
        secs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/' <<< "$done_line")
        result=ok
        [ $rc -ne 0 ] && result=error
    elif grep -q '^INFO: exiting: ' "$log"; then
        # -fork=N (with -ignore_crashes=1 it goes on after a finding):
        # "#RUNS: cov: ... oom/timeout/crash: O/T/C time: Ss ...".
        last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1)
        runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<< "$last")
        secs=$(sed -nE 's/^INFO: exiting: [0-9]+ time: ([0-9]+)s.*/\1/p' "$log")
        [ -n "$runs" ] && [ "${secs:-0}" -gt 0 ] && speed=$((runs / secs))
        result=ok
        [ ${#found[@]} -gt 0 ] &&
            result=$(printf '%s\n' "${found[@]##*/}" | sed 's/-.*//' | sort | uniq -c |
                     awk '{printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1}')
    else
        # Stopped at a finding: libFuzzer's final stats still count the runs.
        result=$(classify "$log")
        runs=$(stat number_of_executed_units "$log")
        secs=$((SECONDS - start))
    fi
    : "${speed:=$(stat average_exec_per_sec "$log")}"
    slowest=$(stat slowest_unit_time_sec "$log")
    rss=$(stat peak_rss_mb "$log")
    units=$(find "$corpus" -type f | wc -l)
    printf 'fuzz_%s: %s, %s runs in %s s (%s exec/s), corpus %s inputs, slowest input %s s, peak RSS %s MB\n' \
        "$t" "$result" "${runs:-?}" "${secs:-?}" "${speed:-?}" "$units" "${slowest:-?}" "${rss:-?}"
    if [ "$result" != ok ]; then
        failed=$((failed + 1))
        explain "$log"
        for f in "${found[@]}"; do
            echo "    input: $f"
        done
        [ ${#found[@]} -gt 0 ] &&
            echo "    to keep one as a regression test: mkdir -p tests/fuzz/regressions/$t &&" \
                 "cp ${found[0]} tests/fuzz/regressions/$t/"
    fi
    first=${found[0]:--}
    [ ${#found[@]} -gt 1 ] && first="$first (+$(( ${#found[@]} - 1 )))"
    rows+=("$(printf '%-16s %-10s %11s %5s %8s %7s %9s %6s  %s' "fuzz_$t" "$result" "${runs:-?}" \
        "${secs:-?}" "${speed:-?}" "$units" "${slowest:-?}" "${rss:-?}" "$first")")
done

echo
echo "fuzz summary (${SECS}s per target)"
printf '%-16s %-10s %11s %5s %8s %7s %9s %6s  %s\n' target result runs secs exec/s corpus slowest_s rss_mb finding
for r in "${rows[@]}"; do echo "$r"; done
echo "fuzz: $(( $# - failed )) of $# targets ran clean, $failed failed"
[ $failed -eq 0 ]
