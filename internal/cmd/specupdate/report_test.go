package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// These tests run the real tools (go generate, oapi-codegen and oasdiff,
// pinned in tools/go.mod) on temporary files; none of them writes to the
// module.

func absRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOasdiffReport(t *testing.T) {
	later := readPage(t, laterPage)
	first := fenced(t, readPage(t, firstPage), "## OpenAPI Specification\n", "yaml")
	second := fenced(t, later, "## OpenAPI Specification\n", "yaml")
	breaking := edit(t, second, "- name: xi-api-key\n          in: header\n          required: false", "- name: xi-api-key\n          in: header\n          required: true")
	headerRemoved := edit(t, second, "        - name: xi-api-key\n          in: header\n          required: false\n          schema:\n            type: string\n", "")
	diff := oasdiffReport(runIn(absRoot(t)), "go")
	for _, tc := range []struct {
		name       string
		old, new   string
		want       []string // in this order
		wantAbsent []string
	}{
		{
			name: "first to later page",
			old:  first, new: second,
			want: []string{
				"### Breaking changes\n\nNone reported by oasdiff, and no server removed.\n",
				"### Other changes\n\n- server added: https://api.sg.residency.elevenlabs.io (Production Singapore)\n",
				"- GET /v1/convai/secrets/{secret_id}: API tag `subpackage_conversationalAi/secrets` added (`api-tag-added`)",
				"### Structural diff\n\n```text\n",
				"New server: https://api.sg.residency.elevenlabs.io",
			},
			wantAbsent: []string{"server removed:"},
		},
		{
			// oasdiff's changelog has nothing on servers: without the
			// report's own comparison this would read "None reported".
			name: "later to first page",
			old:  second, new: first,
			want: []string{
				"### Breaking changes\n\n- **error** server removed: https://api.sg.residency.elevenlabs.io\n",
				"### Other changes\n\n",
				"### Structural diff\n\n```text\n",
				"Deleted server: https://api.sg.residency.elevenlabs.io",
			},
			wantAbsent: []string{"None reported by oasdiff,", "server added:"},
		},
		{
			// A warning-level change is listed among the breaking ones,
			// as a warning, not an error.
			name: "header parameter removed",
			old:  second, new: headerRemoved,
			want: []string{
				"### Breaking changes\n\n- **warning** GET /v1/convai/secrets/{secret_id}:",
				"`xi-api-key`",
				"(`request-parameter-removed`)",
				"### Other changes\n\n",
			},
			wantAbsent: []string{"**error**", "None reported by oasdiff, and no server removed"},
		},
		{
			name: "header becomes required",
			old:  second, new: breaking,
			want: []string{
				"### Breaking changes\n\n- **error** GET /v1/convai/secrets/{secret_id}: the `header` request parameter `xi-api-key` became required (`request-parameter-became-required`)\n",
				"### Other changes\n\n",
				"### Structural diff\n\n",
			},
			wantAbsent: []string{"None reported by oasdiff", "New server", "server removed:", "server added:"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			oldPath, newPath := filepath.Join(dir, "old.yaml"), filepath.Join(dir, "new.yaml")
			for path, data := range map[string]string{oldPath: tc.old, newPath: tc.new} {
				if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			report, err := diff(context.Background(), oldPath, newPath)
			if err != nil {
				t.Fatal(err)
			}
			rest := report
			for _, want := range tc.want {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("report lacks %q (or has it out of order):\n%s", want, report)
				}
				rest = rest[i+len(want):]
			}
			for _, absent := range tc.wantAbsent {
				if strings.Contains(report, absent) {
					t.Errorf("report has %q:\n%s", absent, report)
				}
			}
		})
	}
}

