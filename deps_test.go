package elevenlabs_test

import (
	"encoding/json"
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

// TestToolsStayInTheirOwnModule: the generator, linters and oasdiff are
// tool directives of tools/go.mod (run as go tool -modfile=tools/go.mod),
// so the module importers require has neither a tool directive nor the
// tools' modules.
func TestToolsStayInTheirOwnModule(t *testing.T) {
	read := func(args ...string) (m struct {
		Require []struct{ Path string }
		Tool    []struct{ Path string }
	}) {
		out, err := exec.Command("go", append([]string{"mod", "edit", "-json"}, args...)...).Output()
		if err != nil {
			t.Fatalf("go mod edit -json %v: %v", args, err)
		}
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	root, tools := read(), read("tools/go.mod")
	if len(tools.Tool) == 0 {
		t.Fatal("tools/go.mod has no tool directive: is the test reading it?")
	}
	for _, tool := range root.Tool {
		t.Errorf("go.mod has the tool directive %s: move it to tools/go.mod, so importers do not inherit it", tool.Path)
	}
	for _, r := range root.Require {
		for _, tool := range tools.Tool {
			if strings.HasPrefix(tool.Path, r.Path+"/") || tool.Path == r.Path {
				t.Errorf("go.mod requires %s, the module of the tool %s: tools belong in tools/go.mod", r.Path, tool.Path)
			}
		}
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
