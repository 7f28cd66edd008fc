# Makefile - builds libnewsidx (static and shared), the newsidx command,
# and runs the tests. `make help` lists the targets.

PREFIX ?= /usr/local
# `make V=1` shows the full compiler command lines.
V ?= 0
ifeq ($(V),0)
Q := @
endif
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g

# Debian packages the build and tests need (installed by `make deps`).
DEB_PKGS := gcc g++ make pkg-config libsqlite3-dev libutf8proc-dev libstemmer-dev libjson-c-dev \
            zlib1g-dev libzstd-dev libxml2-dev libxapian-dev xapian-tools check jq sqlite3 libexttextcat-dev libexttextcat-data
PKGS := sqlite3 libutf8proc json-c zlib libzstd
# Only the Xapian engine's module (newsidx-xapian.so) links libxapian; the
# library loads it when a Xapian index is first opened (src/store/xapian_module.c).
XAPIAN_PKG := xapian-core
# Loaded when first needed (src/ingest/libxml.c, src/analyze/textcat.c), not
# linked: a search never uses them, and loading libxml2 with ICU cost every
# process about 4 ms. Their headers are still needed.
PKGS_LOADED := libxml-2.0 libexttextcat

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(PKGS_LOADED) $(XAPIAN_PKG))
# libstemmer ships no pkg-config file.
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lstemmer -lm -pthread -ldl
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 $(WARN) -Iinclude $(PKG_CFLAGS) -fPIC $(CFLAGS) $(SAN)
# The Xapian wrapper (src/xapian/) is the only C++: a module of its own,
# exporting one symbol (nxx_api_get).
CXX ?= c++
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wshadow $(PKG_CFLAGS) -fPIC -fvisibility=hidden \
               $(CFLAGS) $(SAN)
LDFLAGS_ALL = $(LDFLAGS) $(SAN)

