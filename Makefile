# vq: build, install, test. `make install` and `make test` work on a fresh Debian/Ubuntu machine.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
# fish reads vendor completions from its own data directory (and XDG_DATA_DIRS only when that is set), so install
# where the installed fish looks by default; without fish (or its pkg-config file), under PREFIX.
# fish's own vendor directory for the default PREFIX (fish reads /usr/local/share only when XDG_DATA_DIRS says so);
# under any other PREFIX (a home directory, a scratch prefix) the completion stays inside it.
FISH_COMPLETIONS ?= $(if $(filter /usr/local,$(PREFIX)),$(shell pkg-config --variable=completionsdir fish 2>/dev/null || echo $(PREFIX)/share/fish/vendor_completions.d),$(PREFIX)/share/fish/vendor_completions.d)
FISHDIR = $(DESTDIR)$(FISH_COMPLETIONS)

.PHONY: all deps build release install uninstall test format docs prices bench fuzz clean

all: build

# Installs the system packages the build and the tests need, only when they are missing (the tests run the
# completions in real bash, zsh and fish, lint the man page with mandoc, and run the README's sharding recipes with
# GNU parallel; SQLite and libcrypto's SHA-256 keep the conversation log; botocore's signer checks vq's AWS SigV4;
# libedit is vq chat's line editor). libheif decodes HEVC (HEIC) and AV1 (AVIF)
# and the tests encode both: Debian 12's libheif1 has them built in; later releases ship them as plugins. poppler-glib
# (with cairo) renders and extracts PDF pages; the tests check its output with poppler-utils (pdftotext, pdfinfo),
# encrypt PDFs with qpdf, and need one font for the text of the PDFs they make. FFmpeg's libraries (libavformat,
# libavcodec, libswscale, libavutil) sample videos; the tests and make bench make their videos with the ffmpeg CLI.
deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v zsh >/dev/null 2>&1 || missing="$$missing zsh"; \
	command -v fish >/dev/null 2>&1 || missing="$$missing fish"; \
	command -v mandoc >/dev/null 2>&1 || missing="$$missing mandoc"; \
	[ -r /usr/share/bash-completion/bash_completion ] || missing="$$missing bash-completion"; \
	pkg-config --exists libcurl 2>/dev/null || missing="$$missing libcurl4-openssl-dev"; \
	pkg-config --exists libpng 2>/dev/null || missing="$$missing libpng-dev"; \
	pkg-config --exists libjpeg 2>/dev/null || missing="$$missing libjpeg-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	pkg-config --exists libcrypto 2>/dev/null || missing="$$missing libssl-dev"; \
	parallel --version 2>/dev/null | grep -q 'GNU parallel' || missing="$$missing parallel"; \
	pkg-config --exists openssl 2>/dev/null || missing="$$missing libssl-dev"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	python3 -c 'import botocore.auth' 2>/dev/null || missing="$$missing python3-botocore"; \
	python3 -c 'from jsonschema import Draft202012Validator' 2>/dev/null || missing="$$missing python3-jsonschema"; \
	pkg-config --exists libwebpdemux 2>/dev/null || missing="$$missing libwebp-dev"; \
	pkg-config --exists libgif 2>/dev/null || missing="$$missing libgif-dev"; \
	pkg-config --exists libheif 2>/dev/null || missing="$$missing libheif-dev"; \
	pkg-config --exists libtiff-4 2>/dev/null || missing="$$missing libtiff-dev"; \
	pkg-config --exists libedit 2>/dev/null || missing="$$missing libedit-dev"; \
	pkg-config --exists poppler-glib 2>/dev/null || missing="$$missing libpoppler-glib-dev"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v qpdf >/dev/null 2>&1 || missing="$$missing qpdf"; \
	pkg-config --exists libavformat 2>/dev/null || missing="$$missing libavformat-dev"; \
	pkg-config --exists libavcodec 2>/dev/null || missing="$$missing libavcodec-dev"; \
	pkg-config --exists libswscale 2>/dev/null || missing="$$missing libswscale-dev"; \
	pkg-config --exists libavutil 2>/dev/null || missing="$$missing libavutil-dev"; \
	command -v ffmpeg >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	fc-list 2>/dev/null | grep -q . || missing="$$missing fonts-dejavu-core"; \
	for plugin in libheif-plugin-libde265 libheif-plugin-dav1d libheif-plugin-aomdec libheif-plugin-x265 libheif-plugin-aomenc; do \
		apt-cache show $$plugin >/dev/null 2>&1 && ! dpkg -s $$plugin >/dev/null 2>&1 && missing="$$missing $$plugin"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation are linked statically: it halves start-up CPU (fewer shared objects to relocate).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

