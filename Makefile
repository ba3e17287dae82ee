# The project's checks. `make check` is what CI runs (.ci/run).
GO       ?= go
GOTOOL   := $(GO) tool -modfile=tools/go.mod
GENERATED := api aliases.gen.go

.PHONY: check generate check-generated check-tidy test lint fuzz bench bench-smoke spec
FUZZTIME ?= 8s
BENCHCOUNT ?= 10

check: check-generated check-tidy lint test bench-smoke fuzz

## generate: regenerate api/ and aliases.gen.go from openapi.yaml and overlay.yaml
generate:
	$(GO) generate ./...

## check-generated: fail if `go generate` would change the committed generated code
check-generated: generate
	@st=$$(git status --porcelain -- $(GENERATED)) || { echo "check-generated needs a git work tree to compare against"; exit 1; }; \
	if [ -n "$$st" ]; then \
		echo "Generated code is out of date: run 'make generate' and commit:"; \
		git status --short -- $(GENERATED); git --no-pager diff --stat -- $(GENERATED); \
		exit 1; \
	fi
	@echo "generated code is up to date"

## check-tidy: fail if go.mod/go.sum or tools/go.mod/go.sum are not tidy
## (go mod tidy would change them); it prints the diff
check-tidy:
	$(GO) mod tidy -diff
	cd tools && $(GO) mod tidy -diff

## spec: take openapi.yaml (and the example-response fixture) from an
## ElevenLabs docs page, regenerate, and report the changes into CHANGELOG.md:
##   make spec DOC=path/to/page.md
spec:
	@if [ -z "$(DOC)" ]; then echo "usage: make spec DOC=path/to/docs-page.md"; exit 2; fi
	$(GO) run ./internal/cmd/specupdate -go "$(GO)" -doc "$(DOC)"

## test: all tests with the race detector, then the allocation-count test
## without it (the race detector changes allocation counts)
test:
	$(GO) test -race ./...
	$(GO) test -run '^TestWrapperAllocsNearBaseline$$' .

## lint: gofmt, go vet and staticcheck
lint:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "not gofmt-ed (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GOTOOL) staticcheck ./...

## fuzz: run each fuzz target for FUZZTIME (no input may panic)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzSecretID$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s .
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeResponse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s .
	$(GO) test -run '^$$' -fuzz '^FuzzObjectFields$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s .
	$(GO) test -run '^$$' -fuzz '^FuzzAddSecret$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s ./elevenlabstest

## bench: the benchmarks, BENCHCOUNT rounds, summarised by benchstat (see BENCHMARKS.md).
## Each round runs every benchmark once, so drift on a shared machine hits
## the baseline and the wrapper alike. bench.txt (and so each table) starts
## with the commit measured (-dirty if the tree differs from it), the date
## and the Go version. benchstat prints every metric: sec/op, cpu-sec/op,
## B/op and allocs/op for GetSecret (a table per transport: loopback, then
## memory); conns, conns/kreq and req/s too for Parallel; B/s, alloc-B/body-B and the
## per-dependent figures too for Scaling.
bench:
	$(GO) test -c -o bench.test .
	{ echo "commit: $$(git rev-parse --short HEAD)$$(git diff --quiet HEAD -- || echo -dirty)"; \
	  echo "date: $$(date -u +%Y-%m-%d)"; echo "go: $$($(GO) env GOVERSION)"; } > bench.txt
	for i in $$(seq $(BENCHCOUNT)); do ./bench.test -test.run '^$$' -test.bench . | tee -a bench.txt; done
	$(GOTOOL) benchstat -filter .name:GetSecret -table .config,/transport -col /impl bench.txt
	$(GOTOOL) benchstat -filter .name:Parallel -col /impl bench.txt
	$(GOTOOL) benchstat -filter .name:Scaling -row /dependents bench.txt

## bench-smoke: run every benchmark once, so they cannot rot (no figures)
bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 1x .