LIB_SRC := $(sort $(wildcard src/analyze/*.c src/ingest/*.c src/store/*.c src/query/*.c src/lib/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
SCHEMA := index-schema/fts5-v4.sql

XAPIAN_CXX := $(sort $(wildcard src/xapian/*.cc))
XAPIAN_OBJ := $(XAPIAN_CXX:%.cc=$(BUILD)/%.o)
XAPIAN_MODULE := $(BUILD)/newsidx-xapian.so
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema_fts5.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

SONAME := libnewsidx.so.0
VERSION := 0.1.0

.PHONY: all deps demo test check clean install uninstall help unit print-libs
# `make` alone builds; keep this above every rule.
.DEFAULT_GOAL := all

# What a program linking libnewsidx.a needs after it (tests/e2e/test_api.sh).
print-libs:
	@echo $(PKG_LIBS)

all: $(BUILD)/libnewsidx.a $(BUILD)/libnewsidx.so $(BUILD)/newsidx $(XAPIAN_MODULE)

help:
	@echo "make            build libnewsidx.a, libnewsidx.so, newsidx and the Xapian module into $(BUILD)/"
	@echo "make deps       install the Debian packages the build needs (apt-get, as root)"
	@echo "make demo       deps + build + index corpus/ into ./newsidx.db + example searches"
	@echo "make test       deps + build + all tests; ends with 'N passed, N failed'"
	@echo "make check      the tests again under AddressSanitizer and UBSan (build-san/)"
	@echo "make fuzz       libFuzzer targets (tests/fuzz/README.md); make bench, make eval: bench/README.md"
	@echo "make install    PREFIX=$(PREFIX): binary, libraries, header, pkg-config file, man page"

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all build dependencies are installed"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: missing Debian packages:$$missing"; \
	  echo "deps: as root, run: apt-get update && apt-get install -y$$missing"; exit 1; fi; \
	echo "deps: installing$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# The schema is compiled in as a C string, so the binary needs no data files.
$(BUILD)/gen/schema_fts5.c: $(SCHEMA)
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $(SCHEMA) by the Makefile; do not edit */'; \
	   echo 'extern const char nx_schema_fts5[];'; \
	   echo 'const char nx_schema_fts5[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } > $@

$(BUILD)/gen/schema_fts5.o: $(BUILD)/gen/schema_fts5.c
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libnewsidx.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	$(Q)ar rcs $@ $^

# Only the functions of include/newsidx.h are exported (src/lib/newsidx.map).
$(BUILD)/libnewsidx.so: $(LIB_OBJ) src/lib/newsidx.map
	@echo "  LD      $@"
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/lib/newsidx.map \
	  -o $@ $(LIB_OBJ) $(LDFLAGS_ALL) $(PKG_LIBS)

# Where an installed library finds the Xapian module when not beside it.
$(BUILD)/src/store/xapian_module.o: ALL_CFLAGS += \
  -DNX_XAPIAN_MODULE_PATH='"$(PREFIX)/lib/newsidx/newsidx-xapian.so"'

$(XAPIAN_MODULE): $(XAPIAN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CXX) -shared -o $@ $(XAPIAN_OBJ) $(LDFLAGS_ALL) $(shell pkg-config --libs $(XAPIAN_PKG))

$(BUILD)/newsidx: $(CLI_OBJ) $(BUILD)/libnewsidx.a
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libnewsidx.a $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnewsidx.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Isrc -o $@ $< $(BUILD)/libnewsidx.a $(LDFLAGS_ALL) \
	  $(PKG_LIBS) $(CHECK_LIBS)

unit: $(UNIT_BIN)

test: deps
	@$(MAKE) --no-print-directory all unit
	@BUILD=$(BUILD) tests/run.sh

# The whole suite again with AddressSanitizer (leaks included) and UBSan.
# new_delete_type_mismatch is off because Debian's libxapian 1.4.22 trips it
# inside Xapian::Database::check (newsidx check on a Xapian index), not here.
check: deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all unit
	@BUILD=build-san CK_FORK=no UBSAN_OPTIONS=print_stacktrace=1 \
	  ASAN_OPTIONS=detect_leaks=1:new_delete_type_mismatch=0 tests/run.sh

# Index the shipped corpus into ./newsidx.db and show a few searches.
DEMO_QUERIES := 'Baklanov conditions' 'negotiating' '"security guarantees" -putin'
demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/newsidx index -d newsidx.db corpus/ || [ $$? = 1 ]
	$(BUILD)/newsidx stats -d newsidx.db
	@for q in $(DEMO_QUERIES); do \
	  echo; echo "\$$ newsidx search -n 3 '$$q'"; \
	  $(BUILD)/newsidx search -d newsidx.db -n 3 "$$q" || exit 2; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/newsidx \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/newsidx $(DESTDIR)$(PREFIX)/bin/newsidx
	install -m 644 $(BUILD)/libnewsidx.a $(DESTDIR)$(PREFIX)/lib/libnewsidx.a
	install -m 755 $(XAPIAN_MODULE) $(DESTDIR)$(PREFIX)/lib/newsidx/newsidx-xapian.so
	install -m 755 $(BUILD)/libnewsidx.so $(DESTDIR)$(PREFIX)/lib/libnewsidx.so.$(VERSION)
	ln -sf libnewsidx.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libnewsidx.so
	install -m 644 include/newsidx.h $(DESTDIR)$(PREFIX)/include/newsidx.h
	install -m 644 docs/newsidx.1 $(DESTDIR)$(PREFIX)/share/man/man1/newsidx.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' \
	  src/lib/newsidx.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/newsidx.pc

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/lib/newsidx
	rm -f $(DESTDIR)$(PREFIX)/bin/newsidx $(DESTDIR)$(PREFIX)/lib/libnewsidx.* \
	  $(DESTDIR)$(PREFIX)/include/newsidx.h $(DESTDIR)$(PREFIX)/share/man/man1/newsidx.1 \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/newsidx.pc

clean:
	rm -rf build build-san build-clang build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(XAPIAN_OBJ:.o=.d)

# Larger tool sets keep their rules beside their files.
-include tests/fuzz/fuzz.mk
-include bench/bench.mk
