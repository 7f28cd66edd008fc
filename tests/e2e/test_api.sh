# test_api.sh - the C library as a program would use it: a small program
# built against include/newsidx.h and the static library only, run on the
# shipped corpus; and the shared library exports only the public API.
. "$(dirname "$0")/lib.sh"
BUILD_DIR=$(dirname "$NEWSIDX")
LIBS=$(cd "$ROOT" && make -s --no-print-directory print-libs 2>/dev/null)
# A sanitizer build (make check) needs its runtime in the program too.
nm "$BUILD_DIR/libnewsidx.a" 2>/dev/null | grep -q __asan_ && LIBS="$LIBS -fsanitize=address,undefined"
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -o "$T/example" \
    "$ROOT/tests/api/search_example.c" "$BUILD_DIR/libnewsidx.a" $LIBS 2>"$T/cc.err"; then
    ok "example builds against the public header and the static library"
else
    not_ok "example builds" "$(cat "$T/cc.err")"
    finish
fi
out=$("$T/example" "$T/api.db" "$CORPUS" "Baklanov conditions" 2>"$T/err")
rc=$?
err=$(cat "$T/err")
expect_rc "example exits 0 with hits" 0
expect "example indexed the corpus" has "indexed 62 articles" "$out"
expect "example lists the conditions article first" has "1 mh-2022-1205-03" "$out"
expect "a second run while the first's results are open: same first hit" \
    has "run 2: first hit mh-2022-1205-03" "$out"
expect "a third run: same first hit" has "run 3: first hit mh-2022-1205-03" "$out"
expect "example gets highlight spans" has "first highlight: " "$out"
n=$("$NEWSIDX" search -d "$T/api.db" -c "Baklanov conditions")
expect "nx_results_total after the run is the count ($n)" has "total $n, counted $n" "$out"
expect "a page of no hits (limit 0) still has the total" has "limit 0: valid 0, total $n" "$out"
out=$("$T/example" "$T/api.db" "$CORPUS" '"unbalanced' 2>"$T/err")
rc=$?
err=$(cat "$T/err")
expect_rc "a bad query through the API: 2" 2
expect "the API gives the positioned message" has "query:1:1: unbalanced quote" "$err"
if [ -f "$BUILD_DIR/libnewsidx.so" ]; then
    # Through the shared library, on a Xapian index: the engine's module is
    # found beside libnewsidx.so (a link to it named by its soname here),
    # wherever the program is.
    mkdir -p "$T/lib"
    ln -s "$BUILD_DIR/libnewsidx.so" "$T/lib/libnewsidx.so.0"
    SAN=""
    nm "$BUILD_DIR/libnewsidx.a" 2>/dev/null | grep -q __asan_ && SAN="-fsanitize=address,undefined"
    if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -o "$T/example-so" \
        "$ROOT/tests/api/search_example.c" -L"$BUILD_DIR" -lnewsidx -Wl,-rpath,"$T/lib" \
        $SAN 2>"$T/cc.err"; then
        "$NEWSIDX" index -q --engine xapian -d "$T/xapian.idx" "$CORPUS"
        out=$("$T/example-so" "$T/xapian.idx" "$CORPUS" "Baklanov conditions" 2>"$T/err")
        rc=$?
        err=$(cat "$T/err")
        expect_rc "shared library on a Xapian index: exit 0" 0
        expect "shared library on a Xapian index: the module is found, the article first" \
            has "1 mh-2022-1205-03" "$out"
        expect "Xapian: nx_results_total is the count" has "total $n, counted $n" "$out"
    else
        not_ok "example builds against libnewsidx.so" "$(cat "$T/cc.err")"
    fi
    bad=$(nm -D --defined-only "$BUILD_DIR/libnewsidx.so" | awk '$2 == "T" && $3 !~ /^nx_/')
    expect "libnewsidx.so exports only nx_ functions" test -z "$bad"
    hdr=$(grep -oE '\bnx_[a-z_]+\(' "$ROOT/include/newsidx.h" | tr -d '(' | sort -u)
    exp=$(nm -D --defined-only "$BUILD_DIR/libnewsidx.so" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
    expect "every function of the header is exported" test -z "$(comm -23 <(echo "$hdr") <(echo "$exp"))"
fi

# Readers: threads with a handle each, and a handle kept open across commits.
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -o "$T/readers" \
    "$ROOT/tests/api/readers_example.c" "$BUILD_DIR/libnewsidx.a" $LIBS -lpthread 2>"$T/cc.err"; then
    for i in 1 2 3; do
        printf '{"id":"late-%d","title":"Late %d","body":"A late story number %d."}\n' "$i" "$i" "$i" \
            >"$T/late$i.jsonl"
    done
    for engine in fts5 xapian; do
        "$NEWSIDX" index -q --engine "$engine" -d "$T/readers-$engine" "$CORPUS"
        out=$(NEWSIDX_XAPIAN_MODULE="$BUILD_DIR/newsidx-xapian.so" "$T/readers" "$T/readers-$engine" "$T/late1.jsonl" "$T/late2.jsonl" \
            "$T/late3.jsonl" 2>"$T/err")
        rc=$?
        err=$(cat "$T/err")
        expect_rc "$engine: readers example exits 0" 0
        expect "$engine: four threads searching at once, each with its handle, all count right" \
            has "threads: 4 of 4 counted 62 every time" "$out"
        expect "$engine: a reader open across three commits still reads, and sees them" \
            has "reader after 3 runs: 65 articles (ok)" "$out"
    done
else
    not_ok "readers example builds" "$(cat "$T/cc.err")"
fi

# The header's argument contract (ranges, out-parameters on failure).
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -o "$T/contract" \
    "$ROOT/tests/api/contract_example.c" "$BUILD_DIR/libnewsidx.a" $LIBS 2>"$T/cc.err"; then
    out=$(NEWSIDX_XAPIAN_MODULE="$BUILD_DIR/newsidx-xapian.so" "$T/contract" "$T/readers-fts5" "$T" 2>"$T/err")
    rc=$?
    err=$(cat "$T/err")
    expect_rc "contract example exits 0" 0
    expect "every contract check passes" has "all contract checks passed" "$out"
    expect "the empty-file checks ran" has "ok nx_index_open: read-write refuses an empty file" "$out"
    # A Xapian index whose files may be read but not written: as root
    # (which may write anything) this runs as user nobody, or is skipped.
    if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
        echo "# running as root without setpriv: read-only Xapian check skipped"
    else
        AS=()
        cp -r "$T/readers-xapian" "$T/locked.xdb"
        chmod -R a+rX,a-w "$T/locked.xdb"
        if [ "$(id -u)" = 0 ]; then
            chmod 711 "$T" && chmod a+rx "$T/contract" "$T/readers-fts5"
            AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        fi
        out=$(NEWSIDX_XAPIAN_MODULE="$BUILD_DIR/newsidx-xapian.so" "${AS[@]}" "$T/contract" \
            "$T/readers-fts5" "$T" "$T/locked.xdb" 2>"$T/err")
        rc=$?
        err=$(cat "$T/err")
        expect "a Xapian index that may not be written: NX_ERR_READ_ONLY, not BUSY" \
            has "ok nx_index_open: a Xapian index this process may not write" "$out"
        chmod -R u+w "$T/locked.xdb"
    fi
else
    not_ok "contract example builds" "$(cat "$T/cc.err")"
fi
finish
