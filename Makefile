# winnow: filters that clean scraped news archives.
#
#   make demo      install what is missing, build, run the pipeline on testdata/archive
#   make check     install what is missing, build, run every test
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan
#   make bench     speed against cat, zcat, gzip, igzip, zstd and uconv in the same run
#   make eval      quality on the corpora in ../shared/corpora (or $WINNOW_CORPORA)
#   make fuzz      build the libFuzzer targets (clang)
#   make install PREFIX=/usr/local DESTDIR=
#   make dist      a source tarball of the files in MANIFEST

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
DATADIR ?= $(PREFIX)/share/winnow
VERSION = $(shell sed -n 's/^#define WN_VERSION "\(.*\)"/\1/p' filters/lib/compat.h)

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes

ifeq ($(SANITIZE),1)
O = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
O = build/rel
SANFLAGS =
# Link-time optimisation: the filters' hot loops call into the record
# library (tokeniser, maps, JSON) for every token.
LTOFLAGS ?= -flto=auto
endif

# Flags are found at build time, after scripts/install-deps has run.
PKGS = icu-uc icu-i18n libpcre2-8 zlib libxxhash libzstd
HAVE_ISAL = $(shell pkg-config --exists libisal && echo 1)
DEPCFLAGS = $(shell pkg-config --cflags $(PKGS)) $(if $(HAVE_ISAL),-DHAVE_ISAL)
DEPLIBS = $(shell pkg-config --libs $(PKGS)) $(if $(HAVE_ISAL),-lisal) -lstemmer -lpthread -lm

# A plain make on a machine without the libraries stops with what to do,
# not with a compiler's missing header.  The targets that run
# scripts/install-deps first, and those that compile nothing, pass.
SETUP_GOALS = deps check demo bench eval fuzz clean dist install-list
ifneq ($(filter-out $(SETUP_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes),yes)
$(error libraries missing (pkg-config finds no $(PKGS)): run scripts/install-deps, or make check, which runs it first)
endif
endif
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) $(LTOFLAGS) $(DEPCFLAGS) -Ifilters/lib
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) $(LTOFLAGS)

