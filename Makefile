# The README's commands. Everything a fresh machine needs is installed from here.
.PHONY: all build test run bench restore clean conformance-deps tmux tui-demo

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

# Restores, builds and runs every test project, then prints "N passed, M failed".
test: restore tmux
	bash eng/test.sh

# The app: on the embedded simulated ship when no ship is configured.
run:
	$(DOTNET) run --project src/Isko -c Release -- $(ARGS)

# The terminal layer's demo (a test aid on made-up data): keys, panes, resize, themes (ISKO_THEME=light).
tui-demo:
	$(DOTNET) run --project tests/Isko.Tui.Demo -c Release

# BenchmarkDotNet, Release build. Narrow with: make bench FILTER='*Cue*'
FILTER ?= *
bench:
	$(DOTNET) run --project bench/Isko.Benchmarks -c Release -- --filter '$(FILTER)' $(BENCH_ARGS)

clean:
	$(DOTNET) clean Isko.sln
	rm -rf .test-results BenchmarkDotNet.Artifacts
