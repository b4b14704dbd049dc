# The README's commands. Everything a fresh machine needs is installed from here.
.PHONY: all build test run publish bench restore clean conformance-deps tmux tui-demo systemd-analyze s3-deps fuzz

DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

all: build

restore:
	$(DOTNET) restore Isko.sln

build: restore
	$(DOTNET) build Isko.sln --no-restore -c Debug

# The terminal UI's end-to-end tests run the UI in a real terminal: tmux. Does nothing when present.
tmux:
	@tmux -V >/dev/null 2>&1 || (apt-get update && apt-get install -y tmux)

# The scheduled-backup tests check the unit files 'isko schedule install' writes with systemd-analyze
# verify (it needs no running systemd). Does nothing when present; the test says so when it is missing.
systemd-analyze:
	@systemd-analyze --version >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends systemd) || echo "systemd-analyze not installable: the unit file check will be skipped"

# The off-box tests' real S3 server: s3rver from npm, pinned by tests/s3/package-lock.json.
s3-deps:
	@bash tests/s3/start.sh --install-only

# Restores, builds and runs every test project, then prints "N passed, M failed".
test: restore tmux systemd-analyze s3-deps
	bash eng/test.sh

# The app compiled ahead of time (ReadyToRun, for this machine's runtime identifier) into .out/isko,
# so its first frame does not wait for the JIT: about a third of the CPU time to the first frame.
# The runtime pack and crossgen2 come from the package feed on the first publish.
RID ?= $(shell $(DOTNET) --info 2>/dev/null | awk '/^ *RID:/ { print $$2; exit }')
PUBLISHED := .out/isko
publish:
	$(DOTNET) publish src/Isko -c Release -r $(RID) --self-contained false -p:PublishReadyToRun=true -o $(PUBLISHED) -v quiet

# The app: on the embedded simulated ship when no ship is configured.
run: publish
	$(DOTNET) $(PUBLISHED)/isko.dll $(ARGS)

# The terminal layer's demo (a test aid on made-up data): keys, panes, resize, themes (ISKO_THEME=light).
tui-demo:
	$(DOTNET) run --project tests/Isko.Tui.Demo -c Release

# BenchmarkDotNet, Release build. Narrow with: make bench FILTER='*Cue*'. IskoStartBenchmarks also
# runs the published app: make publish bench FILTER='*IskoStart*'
FILTER ?= *
bench:
	$(DOTNET) run --project bench/Isko.Benchmarks -c Release -- --filter '$(FILTER)' $(BENCH_ARGS)

# The fuzz campaign (issue 19): 1,000,000 cue inputs and 100,000 of every other parser (manifests,
# the restore journal, .iskoignore, config.toml, the channel's SSE and events, conn.sock frames).
# Exits 1 on any crash, hang over 1 s or allocation past a target's bound; inputs that did so are
# written to .fuzz-findings/. Narrow with FUZZ_ARGS='--only cue --scale 0.1 --seed 2'.
# `make test` runs a slice of it (tests/Isko.Fuzz.Tests).
fuzz: restore
	$(DOTNET) run --project tests/Isko.Fuzz -c Release -- $(FUZZ_ARGS)

clean:
	$(DOTNET) clean Isko.sln
	rm -rf .test-results BenchmarkDotNet.Artifacts .out .fuzz-findings