// TestChangelogEntryIsTheReport proves that the committed CHANGELOG.md
// entry for the update to the later page is what the report step now
// prints for that update, and that the file starts with the header a new
// changelog gets. When the report's format changes, update the entry.
func TestChangelogEntryIsTheReport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, changelogFile))
	if err != nil {
		t.Fatal(err)
	}
	changelog := string(data)
	if !strings.HasPrefix(changelog, changelogHeader+"\n## ") {
		t.Errorf("%s does not start with the header specupdate writes:\n%s", changelogFile, changelogHeader)
	}
	title := ": " + filepath.Base(laterPage) + "\n\n"
	_, entry, ok := strings.Cut(changelog, title)
	if !ok {
		t.Fatalf("%s has no entry %q", changelogFile, title)
	}
	if i := strings.Index(entry, "\n## "); i >= 0 {
		entry = entry[:i+1]
	}

	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "old.yaml"), filepath.Join(dir, "new.yaml")
	for path, page := range map[string]string{oldPath: firstPage, newPath: laterPage} {
		if err := os.WriteFile(path, []byte(fenced(t, readPage(t, page), "## OpenAPI Specification\n", "yaml")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report, err := oasdiffReport(runIn(absRoot(t)), "go")(context.Background(), oldPath, newPath)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(report, entry); diff != "" {
		t.Errorf("the %s entry for %s is not the report for that update (-report +entry):\n%s", changelogFile, laterPage, diff)
	}
}

func TestServerChanges(t *testing.T) {
	server := func(url, description string) *openapi3.Server {
		return &openapi3.Server{URL: url, Description: description}
	}
	old := openapi3.Servers{server("https://a.example", ""), server("https://b.example", "B"), server("https://c.example", "C")}
	new := openapi3.Servers{server("https://a.example", "A"), server("https://c2.example", "C moved"), server("https://d.example", "")}
	got := formatReport(nil, serverChanges(old, new), nil)
	want := "### Breaking changes\n\n" +
		"- **error** server removed: https://b.example\n" +
		"- **error** server removed: https://c.example\n\n" +
		"### Other changes\n\n" +
		"- server added: https://c2.example (C moved)\n" +
		"- server added: https://d.example\n\n" +
		"### Structural diff\n\nNo structural differences.\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report differs (-want +got):\n%s", diff)
	}
	if got := serverChanges(old, old); len(got) != 0 {
		t.Errorf("the same servers changed: %+v", got)
	}
}

func TestGoGenerateFailureSaysWhy(t *testing.T) {
	dir := t.TempDir()
	for path, data := range map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.21\n",
		"gen.go": "package m\n\n//go:generate sh -c \"echo overlay target not found >&2; exit 3\"\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, path), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := goGenerate(runIn(dir), "go")(context.Background())
	if err == nil {
		t.Fatal("go generate succeeded")
	}
	for _, want := range []string{"go generate ./...", "exit status", "overlay target not found"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestOverlayNoLongerApplies runs the update with the real oapi-codegen
// and overlay.yaml: a spec the overlay does not fit is refused, and the
// files written are put back as they were; the current page goes through.
func TestOverlayNoLongerApplies(t *testing.T) {
	rootDir := absRoot(t)
	current := readPage(t, currentPage(t, "updates from the page openapi.yaml comes from, with changes the overlay does not fit"))
	for _, tc := range []struct {
		name    string
		page    string
		wantErr []string
	}{
		{
			name:    "union schema renamed",
			page:    strings.ReplaceAll(current, "ConvAiStoredSecretDependenciesToolsItems", "ConvAiStoredSecretToolsItems"),
			wantErr: []string{"regenerating the code from the new spec failed", "overlay.yaml no longer applies", "ConvAiStoredSecretDependenciesToolsItems", "did not match"},
		},
		{name: "current page as published", page: current},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, files := newModule(t)
			for _, name := range []string{"overlay.yaml", "oapi-codegen.yaml"} {
				data, err := os.ReadFile(filepath.Join(rootDir, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// go tool -modfile needs a main module; its tools come from tools/go.mod.
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			pagePath := filepath.Join(t.TempDir(), "page.md")
			if err := os.WriteFile(pagePath, []byte(tc.page), 0o644); err != nil {
				t.Fatal(err)
			}
			run := runIn(dir)
			u := &updater{
				dir: dir,
				generate: func(ctx context.Context) error {
					_, err := run(ctx, "go", "tool", "-modfile="+filepath.Join(rootDir, "tools", "go.mod"), "oapi-codegen", "-config", "oapi-codegen.yaml", "openapi.yaml")
					return err
				},
				diff:  func(context.Context, string, string) (string, error) { return "report\n", nil },
				check: func(context.Context) error { return nil },
				now:   testNow,
				out:   &bytes.Buffer{},
			}
			err := u.update(context.Background(), pagePath)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				gen, _ := os.ReadFile(filepath.Join(dir, "api", "api.gen.go"))
				if !bytes.Contains(gen, []byte("type DependentAvailableToolIdentifier struct")) {
					t.Errorf("api/api.gen.go was not regenerated through the overlay: %q", head(gen))
				}
				return
			}
			if err == nil {
				t.Fatal("update succeeded")
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q\ndoes not say %q", err, want)
				}
			}
			assertFiles(t, dir, files)
		})
	}
}
