# cposim — top-level build.  `make` builds build/cposim and libcposim;
# `make check` runs every test (unit, golden, sanitizers, fuzz smoke).
# Dependencies come from Debian packages: see scripts/setup.sh.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
DATADIR   ?= $(PREFIX)/share/cposim
MANDIR    ?= $(PREFIX)/share/man/man1
PCDIR     ?= $(LIBDIR)/pkgconfig

CC        ?= cc
BUILD     ?= build
OPT       ?= -O2 -g
WERROR    ?= 0
SAN       ?=
PKGS      := libfyaml gsl mpi-c plplot sqlite3

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2
ifeq ($(WERROR),1)
WARN      += -Werror
endif
# HYPRE and CHOLMOD ship no pkg-config file on Debian 12
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
              -isystem /usr/include/hypre -isystem /usr/include/suitesparse
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lfyaml -lgsl -lgslcblas -lmpi -lplplot -lsqlite3) \
              -lHYPRE -lcholmod
CFLAGS_ALL := -std=c17 $(OPT) $(WARN) $(SAN) -fopenmp -fPIC -Iinclude -Isrc $(PKG_CFLAGS) \
              -D_DEFAULT_SOURCE -DCPOSIM_DATADIR='"$(DATADIR)"' $(CFLAGS)
LDLIBS_ALL := $(SAN) -fopenmp $(PKG_LIBS) -lm $(LDFLAGS)

