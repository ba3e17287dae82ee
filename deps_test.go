package elevenlabs_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportersLinkOnlyTheRuntime keeps the root package light: a program
// importing it links this module, oapi-codegen/runtime and its needs, and
// the backoff library, and never kin-openapi, the spec or the tools.
func TestImportersLinkOnlyTheRuntime(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{
		"github.com/convai-secrets-go/elevenlabs",
		"github.com/oapi-codegen/runtime",
		"github.com/apapsch/go-jsonmerge/v2", // needed by oapi-codegen/runtime
		"github.com/google/uuid",             // needed by oapi-codegen/runtime
		"github.com/cenkalti/backoff/v5",
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(string(out)) {
		seen[m] = true
		if !slices.Contains(allowed, m) {
			t.Errorf("the root package links module %s: keep it out of non-test code, or add it here with the reason", m)
		}
	}
	if !seen["github.com/oapi-codegen/runtime"] {
		t.Error("go list found no oapi-codegen/runtime: is the test reading the right package?")
	}
}

// TestImportersEmbedNoSpec: the spec is for tests and the fake server; no
// package a program links through the root package embeds it (or any
// other file).
func TestImportersEmbedNoSpec(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if .EmbedFiles}}{{.ImportPath}}: {{.EmbedFiles}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("packages linked through the root package embed files:\n%s", s)
	}
	// The check itself sees embeds: the fake server package embeds its
	// sample data.
	out, err = exec.Command("go", "list", "-f", "{{.EmbedFiles}}", "./elevenlabstest").Output()
	if err != nil || !strings.Contains(string(out), ".json") {
		t.Errorf("go list sees no embedded files in elevenlabstest (%q, %v): is the check reading EmbedFiles?", out, err)
	}
}
