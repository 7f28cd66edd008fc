# tests/fuzz/fuzz.mk - libFuzzer targets for newsidx (included by the top
# Makefile). tests/fuzz/README.md describes the targets and their checks.
#
#   make fuzz            build every target, run each for FUZZ_SECONDS (60)
#   make fuzz-smoke      the same for 10 seconds each (CI)
#   make fuzz-regress    run each target once over tests/fuzz/regressions/<target>/
#   make fuzz-build      only build the targets (and the seed corpora)
#   make fuzz-clean      remove $(FUZZ_BUILD)/ (binaries, seeds, corpora, findings)
#
# FUZZ_TARGETS="query date" restricts any of them to some targets; FUZZ_ARGS
# adds libFuzzer options (e.g. FUZZ_ARGS=-jobs=2).
#
# Everything is built with clang and libFuzzer into $(FUZZ_BUILD)/, apart from
# $(BUILD)/: the library sources are compiled again with coverage
# instrumentation, AddressSanitizer and UBSan.

FUZZ_BUILD ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS ?=
FUZZ_ALL_TARGETS := analyzer query snippet read_text read_jsonl read_html date gunzip textpack \
                    fts5_leaves
FUZZ_TARGETS ?= $(FUZZ_ALL_TARGETS)

# Longest input per target (-max_len): about the largest realistic input for
# what the target reads, small enough to keep thousands of runs per second.
FUZZ_MAX_LEN := analyzer:8192 query:4096 snippet:16384 read_text:16384 read_jsonl:16384 \
                read_html:32768 date:128 gunzip:16384 textpack:16384 fts5_leaves:4096

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) \
              -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)

# Only what the targets exercise: analyzer, readers, query language, snippets,
# stored text, the FTS5 leaf reader.
FUZZ_LIB_SRC := $(filter src/analyze/% src/ingest/% src/query/% src/store/textpack.c \
                  src/store/fts5_leaves.c,$(LIB_SRC))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libnewsidx-fuzz.a
FUZZ_BINS := $(FUZZ_ALL_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_HEADERS := tests/fuzz/fuzz_common.h tests/fuzz/fuzz_reader.h
FUZZ_SEED_INPUTS := tests/fuzz/prepare-seeds.sh $(wildcard tests/fuzz/seeds/*/*) \
                    $(shell find corpus -type f \( -name '*.txt' -o -name '*.md' -o \
                      -name '*.jsonl' -o -name '*.html' \) 2>/dev/null)

FUZZ_RUN = FUZZ_BUILD='$(FUZZ_BUILD)' FUZZ_MAX_LEN='$(FUZZ_MAX_LEN)' FUZZ_ARGS='$(FUZZ_ARGS)' \
           tests/fuzz/run.sh

.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-build fuzz-clean fuzz-toolchain

fuzz: fuzz-build
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' $(FUZZ_RUN) fuzz $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@FUZZ_SECONDS=10 $(FUZZ_RUN) fuzz $(FUZZ_TARGETS)

fuzz-regress: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@$(FUZZ_RUN) regress $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%) $(FUZZ_BUILD)/seeds/.stamp

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

# The targets need clang's libFuzzer runtime (Debian: libclang-rt-14-dev);
# gcc has none. Checked by linking an empty fuzz target.
fuzz-toolchain:
	@mkdir -p $(FUZZ_BUILD)
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
	  echo "fuzz: '$(FUZZ_CC)' not found: the fuzz targets need clang with libFuzzer."; \
	  echo "fuzz: install the Debian packages clang and libclang-rt-14-dev:"; \
	  echo "fuzz:   apt-get install clang libclang-rt-14-dev"; exit 1; fi; \
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	  > $(FUZZ_BUILD)/probe.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $(FUZZ_BUILD)/probe $(FUZZ_BUILD)/probe.c \
	     > $(FUZZ_BUILD)/probe.log 2>&1; then \
	  echo "fuzz: '$(FUZZ_CC)' cannot link a libFuzzer program (-fsanitize=fuzzer,address,undefined):"; \
	  sed -n '1,5s/^/fuzz:   /p' $(FUZZ_BUILD)/probe.log; \
	  echo "fuzz: install the Debian packages clang and libclang-rt-14-dev:"; \
	  echo "fuzz:   apt-get install clang libclang-rt-14-dev"; exit 1; fi

$(FUZZ_BUILD)/src/%.o: src/%.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HEADERS) $(FUZZ_LIB) | fuzz-toolchain
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

# Seed corpora, made from corpus/ and tests/fuzz/seeds/ (never copied into
# tests/fuzz/): $(FUZZ_BUILD)/seeds/<target>/.
$(FUZZ_BUILD)/seeds/.stamp: $(FUZZ_SEED_INPUTS)
	@tests/fuzz/prepare-seeds.sh $(FUZZ_BUILD)/seeds
	@touch $@

-include $(FUZZ_LIB_OBJ:.o=.d)