LIB_SRC   := $(sort $(wildcard src/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS     := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
HEADERS   := include/cposim.h $(wildcard include/cposim/*.h) $(wildcard src/*.h) $(wildcard src/cli/*.h)

# Everything built depends on the flags it was built with: $(FLAGS) is the
# compile and link command line, kept in $(BUILD)/.flags and rewritten (so
# newer than every object) whenever it changes, e.g. by `make WERROR=1`, a
# different OPT, SAN or CFLAGS.  Without it, such a build reused the objects
# of the previous one and never compiled the library with -Werror.
FLAGS      := $(CC) $(CFLAGS_ALL) $(LDLIBS_ALL)
FLAGS_FILE := $(BUILD)/.flags
ifneq ($(file < $(FLAGS_FILE)),$(FLAGS))
$(shell mkdir -p $(BUILD))
$(file > $(FLAGS_FILE),$(FLAGS))
endif

.PHONY: all run check unit golden asan fuzz fuzz-long bench install installcheck uninstall clean
all: $(BUILD)/cposim $(BUILD)/libcposim.a $(BUILD)/libcposim.so $(BUILD)/cposim.pc

$(BUILD)/%.o: %.c $(HEADERS) $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libcposim.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/libcposim.so: $(LIB_OBJ) $(FLAGS_FILE)
	$(CC) -shared -Wl,-soname,libcposim.so.0 -o $@ $(LIB_OBJ) $(LDLIBS_ALL)

$(BUILD)/cposim: $(CLI_OBJ) $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libcposim.a $(LDLIBS_ALL)

# The .pc names its directories relative to ${prefix} where they are under
# it (pkg-config --define-prefix and PKG_CONFIG_SYSROOT_DIR then relocate it).
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(call pc_rel,$(LIBDIR))|; s|@INCDIR@|$(call pc_rel,$(INCDIR))|; s|@DATADIR@|$(call pc_rel,$(DATADIR))|; s|@VERSION@|$(VERSION)|'

$(BUILD)/cposim.pc: cposim.pc.in $(FLAGS_FILE)
	$(PC_SED) $< > $@

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libcposim.a $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL) -lcmocka

# the CLI's own files (output writing) are tested with its objects, less main()
CLI_LIB_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))
$(BUILD)/tests/test_cli_output: tests/test_cli_output.c tests/testutil.h $(CLI_LIB_OBJ) \
                                $(BUILD)/libcposim.a $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(CLI_LIB_OBJ) $(BUILD)/libcposim.a $(LDLIBS_ALL) -lcmocka

# The main job: the bundled default scenario, then the headline comparison.
run: all
	./$(BUILD)/cposim eval scenarios/default.yaml
	./$(BUILD)/cposim compare scenarios/pluggable-800g-51t.yaml scenarios/bailly-51t.yaml

unit: $(TESTS) $(BUILD)/cposim
	@set -e; for t in $(TESTS); do CPOSIM_DATA=$(CURDIR)/data $$t; done

golden: $(BUILD)/cposim
	sh tests/golden/run.sh $(BUILD)/cposim
	sh scripts/check-docs.sh
	sh tests/sweep/resume.sh $(BUILD)/cposim
	sh tests/sweep/mpi.sh $(BUILD)/cposim

# Full suite: warnings as errors, unit + golden, the HTML report in headless
# Chromium, the same under ASan+UBSan, then a bounded fuzz run of every input
# surface.
check:
	$(MAKE) WERROR=1 unit golden
	sh tests/report/browser.sh $(BUILD)/cposim
	$(MAKE) installcheck
	$(MAKE) asan
	$(MAKE) fuzz
	sh scripts/readme-examples.sh --check
	sh scripts/first-hour.sh --check $(BUILD)/cposim
	@echo "cposim: all checks passed"

asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0 \
	OMPI_MCA_mca_base_component_disable_dlclose=1 \
	$(MAKE) BUILD=build-asan WERROR=1 OPT='-O1 -g' \
	  SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  unit golden

# every input surface (tests/fuzz/run.sh): FUZZ_TIME seconds per harness,
# 9 harnesses; fuzz-long runs each for 10 minutes
FUZZ_TIME ?= 10
fuzz:
	sh tests/fuzz/run.sh $(FUZZ_TIME)

fuzz-long:
	sh tests/fuzz/run.sh 600

bench: all
	$(MAKE) $(BUILD)/bench_eval $(BUILD)/bench_thermal $(BUILD)/bench_thermal_preset
	./$(BUILD)/bench_eval
	sh bench/eval_process.sh $(BUILD)/cposim
	sh bench/thermal.sh $(BUILD)/bench_thermal
	sh bench/thermal_presets.sh $(BUILD)/bench_thermal_preset
	$(MAKE) $(BUILD)/bench_fabric $(BUILD)/bench_reliability
	sh bench/fabric.sh $(BUILD)/bench_fabric
	sh bench/reliability.sh $(BUILD)/bench_reliability $(BUILD)/cposim
	sh bench/sweep.sh $(BUILD)/cposim
	sh bench/uncertainty.sh $(BUILD)/cposim
	sh bench/report.sh $(BUILD)/cposim
	$(MAKE) $(BUILD)/bench_yield
	sh bench/yield.sh $(BUILD)/bench_yield
	sh bench/traffic.sh $(BUILD)/cposim
	$(MAKE) $(BUILD)/hotspot_case
	sh bench/hotspot.sh $(BUILD)/cposim $(BUILD)/hotspot_case

$(BUILD)/bench_reliability: bench/bench_reliability.c $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/bench_yield: bench/bench_yield.c $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/bench_fabric: bench/bench_fabric.c $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/bench_thermal: bench/bench_thermal.c $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/bench_thermal_preset: bench/bench_thermal_preset.c bench/bench.h $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/hotspot_case: bench/hotspot_case.c bench/bench.h $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

$(BUILD)/bench_eval: bench/bench_eval.c bench/bench.h $(BUILD)/libcposim.a $(FLAGS_FILE)
	$(CC) $(CFLAGS_ALL) -O3 -o $@ $< $(BUILD)/libcposim.a $(LDLIBS_ALL)

# Everything the presets refer to goes with them: their includes, and files
# under scenarios/ such as the transient's traces/asic-load-step.csv.
SCENARIO_FILES := $(shell find scenarios -type f -name '*.yaml' -o -type f -name '*.csv')

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	  $(DESTDIR)$(DATADIR)/catalog $(DESTDIR)$(DATADIR)/scenarios \
	  $(DESTDIR)$(MANDIR) $(DESTDIR)$(PCDIR)
	install -m 755 $(BUILD)/cposim $(DESTDIR)$(BINDIR)/
	install -m 644 $(BUILD)/libcposim.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/libcposim.so $(DESTDIR)$(LIBDIR)/libcposim.so.0
	ln -sf libcposim.so.0 $(DESTDIR)$(LIBDIR)/libcposim.so
	install -m 644 include/cposim.h $(DESTDIR)$(INCDIR)/
	install -d $(DESTDIR)$(INCDIR)/cposim
	install -m 644 include/cposim/*.h $(DESTDIR)$(INCDIR)/cposim/
	install -m 644 data/sources.yaml data/requirements.yaml $(DESTDIR)$(DATADIR)/
	install -m 644 data/catalog/*.yaml $(DESTDIR)$(DATADIR)/catalog/
	for f in $(SCENARIO_FILES); do \
	  install -D -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	install -m 644 docs/cposim.1 $(DESTDIR)$(MANDIR)/
	$(PC_SED) cposim.pc.in > $(DESTDIR)$(PCDIR)/cposim.pc
	@# the dynamic linker finds a new libcposim.so.0 only after ldconfig: run
	@# it when installing into the real root as root (not into a DESTDIR)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && command -v ldconfig >/dev/null; then \
	  echo ldconfig; ldconfig; \
	elif [ -z "$(DESTDIR)" ]; then \
	  echo "cposim: run 'ldconfig' as root so that programs find libcposim.so.0"; fi

# The installed copy, staged with DESTDIR, on every preset, and a program
# built against it with pkg-config (shared and static): tests/install.sh.
installcheck: all
	sh tests/install.sh

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cposim $(DESTDIR)$(LIBDIR)/libcposim.* \
	  $(DESTDIR)$(INCDIR)/cposim.h $(DESTDIR)$(MANDIR)/cposim.1 \
	  $(DESTDIR)$(PCDIR)/cposim.pc
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(INCDIR)/cposim

clean:
	rm -rf build build-asan build-fuzz build-clang
