// Command specupdate updates the module from an ElevenLabs API reference
// page: it takes the OpenAPI document from the page's ```yaml block under
// "## OpenAPI Specification", byte for byte, checks it with kin-openapi,
// writes it to openapi.yaml, rewrites the example-response fixture
// (elevenlabstest/testdata/get-secret-example.json) from the ```json block
// after "**Response**" under "## Examples" when the page has one (checked
// against the spec's 200 response), regenerates api/ and aliases.gen.go
// with `go generate ./...`, prints a report of what changed (oasdiff's
// changes, and the servers removed or added), which it also adds to
// CHANGELOG.md, and then runs the module's tests: what generation cannot
// carry by itself (a Region for a new server, an overlay entry for a new
// union variant, sample data for a new value) fails them, and the command
// fails with those failures, keeping the update. A failure found before
// anything is written (no single spec block, an invalid spec or example, a
// failed comparison) touches no file; when generation fails (typically
// because overlay.yaml no longer applies) or is interrupted, the files
// written are put back, so every file is left as it was. Run again on a
// page whose spec openapi.yaml already holds, it still regenerates, and
// says so if that changed the generated code. It runs from the module
// root:
//
//	make spec DOC=path/to/page.md
//	go run ./internal/cmd/specupdate -doc path/to/page.md
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	doc := flag.String("doc", "", "the ElevenLabs docs page (Markdown) to take the spec from")
	dir := flag.String("dir", ".", "the module root")
	goCmd := flag.String("go", "go", "the go command, for go generate and oasdiff (a tool of tools/go.mod)")
	flag.Parse()
	if *doc == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: specupdate -doc path/to/page.md [-dir module-root] (or: make spec DOC=path/to/page.md)")
		os.Exit(2)
	}
	// Absolute: the steps run in dir, and oasdiff is given paths in it.
	root, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "specupdate:", err)
		os.Exit(2)
	}
	run := runIn(root)
	u := &updater{
		dir:      root,
		generate: goGenerate(run, *goCmd),
		diff:     oasdiffReport(run, *goCmd),
		check:    goTest(run, *goCmd),
		now:      time.Now,
		out:      os.Stdout,
	}
	// An interrupt (Ctrl-C) or SIGTERM cancels the update's context, so a
	// step under way fails and the files it was writing are put back,
	// instead of the process dying half-way through.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := u.update(ctx, *doc); err != nil {
		fmt.Fprintln(os.Stderr, "specupdate:", err)
		os.Exit(1)
	}
}
