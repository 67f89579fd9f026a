# asl - Amazon States Language for Unix.  One non-recursive Makefile.
#
#   make                 build lib/libasl.a and every program of cmd/
#   make check           every test; ends with "N passed, N failed"
#   make check SANITIZE=1   the same, built with ASan and UBSan
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make deps            install the Debian packages the build and tests need
#   make demo            run the example workflow
#   make conformance     score the engine against ../shared/conformance
#   make bench           benchmarks (never part of make check)
#   make crashtest       kill -9 and resume 200 runs (CRASH_RUNS=N), then
#                        100 rounds of races between drivers
#                        (RACE_ROUNDS=N); a short version of each is
#                        part of make check
#   make fuzz            every libFuzzer target of fuzz/, FUZZ_SECONDS
#                        each (default 600), built with clang into
#                        build-fuzz/; make check runs each 3 s from its
#                        seeds when clang is there (FUZZ_SMOKE= to skip),
#                        and replays every seed through the targets

VERSION	= 0.9.0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
CC	?= cc

WARN	= -Wall -Wextra -Werror
CSTD	= -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT	?= -O2 -g
ifeq ($(FUZZ),1)
# libFuzzer's instrumentation: the library and the targets, with clang
CC	= clang
BUILD	?= build-fuzz
OPT	= -O1 -g -fno-omit-frame-pointer
SAN	= -fsanitize=fuzzer-no-link,address,undefined \
	  -fno-sanitize-recover=undefined
# libFuzzer's convention: lower limits where ASan makes them too slow
CFLAGS	+= -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
else ifeq ($(SANITIZE),1)
BUILD	?= build-san
OPT	= -O1 -g -fno-omit-frame-pointer
SAN	= -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
BUILD	?= build
SAN	=
endif

CFLAGS	+= $(CSTD) $(WARN) $(OPT) $(SAN) -Ilib -DASL_VERSION='"$(VERSION)"'
LDFLAGS	+= $(SAN)
LDLIBS	= -ljq -lyaml -lcurl -lmicrohttpd -lz -lm

# lib/ and its subdirectories (one per part of the engine that needs
# several files: lib/exec/, lib/jsonata/) make one archive.  The archive
# knows its members by their base names, so no two may share one.
LIB_SRC	= $(wildcard lib/*.c lib/*/*.c)
LIB_OBJ	= $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
LIB	= $(BUILD)/libasl.a
ifneq ($(words $(notdir $(LIB_SRC))),$(words $(sort $(notdir $(LIB_SRC)))))
$(error two files of lib/ share a base name: $(sort $(notdir $(LIB_SRC))))
endif
# A program is cmd/NAME.c, or the files of cmd/NAME/ (the driver's verbs).
CMD_SRC	= $(wildcard cmd/*.c cmd/*/*.c)
CMD_ONE	= $(wildcard cmd/*.c)
CMD_DIRS = $(patsubst cmd/%/,%,$(wildcard cmd/*/))
PROGS	= $(CMD_ONE:cmd/%.c=$(BUILD)/bin/%) $(CMD_DIRS:%=$(BUILD)/bin/%)
UNIT_SRC = $(wildcard t/unit/*.c)
UNITS	= $(UNIT_SRC:t/unit/%.c=$(BUILD)/t/%)
BENCH_SRC = $(filter-out bench/harness.c,$(wildcard bench/*.c))
BENCHES	= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC = $(filter-out fuzz/replay.c,$(wildcard fuzz/*.c))
FUZZERS	= $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
# A target links libFuzzer's main under FUZZ=1, and fuzz/replay.c's (run
# each file given once) in the other builds, where make check replays
# the seeds and findings through it.
ifeq ($(FUZZ),1)
FUZZ_MAIN =
FUZZ_LINK = -fsanitize=fuzzer
else
FUZZ_MAIN = $(BUILD)/fuzz/replay.o
FUZZ_LINK =
endif
MANS	= $(wildcard doc/*.[1-9])
DEPS	= libjq-dev libyaml-dev libcurl4-openssl-dev libmicrohttpd-dev zlib1g-dev bats \
	  mandoc graphviz jq python3 awscli python3-boto3 clang

all: $(PROGS)

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The archive is rebuilt when a module is added or removed, not only when
# one changes: a removed module must not linger in it.
$(BUILD)/lib-sources: FORCE
	@mkdir -p $(@D)
	@echo '$(LIB_SRC)' | cmp -s - $@ || echo '$(LIB_SRC)' > $@

$(LIB): $(LIB_OBJ) $(BUILD)/lib-sources
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

define cmd_dir
$$(BUILD)/bin/$(1): $$(patsubst cmd/%.c,$$(BUILD)/cmd/%.o,$$(wildcard cmd/$(1)/*.c)) $$(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach d,$(CMD_DIRS),$(eval $(call cmd_dir,$(d))))

# Test drivers: small C programs that expose a lib function to bats tests.
$(BUILD)/t/%.o: t/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/t/%: $(BUILD)/t/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Microbenchmarks: programs that drive the library in-process, and the
# reference programs they are compared with.  make check builds them (so
# that they keep compiling) but never runs them.
$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibench -MMD -MP -c -o $@ $<

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/bench/harness.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer targets (make FUZZ=1 fuzzers), or their replayers.
$(BUILD)/fuzz/%.o: fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ifuzz -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(FUZZ_MAIN) $(LIB)
	$(CC) $(LDFLAGS) $(FUZZ_LINK) -o $@ $^ $(LDLIBS)

fuzzers: $(FUZZERS)

fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 CC=clang BUILD=build-fuzz fuzzers
	@fuzz/run build-fuzz $${FUZZ_SECONDS:-600}

-include $(LIB_OBJ:.o=.d) $(CMD_SRC:cmd/%.c=$(BUILD)/cmd/%.d) $(UNITS:=.d) \
	$(BENCHES:=.d) $(BUILD)/bench/harness.d $(FUZZERS:=.d) \
	$(BUILD)/fuzz/replay.d

# The fuzz smoke of make check: build-fuzz/, made once and then only
# what changed, whatever BUILD this check is for.
CLANG	:= $(shell command -v clang 2>/dev/null)
FUZZ_SMOKE ?= $(if $(CLANG),build-fuzz)

check: all $(UNITS) $(BENCHES) $(FUZZERS) $(if $(FUZZ_SMOKE),fuzz-smoke)
	@BUILD=$(BUILD) FUZZ_SMOKE=$(FUZZ_SMOKE) t/run-tests

fuzz-smoke:
	@$(MAKE) --no-print-directory FUZZ=1 CC=clang BUILD=$(FUZZ_SMOKE) \
	    fuzzers

lint-man:
	@for m in $(MANS); do mandoc -Tlint -W warning $$m || exit 1; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	for m in $(MANS); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done

deps:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq build-essential $(DEPS); \
	else \
		echo "run as root: apt-get install build-essential $(DEPS)"; \
	fi

demo: all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" examples/demo

conformance: all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" t/conformance/check

CRASH_RUNS ?= 200
RACE_ROUNDS ?= 100
crashtest: all
	@BUILD=$(BUILD) t/crashtest $(CRASH_RUNS)
	@BUILD=$(BUILD) t/racetest $(RACE_ROUNDS)

bench: all $(BENCHES)
	@PATH="$(CURDIR)/$(BUILD)/bin:$(CURDIR)/$(BUILD)/bench:$$PATH" bench/run

clean:
	rm -rf build build-san build-fuzz

FORCE:

.PHONY: fuzz fuzzers fuzz-smoke all check lint-man install deps demo conformance crashtest bench clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:
