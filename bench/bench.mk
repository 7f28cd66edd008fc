# bench/bench.mk - `make bench` (speed and size against other tools) and
# `make eval` (ranking quality). Included by the top Makefile; uses its
# BUILD, CC, ALL_CFLAGS, LDFLAGS_ALL and PKG_LIBS. See bench/README.md.
#
#   make bench                         quick run (BENCH_SIZES, default below)
#   make bench BENCH_SIZES="100M 1G"   generated archives of 100 MB and 1 GB
#   make eval                          TIME collection + Reuters known-item
#   make bench-deps                    install the peers' Debian packages
#   make bench-clean                   remove bench/work (data and indexes)
#   make dupes                         near-duplicate detection: quality, speed, memory
#
# BENCH_DATA: the shared data folder (default: ../shared/data from the repo
# root); the harness skips with a message when it is missing.
# BENCH_WORK: where generated archives and indexes go (default bench/work).
# BENCH_PEERS: a subset of peers, e.g. "newsidx sqlite-fts5".
# BENCH_QUERIES: how many TREC efficiency queries (default 1000).

PYTHON ?= python3
BENCH_SIZES ?= reuters
BENCH_DATA ?=
BENCH_WORK ?= bench/work
BENCH_PEERS ?=
BENCH_QUERIES ?= 1000
BENCH_SEED ?= 1

# Debian packages of the peers and the measuring tools.
BENCH_DEB_PKGS := time python3 sqlite3 xapian-tools xapian-omega ripgrep

BENCH_ARGS = --build $(BUILD) --work $(BENCH_WORK) --seed $(BENCH_SEED) \
  $(if $(BENCH_DATA),--data $(BENCH_DATA)) $(if $(BENCH_PEERS),--peers "$(BENCH_PEERS)")

.PHONY: bench eval bench-deps bench-clean bench-test

# Missing peer packages are installed as root; as another user the command
# is printed and the run goes on without the missing peers.
bench-deps:
	@missing=""; for p in $(BENCH_DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "bench-deps: all peer packages are installed"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "bench-deps: missing Debian packages:$$missing"; \
	  echo "bench-deps: as root, run: apt-get update && apt-get install -y$$missing"; \
	  echo "bench-deps: going on without them (their peers are skipped)"; exit 0; fi; \
	echo "bench-deps: installing$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

$(BUILD)/bench/qbench: bench/qbench.c $(BUILD)/libnewsidx.a include/newsidx.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ bench/qbench.c $(BUILD)/libnewsidx.a $(LDFLAGS_ALL) $(PKG_LIBS)

bench: deps bench-deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/qbench $(BUILD)/bench/dupeval
	@$(PYTHON) bench/bench.py $(BENCH_ARGS) --sizes "$(BENCH_SIZES)" --queries $(BENCH_QUERIES)

# The evaluator's own tests run first: a wrong MAP would make every number wrong.
bench-test:
	@cd bench && $(PYTHON) -m unittest -q test_evaluate

eval: deps bench-deps bench-test
	@$(MAKE) --no-print-directory all
	@$(PYTHON) bench/run_eval.py $(BENCH_ARGS)

bench-clean:
	rm -rf $(BENCH_WORK)

# `make dupes`: near-duplicate ("wire copy") detection, src/analyze/minhash.c
# and src/lib/dupindex.c, on a set bench/dupes.py builds from Reuters-21578:
# pairwise precision and recall, time per article, a sweep of the thresholds
# (in file order and in date order), the chosen point at other shingle
# lengths (DUPES_K), and memory at a million articles. Markdown on stdout and
# in $(BENCH_WORK)/dupes/results.md; skipped with a message without the data.
DUPES_DIR = $(BENCH_WORK)/dupes
DUPES_K ?= 3 5 6

.PHONY: dupes

$(BUILD)/bench/dupeval: bench/dupeval.c $(BUILD)/libnewsidx.a src/analyze/minhash.h src/lib/dupindex.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ bench/dupeval.c $(BUILD)/libnewsidx.a $(LDFLAGS_ALL) $(PKG_LIBS)

# dupeval with another shingle length compiled into its own copies of the two
# modules (the library's are then not linked in).
$(BUILD)/bench/dupeval-k%: bench/dupeval.c src/analyze/minhash.c src/lib/dupindex.c \
  $(BUILD)/libnewsidx.a src/analyze/minhash.h src/lib/dupindex.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DNX_MH_SHINGLE=$* -o $@ bench/dupeval.c src/analyze/minhash.c \
	  src/lib/dupindex.c $(BUILD)/libnewsidx.a $(LDFLAGS_ALL) $(PKG_LIBS)

dupes: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/dupeval $(DUPES_K:%=$(BUILD)/bench/dupeval-k%)
	@rm -f $(DUPES_DIR)/dupes.jsonl
	@$(PYTHON) bench/dupes.py --out $(DUPES_DIR) --seed $(BENCH_SEED) $(if $(BENCH_DATA),--data $(BENCH_DATA))
	@[ ! -f $(DUPES_DIR)/dupes.jsonl ] || { \
	  out=$(DUPES_DIR)/results.md; : > $$out; \
	  step() { "$$@" > $$out.part || { cat $$out.part; exit 2; }; cat $$out.part >> $$out; \
	           cat $$out.part; }; \
	  step $(BUILD)/bench/dupeval -s -f 20 $(DUPES_DIR); echo | tee -a $$out; \
	  step $(BUILD)/bench/dupeval -s -o date $(DUPES_DIR); echo | tee -a $$out; \
	  { echo "## Shingle length, chosen thresholds"; echo; \
	    echo "| k | order | precision | recall | F1 | recall (made copies) | recall (Reuters dups) | µs/article | s/MB |"; \
	    echo "|---|---|---|---|---|---|---|---|---|"; } | tee -a $$out; \
	  step $(BUILD)/bench/dupeval -b $(DUPES_DIR); \
	  step $(BUILD)/bench/dupeval -b -o date $(DUPES_DIR); \
	  for k in $(DUPES_K); do step $(BUILD)/bench/dupeval-k$$k -b $(DUPES_DIR); \
	    step $(BUILD)/bench/dupeval-k$$k -b -o date $(DUPES_DIR); done; \
	  printf '\n## The index at a million articles\n\n' | tee -a $$out; \
	  step $(BUILD)/bench/dupeval -m 1000000; rm -f $$out.part; }
