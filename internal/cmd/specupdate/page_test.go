package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// The docs pages, as published (copies of the pages in the project's
// shared docs folder).
const (
	firstPage = "testdata/get-secret.md"       // openapi.yaml was first taken from it
	laterPage = "testdata/get-secret.later.md" // a later edition, with an example response
)

// currentPage returns the page the committed openapi.yaml and example
// fixture come from (make spec keeps a copy of it in testdata/pages; the
// tests' own pages are in testdata): the page whose spec block is
// openapi.yaml and whose example, if it has one, is the fixture. It is
// the one the real overlay must fit. If there is none, the test fails,
// saying so; need says what the test needed it for ("" for the test of
// that).
func currentPage(t *testing.T, need string) string {
	t.Helper()
	committed, err := os.ReadFile(filepath.Join(root, specFile))
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join(root, fixtureFile))
	if err != nil {
		t.Fatal(err)
	}
	kept, err := filepath.Glob("testdata/pages/*.md")
	if err != nil {
		t.Fatal(err)
	}
	own, err := filepath.Glob("testdata/*.md")
	if err != nil {
		t.Fatal(err)
	}
	pages := append(kept, own...)
	for _, page := range pages {
		p, err := parsePage([]byte(readPage(t, page)))
		if err == nil && string(p.spec) == string(committed) && (p.example == nil || string(p.example) == string(fixture)) {
			return page
		}
	}
	if need != "" {
		t.Fatalf("this test %s, and openapi.yaml and %s come from no page: TestCommittedFilesComeFromThePage says what to do", need, fixtureFile)
	}
	t.Fatalf("openapi.yaml and %s are the blocks of no page in internal/cmd/specupdate/testdata or testdata/pages (%q): "+
		"update them with make spec DOC=<docs page>, which keeps a copy of the page, not by hand", fixtureFile, pages)
	return ""
}

// root is the module root, from this package's directory.
const root = "../../.."

func readPage(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// fenced returns what lies between the line "```<info>" following after
// and the next "```" line: the plain-text reading of a page that the
// extractor must agree with.
func fenced(t *testing.T, page, after, info string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, after)
	if !ok {
		t.Fatalf("page has no %q", after)
	}
	_, rest, ok = strings.Cut(rest, "\n```"+info+"\n")
	if !ok {
		t.Fatalf("page has no ```%s block after %q", info, after)
	}
	body, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		t.Fatalf("the ```%s block after %q is not closed", info, after)
	}
	return body + "\n"
}

func TestParsePageTakesTheBlocksByteForByte(t *testing.T) {
	for _, tc := range []struct {
		page        string
		wantExample bool
	}{
		{firstPage, false},
		{laterPage, true},
	} {
		t.Run(filepath.Base(tc.page), func(t *testing.T) {
			text := readPage(t, tc.page)
			p, err := parsePage([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			if want := fenced(t, text, "## OpenAPI Specification\n", "yaml"); string(p.spec) != want {
				t.Errorf("spec differs from the page's ```yaml block:\ngot  %q...%q\nwant %q...%q", head(p.spec), tail(p.spec), head([]byte(want)), tail([]byte(want)))
			}
			if !strings.HasSuffix(string(p.spec), "\n\n") {
				t.Errorf("spec lost the block's trailing blank line: ends %q", tail(p.spec))
			}
			if _, err := spec.Parse(p.spec); err != nil {
				t.Errorf("kin-openapi rejects the spec: %v", err)
			}
			switch {
			case !tc.wantExample && p.example != nil:
				t.Errorf("found an example response in a page without one: %q", head(p.example))
			case tc.wantExample:
				if want := fenced(t, text, "\n**Response**\n", "json"); string(p.example) != want {
					t.Errorf("example differs from the page's block:\ngot  %q\nwant %q", p.example, want)
				}
			}
		})
	}
}

// TestCommittedFilesComeFromThePage proves that the committed openapi.yaml
// and example fixture are exactly what the extractor takes from the page
// they were made from, currentPage (kept in testdata by make spec).
func TestCommittedFilesComeFromThePage(t *testing.T) {
	source := currentPage(t, "")
	const remedy = "update them with make spec DOC=<docs page>, not by hand"
	p, err := parsePage([]byte(readPage(t, source)))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(root, specFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(p.spec) != string(committed) {
		t.Errorf("openapi.yaml is not byte for byte the ```yaml block of %s (%d vs %d bytes): %s", source, len(committed), len(p.spec), remedy)
	}
	if p.example != nil {
		fixture, err := os.ReadFile(filepath.Join(root, fixtureFile))
		if err != nil {
			t.Fatal(err)
		}
		if string(p.example) != string(fixture) {
			t.Errorf("%s is not byte for byte the example response of %s: %s", fixtureFile, source, remedy)
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 40)] }
func tail(b []byte) []byte { return b[max(0, len(b)-40):] }

// TestParsePageFences: how the page's Markdown is read at its edges: a
// ```yml block is a spec block too; a fence with an info string inside a
// block does not close it; a ### heading stays in its ## section; a line
// of two backticks opens no block.
func TestParsePageFences(t *testing.T) {
	const spec = "openapi: 3.1.0\n"
	for _, tc := range []struct {
		name, page, want string
	}{
		{"yml", "## OpenAPI Specification\n\n```yml\n" + spec + "```\n", spec},
		{"inner fence with info", "## OpenAPI Specification\n\n```yaml\n" + spec + "```json\nx: 1\n```\n", spec + "```json\nx: 1\n"},
		{"### heading", "## OpenAPI Specification\n\n### The document\n\n```yaml\n" + spec + "```\n", spec},
		{"two backticks", "## OpenAPI Specification\n\n``not a fence\n\n```yaml\n" + spec + "```\n", spec},
	} {
		p, err := parsePage([]byte(tc.page))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(p.spec) != tc.want {
			t.Errorf("%s: spec %q, want %q", tc.name, p.spec, tc.want)
		}
	}
}

// TestCheckExampleWithoutA200 is an error, not a panic, for a spec with
// no 200 application/json response to check an example against.
func TestCheckExampleWithoutA200(t *testing.T) {
	doc, err := spec.Parse([]byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '204': {description: none}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkExample(doc, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "0 operations with a 200 application/json response") {
		t.Errorf("checkExample = %v, want an error saying there is no 200 response", err)
	}
}
