package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// runFunc runs a command and returns its standard output.
type runFunc func(ctx context.Context, name string, args ...string) ([]byte, error)

// runIn returns a runFunc that runs commands in dir, with their standard
// error in the error when they fail.
func runIn(dir string) runFunc {
	return func(ctx context.Context, name string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		ownGroup(cmd)
		// Once the context ends and the command is killed, do not wait
		// long for children of its that hold its output open.
		cmd.WaitDelay = 5 * time.Second
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil && ctx.Err() != nil {
			// Killed: let its whole group be gone before the caller puts
			// files back.
			waitGroupGone(cmd, 5*time.Second)
		}
		if err != nil {
			return out, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()+"\n"+string(out)))
		}
		return out, nil
	}
}

// goGenerate returns the generate step: `go generate ./...` in the module.
func goGenerate(run runFunc, goCmd string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := run(ctx, goCmd, "generate", "./...")
		return err
	}
}

// goTest returns the check step: the module's tests, except this
// command's own (which run updates of their own), reporting only the
// failures.
func goTest(run runFunc, goCmd string) func(context.Context) error {
	return func(ctx context.Context) error {
		list, err := run(ctx, goCmd, "list", "./...")
		if err != nil {
			return err
		}
		args := []string{"test"}
		for _, pkg := range strings.Fields(string(list)) {
			if !strings.HasSuffix(pkg, "/internal/cmd/specupdate") {
				args = append(args, pkg)
			}
		}
		out, err := run(ctx, goCmd, args...)
		if err != nil {
			return errors.New(failures(string(out), err))
		}
		return nil
	}
}

// failures picks the lines that say what failed out of go test's output
// (falling back to err when there are none, as for a build failure).
func failures(out string, err error) string {
	if strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]") {
		return err.Error() // the compiler's errors are in it (from stderr)
	}
	var lines []string
	msgIndent := -1 // the indent of the test message being kept, if any
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		switch {
		case strings.HasPrefix(t, "--- FAIL") || strings.HasPrefix(t, "FAIL"):
			msgIndent = -1
		case strings.Contains(t, "_test.go:"):
			msgIndent = indent
		case msgIndent >= 0 && indent > msgIndent:
			// A message's further lines (the paths a sample lacks, what
			// to add): indented below its file:line.
		default:
			msgIndent = -1
			continue
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return err.Error()
	}
	return strings.Join(lines, "\n")
}

// change is one entry of `oasdiff changelog -f json`.
type change struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Level     int    `json:"level"` // 3 error, 2 warning, 1 info
	Operation string `json:"operation"`
	Path      string `json:"path"`
	Section   string `json:"section"`
}

// oasdiffReport returns the diff step: oasdiff, pinned in tools/go.mod,
// run through goCmd. The report lists the breaking changes (oasdiff's
// error and warning levels, and the servers removed) first, then the
// other changes (oasdiff's info level, and the servers added), then
// oasdiff's structural diff. oasdiff's changelog does not cover servers,
// so the report compares them itself: a removed server breaks the client,
// whose Region for it then names a server the spec no longer lists.
func oasdiffReport(run runFunc, goCmd string) func(ctx context.Context, oldPath, newPath string) (string, error) {
	return func(ctx context.Context, oldPath, newPath string) (string, error) {
		var servers [2]openapi3.Servers
		for i, path := range []string{oldPath, newPath} {
			doc, err := openapi3.NewLoader().LoadFromFile(path)
			if err != nil {
				return "", fmt.Errorf("reading the servers of %s: %w", path, err)
			}
			servers[i] = doc.Servers
		}
		oasdiff := func(args ...string) ([]byte, error) {
			args = append([]string{"tool", "-modfile=tools/go.mod", "oasdiff"}, args...)
			return run(ctx, goCmd, append(args, "--allow-external-refs=false", oldPath, newPath)...)
		}
		out, err := oasdiff("changelog", "--format", "json")
		if err != nil {
			return "", err
		}
		var changes []change
		if err := json.Unmarshal(out, &changes); err != nil {
			return "", fmt.Errorf("reading oasdiff changelog output: %w", err)
		}
		diff, err := oasdiff("diff", "--format", "text")
		if err != nil {
			return "", err
		}
		return formatReport(changes, serverChanges(servers[0], servers[1]), diff), nil
	}
}

// serverChange is a server only one of the two specs lists, by URL.
type serverChange struct {
	removed     bool // in the old spec only; else in the new one only
	url         string
	description string
}

// serverChanges returns the servers removed from old (in old's order),
// then the servers added in new (in new's order). Servers are matched by
// URL; a changed description is neither (the structural diff shows it).
func serverChanges(old, new openapi3.Servers) []serverChange {
	urls := func(servers openapi3.Servers) map[string]bool {
		m := map[string]bool{}
		for _, s := range servers {
			if s != nil {
				m[s.URL] = true
			}
		}
		return m
	}
	oldURLs, newURLs := urls(old), urls(new)
	var changes []serverChange
	for _, s := range old {
		if s != nil && !newURLs[s.URL] {
			changes = append(changes, serverChange{removed: true, url: s.URL, description: s.Description})
		}
	}
	for _, s := range new {
		if s != nil && !oldURLs[s.URL] {
			changes = append(changes, serverChange{url: s.URL, description: s.Description})
		}
	}
	return changes
}

// formatReport renders the server changes and oasdiff's changes and
// structural diff as Markdown.
func formatReport(changes []change, servers []serverChange, diff []byte) string {
	var breaking, other []string
	for _, s := range servers {
		if s.removed {
			breaking = append(breaking, "- **error** server removed: "+s.url)
			continue
		}
		item := "- server added: " + s.url
		if s.description != "" {
			item += " (" + s.description + ")"
		}
		other = append(other, item)
	}
	for _, c := range changes {
		where := c.Section
		if c.Path != "" {
			where = strings.TrimSpace(c.Operation + " " + c.Path)
		}
		switch {
		case c.Level >= 3:
			breaking = append(breaking, fmt.Sprintf("- **error** %s: %s (`%s`)", where, c.Text, c.ID))
		case c.Level == 2:
			breaking = append(breaking, fmt.Sprintf("- **warning** %s: %s (`%s`)", where, c.Text, c.ID))
		default:
			other = append(other, fmt.Sprintf("- %s: %s (`%s`)", where, c.Text, c.ID))
		}
	}
	var b strings.Builder
	section := func(title string, items []string, none string) {
		fmt.Fprintf(&b, "### %s\n\n", title)
		if len(items) == 0 {
			items = []string{none}
		}
		b.WriteString(strings.Join(items, "\n") + "\n\n")
	}
	section("Breaking changes", breaking, "None reported by oasdiff, and no server removed.")
	section("Other changes", other, "None reported by oasdiff's checks, and no server added.")
	b.WriteString("### Structural diff\n\n")
	if d := strings.TrimSpace(string(diff)); d == "" {
		b.WriteString("No structural differences.\n")
	} else {
		fmt.Fprintf(&b, "```text\n%s\n```\n", d)
	}
	return b.String()
}