install: release
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 -s "$$($(SWIFT) build -c release --show-bin-path)/vq" $(BINDIR)/vq
	install -m 644 man/vq.1 $(MANDIR)/vq.1
	install -m 644 completions/vq.bash $(BASHDIR)/vq
	install -m 644 completions/_vq $(ZSHDIR)/_vq
	install -m 644 completions/vq.fish $(FISHDIR)/vq.fish

uninstall:
	rm -f $(BINDIR)/vq $(MANDIR)/vq.1 $(BASHDIR)/vq $(ZSHDIR)/_vq $(FISHDIR)/vq.fish

test: deps
	$(SWIFT) format lint --strict --recursive --configuration .swift-format Sources Tests
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Formats Sources and Tests as `make test` checks them (.swift-format: swift-format from the Swift toolchain).
format:
	$(SWIFT) format format -i --recursive --parallel --configuration .swift-format Sources Tests

# Regenerates man/vq.1 and completions/* from the option table (a test fails when they are stale).
docs: build
	"$$($(SWIFT) build --show-bin-path)/vq" _man > man/vq.1
	"$$($(SWIFT) build --show-bin-path)/vq" completions bash > completions/vq.bash
	"$$($(SWIFT) build --show-bin-path)/vq" completions zsh > completions/_vq
	"$$($(SWIFT) build --show-bin-path)/vq" completions fish > completions/vq.fish

# Regenerates the bundled price table (Sources/VisionQuery/Pricing/BundledPrices.swift, dated today) from LiteLLM's
# model_prices_and_context_window.json (MIT): a URL or a local copy, e.g. the one inside the litellm wheel
# (make prices LITELLM_PRICES=litellm/model_prices_and_context_window_backup.json LITELLM_LABEL="LiteLLM 1.110.2 ...").
LITELLM_PRICES ?= https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json
LITELLM_LABEL ?= LiteLLM model_prices_and_context_window.json
prices:
	python3 tools/prices/generate.py "$(LITELLM_PRICES)" --label "$(LITELLM_LABEL)"

# libFuzzer with AddressSanitizer, FUZZ_SECONDS per target (not part of CI). New corpus inputs stay in
# .build-fuzz/corpus; a crash is written to Tests/Fuzz/regressions/TARGET/, which `make test` replays once fixed.
# Leak detection is off for `config` only: TOMLKit 0.6.0 leaks the key array of every table it iterates
# (TOMLTable.keys mallocs in C and never frees; kept as Tests/Fuzz/regressions/config/tomlkit-keys-leak).
# Leaks inside system libraries (libheif's dav1d plugin; fontconfig and cairo under poppler) are suppressed by Tests/Fuzz/lsan.supp.
# `framers` (the SSE/NDJSON line limit) runs under a memory limit: buffering a hostile line without bound fails it.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = sse ndjson framers openai masterpiecex providers argv config image webp gif heif tiff pdf
fuzz: deps
	VQ_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz --product VQFuzz \
		-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t; \
		leaks=1; [ $$t = config ] && leaks=0; \
		limits=""; [ $$t = framers ] && limits="-rss_limit_mb=512 -malloc_limit_mb=64"; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		VQ_FUZZ_TARGET=$$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=$$leaks LSAN_OPTIONS=suppressions=Tests/Fuzz/lsan.supp .build-fuzz/debug/VQFuzz .build-fuzz/corpus/$$t Tests/Fuzz/corpus/$$t \
			-max_total_time=$(FUZZ_SECONDS) -detect_leaks=$$leaks $$limits -artifact_prefix=Tests/Fuzz/regressions/$$t/ 2>&1 \
			| grep -E "^#[0-9]+.*DONE|ERROR|SUMMARY|Test unit written"; \
	done

bench: release
	bash bench/run.sh

clean:
	rm -rf .build .build-*
