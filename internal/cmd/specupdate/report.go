package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// runFunc runs a command and returns its standard output.
type runFunc func(ctx context.Context, name string, args ...string) ([]byte, error)

// runIn returns a runFunc that runs commands in dir, with their standard
// error in the error when they fail.
func runIn(dir string) runFunc {
	return func(ctx context.Context, name string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
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
// run through goCmd. The report lists oasdiff's breaking changes (its
// error and warning levels) first, then its other changes, then its
// structural diff, which also shows what its checks do not cover, such as
// servers.
func oasdiffReport(run runFunc, goCmd string) func(ctx context.Context, oldPath, newPath string) (string, error) {
	return func(ctx context.Context, oldPath, newPath string) (string, error) {
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
		return formatReport(changes, diff), nil
	}
}

// formatReport renders oasdiff's changes and structural diff as Markdown.
func formatReport(changes []change, diff []byte) string {
	var breaking, other []string
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
	section("Breaking changes", breaking, "None reported by oasdiff.")
	section("Other changes", other, "None reported by oasdiff's checks.")
	b.WriteString("### Structural diff\n\n")
	if d := strings.TrimSpace(string(diff)); d == "" {
		b.WriteString("No structural differences.\n")
	} else {
		fmt.Fprintf(&b, "```text\n%s\n```\n", d)
	}
	return b.String()
}
