package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestREADMEFirstCommandsWork runs the --fake command the README's first
// lines give a newcomer, and checks the test commands are there too:
// the quick one and the one CI runs.
func TestREADMEFirstCommandsWork(t *testing.T) {
	t.Parallel()
	lines := strings.Split(readme(t), "\n")
	top := strings.Join(lines[:min(15, len(lines))], "\n")
	m := regexp.MustCompile(`(?m)^go run ./cmd/secrets (get --fake \S+)$`).FindStringSubmatch(top)
	if m == nil {
		t.Fatal("the README's first lines lack a 'go run ./cmd/secrets get --fake ID' command")
	}
	for _, cmd := range []string{"go test ./...", "make check"} {
		if !regexp.MustCompile("(?m)^" + regexp.QuoteMeta(cmd) + "$").MatchString(top) {
			t.Errorf("the README's first lines lack the test command %q", cmd)
		}
	}
	r := secrets(t, nil, strings.Fields(m[1])...)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "Name:") {
		t.Errorf("%s: exit %d, stdout %q, stderr %q", m[0], r.code, r.stdout, r.stderr)
	}
}

// TestREADMEExitCodes keeps the README's exit code table equal to the
// command's.
func TestREADMEExitCodes(t *testing.T) {
	t.Parallel()
	type code struct {
		Code    int
		Meaning string
	}
	var got []code
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`).FindAllStringSubmatch(readme(t), -1) {
		n, _ := strconv.Atoi(m[1])
		got = append(got, code{n, m[2]})
	}
	var want []code
	for _, e := range exitCodes {
		want = append(want, code{e.code, e.meaning})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README exit code table (-command +README):\n%s", diff)
	}
}

// TestREADMETableSample keeps the README's sample output equal to what
// the command prints: each text block that starts with a
// "$ secrets get --fake" line.
func TestREADMETableSample(t *testing.T) {
	t.Parallel()
	blocks := regexp.MustCompile("(?s)```text\n\\$ secrets (get --fake [^\n]+)\n(.*?)```").FindAllStringSubmatch(readme(t), -1)
	if len(blocks) == 0 {
		t.Fatal("the README has no sample output of secrets get --fake")
	}
	for _, b := range blocks {
		r := secrets(t, nil, strings.Fields(b[1])...)
		if r.code != exitOK {
			t.Fatalf("%s: exit %d: %s", b[1], r.code, r.stderr)
		}
		if diff := cmp.Diff(strings.Split(r.stdout, "\n"), strings.Split(b[2], "\n")); diff != "" {
			t.Errorf("README sample of %s (-command +README):\n%s", b[1], diff)
		}
	}
}