# The record library: what two or more filters use.
LIBSRC = afile.c bfile.c buf.c cli.c cpage.c dfile.c fmap.c json.c legacy.c msg.c rec.c rx.c shuffle.c tok.c uni.c utf8.c zio.c zlines.c
LIBOBJ = $(LIBSRC:%.c=$(O)/lib/%.o)
LIBHDR = $(wildcard filters/lib/*.h)
LIB = $(O)/libwinnow.a
# Where df_path looks for the data files make install puts there.
$(O)/lib/dfile.o: ALL_CFLAGS += -DWN_DATADIR='"$(DATADIR)"'

# Each filter lives in filters/NAME/ and lists its own objects.
# winnow-ingest writes records but reads folders: it is built, tested and
# installed as the filters are.
FILTERS = normalize dedupe-boilerplate extract-names tag-topics winnow-ingest
normalize_SRC = normalize.c textnorm.c htmlent.c
dedupe-boilerplate_SRC = classify.c counts.c dedupe-boilerplate.c dedupe.c fprint.c hmap.c hugeheap.c rules.c
dedupe-boilerplate_DATA = model.txt rules.txt
extract-names_SRC = corpus.c doc.c extract-names.c lexicon.c names.c tagger.c train.c
extract-names_DATA = clusters.txt gazetteer.txt names.model
tag-topics_SRC = model.c tag-topics.c taxonomy.c terms.c
tag-topics_LIBS = -llinear
tag-topics_DATA = taxonomy.txt
winnow-ingest_SRC = html.c winnow-ingest.c
# The tagger's loops over 17 tags are vectorised at -O3 (about 13% fewer
# instructions a record than at -O2).
$(O)/obj/extract-names/tagger.o: ALL_CFLAGS += -O3

# Programs that are scripts, in filters/NAME/NAME, copied beside the filters
# (where they look for them first).
SCRIPTS = winnow-run
BINS = $(FILTERS:%=$(O)/%) $(SCRIPTS:%=$(O)/%)
# Shipped data, as paths under filters/ and under $(DATADIR).
DATAFILES = $(foreach f,$(FILTERS),$(addprefix $(f)/,$($(f)_DATA)))
TESTBINS = $(O)/unit $(O)/unit_shared $(O)/unit_names $(O)/unit_dedupe $(O)/jsondiff $(O)/passthrough $(O)/gencorpus $(O)/inject.so \
    $(O)/bpeval $(O)/dedupe-train $(O)/namescore $(O)/topicsdata

.PHONY: all tests check demo bench eval fuzz install install-list dist clean deps
# Keep the objects of the filters between runs.
.SECONDARY:

all: $(BINS)
tests: $(BINS) $(TESTBINS)

$(O)/lib/%.o: filters/lib/%.c $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/obj/%.o: filters/%.c $(LIBHDR) $(wildcard filters/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ifilters/$(*D) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

# $(O)/NAME links filters/NAME/*.o from NAME_SRC with the library.
define filter_rule
$(O)/$(1): $$($(1)_SRC:%.c=$(O)/obj/$(1)/%.o) $(O)/lib/main.o $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$($(1)_SRC:%.c=$(O)/obj/$(1)/%.o) $(O)/lib/main.o $(LIB) $$(DEPLIBS) $$($(1)_LIBS)
endef
$(foreach f,$(FILTERS),$(eval $(call filter_rule,$(f))))

define script_rule
$(O)/$(1): filters/$(1)/$(1) filters/lib/compat.h
	@mkdir -p $$(@D)
	sed 's/@VERSION@/$(VERSION)/' $$< >$$@ && chmod 755 $$@
endef
$(foreach s,$(SCRIPTS),$(eval $(call script_rule,$(s))))

$(O)/unit: tests/unit.c tests/rng.h tests/utf8model.h filters/normalize/htmlent.c $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) -Ifilters/normalize $(ALL_LDFLAGS) -o $@ tests/unit.c filters/normalize/htmlent.c $(LIB) $(DEPLIBS)

$(O)/unit_shared: tests/unit_shared.c tests/rng.h tests/expect.h $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/unit_shared.c $(LIB) $(DEPLIBS)

# extract-names' parts without its main.
NAMES_PARTS = $(filter-out $(O)/obj/extract-names/extract-names.o,$(extract-names_SRC:%.c=$(O)/obj/extract-names/%.o))
$(O)/unit_names: tests/unit_names.c tests/expect.h $(NAMES_PARTS) $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) -Ifilters/extract-names $(ALL_LDFLAGS) -o $@ tests/unit_names.c $(NAMES_PARTS) $(LIB) $(DEPLIBS)

$(O)/jsondiff: tests/jsondiff.c tests/rng.h tests/utf8model.h $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/jsondiff.c $(LIB) $(DEPLIBS) -ljansson

$(O)/namescore: tests/namescore.c $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/namescore.c $(LIB) $(DEPLIBS) -ljansson

$(O)/topicsdata: tests/topicsdata.c $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/topicsdata.c $(LIB) $(DEPLIBS) -ljansson

$(O)/bpeval: tests/bpeval.c $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/bpeval.c $(LIB) $(DEPLIBS)

# The trainer of dedupe-boilerplate's line model and its unit tests run the
# filter's engine.
DEDUPE_ENGINE = $(patsubst %.c,$(O)/obj/dedupe-boilerplate/%.o,$(filter-out dedupe-boilerplate.c,$(dedupe-boilerplate_SRC)))
$(O)/unit_dedupe: tests/unit_dedupe.c tests/rng.h tests/expect.h $(DEDUPE_ENGINE) $(LIB) $(LIBHDR) $(wildcard filters/dedupe-boilerplate/*.h)
	$(CC) $(ALL_CFLAGS) -Ifilters/dedupe-boilerplate $(ALL_LDFLAGS) -o $@ tests/unit_dedupe.c $(DEDUPE_ENGINE) $(LIB) $(DEPLIBS)

$(O)/dedupe-train: tests/dedupe-train.c $(DEDUPE_ENGINE) $(O)/lib/main.o $(LIB) $(LIBHDR) $(wildcard filters/dedupe-boilerplate/*.h)
	$(CC) $(ALL_CFLAGS) -Ifilters/dedupe-boilerplate $(ALL_LDFLAGS) -o $@ tests/dedupe-train.c $(DEDUPE_ENGINE) $(O)/lib/main.o $(LIB) $(DEPLIBS)

$(O)/passthrough: tests/passthrough.c $(O)/lib/main.o $(LIB) $(LIBHDR)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/passthrough.c $(O)/lib/main.o $(LIB) $(DEPLIBS)

# Loaded into sanitized programs too, so built without the sanitizers.
$(O)/inject.so: tests/inject.c
	$(CC) $(CFLAGS) -Wall -Wextra -shared -fPIC -o $@ tests/inject.c -ldl

$(O)/gencorpus: tests/gencorpus.c
	$(CC) $(WARN) $(CFLAGS) $(SANFLAGS) -o $@ tests/gencorpus.c

deps:
	@scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory tests
	@O=$(O) tests/run

demo: deps
	@$(MAKE) --no-print-directory all $(O)/passthrough
	@O=$(O) scripts/demo

bench: deps
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory tests
	@O=$(O) scripts/bench

eval: deps
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory all
	@O=$(O) scripts/eval

FUZZFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined $(DEPCFLAGS) -Ifilters/lib
FUZZERS = build/fuzz/fuzz_json build/fuzz/fuzz_normalize build/fuzz/fuzz_dedupe $(NAMES_FUZZERS) \
    $(TOPICS_FUZZERS) build/fuzz/fuzz_ingest build/fuzz/fuzz_train
NAMES_FUZZERS = build/fuzz/fuzz_names build/fuzz/fuzz_names_model
fuzz:
	@scripts/install-deps --fuzz
	@$(MAKE) --no-print-directory $(FUZZERS)

build/fuzz/fuzz_json: tests/fuzz_json.c $(LIBSRC:%=filters/lib/%) $(LIBHDR)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -o $@ $< $(LIBSRC:%=filters/lib/%) $(DEPLIBS)

NORMALIZE_ENGINE = $(patsubst %,filters/normalize/%,$(filter-out normalize.c,$(normalize_SRC)))
build/fuzz/fuzz_normalize: tests/fuzz_normalize.c $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(NORMALIZE_ENGINE)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/normalize -o $@ $< $(NORMALIZE_ENGINE) $(LIBSRC:%=filters/lib/%) $(DEPLIBS)

DEDUPE_FUZZ_SRC = $(patsubst %,filters/dedupe-boilerplate/%,$(filter-out dedupe-boilerplate.c,$(dedupe-boilerplate_SRC)))
build/fuzz/fuzz_dedupe: tests/fuzz_dedupe.c $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(DEDUPE_FUZZ_SRC) $(wildcard filters/dedupe-boilerplate/*.h)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/dedupe-boilerplate -DRULES_PATH='"$(CURDIR)/filters/dedupe-boilerplate/rules.txt"' \
		-DMODEL_PATH='"$(CURDIR)/filters/dedupe-boilerplate/model.txt"' \
		-o $@ $< $(DEDUPE_FUZZ_SRC) $(LIBSRC:%=filters/lib/%) $(DEPLIBS)

INGEST_ENGINE = $(patsubst %,filters/winnow-ingest/%,$(filter-out winnow-ingest.c,$(winnow-ingest_SRC)))
build/fuzz/fuzz_ingest: tests/fuzz_ingest.c $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(INGEST_ENGINE) filters/winnow-ingest/html.h
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/winnow-ingest -o $@ $< $(INGEST_ENGINE) $(LIBSRC:%=filters/lib/%) $(DEPLIBS)

# extract-names' fuzzers train a model at start from the small invented
# set the tests use (or load $$NAMES_MODEL).
NAMES_FUZZ_SRC = $(patsubst %,filters/extract-names/%,$(filter-out extract-names.c,$(extract-names_SRC)))
NAMES_FUZZ_DATA = -DGAZETTEER_PATH='"$(CURDIR)/testdata/names-train/lexicon/gazetteer.txt"' \
	-DCLUSTERS_PATH='"$(CURDIR)/testdata/names-train/lexicon/clusters.txt"' \
	-DTRAIN_PATH='"$(CURDIR)/testdata/names-train/train.conll"'
$(NAMES_FUZZERS): build/fuzz/%: tests/%.c tests/fuzz_child.h $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(NAMES_FUZZ_SRC) $(wildcard filters/extract-names/*.h)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/extract-names $(NAMES_FUZZ_DATA) -o $@ $< $(NAMES_FUZZ_SRC) \
		$(LIBSRC:%=filters/lib/%) $(DEPLIBS) -ljansson

# tag-topics' fuzzer scores against the small invented taxonomy the tests use.
TOPICS_FUZZERS = build/fuzz/fuzz_topics
TOPICS_FUZZ_SRC = $(patsubst %,filters/tag-topics/%,$(filter-out tag-topics.c,$(tag-topics_SRC)))
$(TOPICS_FUZZERS): build/fuzz/%: tests/%.c tests/fuzz_child.h $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(TOPICS_FUZZ_SRC) $(wildcard filters/tag-topics/*.h)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/tag-topics -DTAXONOMY_PATH='"$(CURDIR)/testdata/topics/news.txt"' \
		-o $@ $< $(TOPICS_FUZZ_SRC) $(LIBSRC:%=filters/lib/%) $(DEPLIBS) $(tag-topics_LIBS)

# The trainers' fuzzer reads both filters' training data; extract-names'
# with the small lexicon the tests use.
build/fuzz/fuzz_train: tests/fuzz_train.c tests/fuzz_child.h $(LIBSRC:%=filters/lib/%) $(LIBHDR) $(NAMES_FUZZ_SRC) \
    $(TOPICS_FUZZ_SRC) $(wildcard filters/extract-names/*.h filters/tag-topics/*.h)
	@mkdir -p $(@D)
	clang $(FUZZFLAGS) -Ifilters/extract-names -Ifilters/tag-topics $(NAMES_FUZZ_DATA) -o $@ $< \
		$(NAMES_FUZZ_SRC) $(TOPICS_FUZZ_SRC) $(LIBSRC:%=filters/lib/%) $(DEPLIBS) $(tag-topics_LIBS)

# Each filter's shipped data (NAME_DATA, in filters/NAME/) goes to
# $(DATADIR)/NAME/, where dfile's df_path finds it.
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	for f in $(FILTERS) $(SCRIPTS); do \
		cp $(O)/$$f $(DESTDIR)$(BINDIR)/$$f && chmod 755 $(DESTDIR)$(BINDIR)/$$f && \
		cp filters/$$f/$$f.1 $(DESTDIR)$(MANDIR)/$$f.1 && chmod 644 $(DESTDIR)$(MANDIR)/$$f.1 || exit 1; \
	done
	for d in $(DATAFILES); do \
		mkdir -p $(DESTDIR)$(DATADIR)/$$(dirname $$d) && \
		cp filters/$$d $(DESTDIR)$(DATADIR)/$$d && chmod 644 $(DESTDIR)$(DATADIR)/$$d || exit 1; \
	done

# The names make install writes, one a line, for tests/t-install.sh.
install-list:
	@for f in $(FILTERS) $(SCRIPTS); do echo "bin/$$f"; echo "share/man/man1/$$f.1"; done
	@for d in $(DATAFILES); do echo "share/winnow/$$d"; done

dist:
	rm -rf build/winnow-$(VERSION)
	mkdir -p build/winnow-$(VERSION)
	tar -cf - -T MANIFEST | tar -xf - -C build/winnow-$(VERSION)
	tar -C build -czf build/winnow-$(VERSION).tar.gz winnow-$(VERSION)
	@echo build/winnow-$(VERSION).tar.gz

clean:
	rm -rf build
