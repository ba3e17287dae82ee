//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeGo stands in for the go command: oasdiff answers at once; go
// generate half-writes the generated code, starts a generator of its own
// that keeps writing it (as go generate runs oapi-codegen), says it
// started, and hangs.
const fakeGo = `#!/bin/sh
case "$1" in
tool) case "$*" in *changelog*) echo '[]' ;; *) echo 'a diff' ;; esac ;;
generate)
	echo 'package api // half written' > api/api.gen.go
	(while :; do echo 'package api // written by a generator left running' > api/api.gen.go; sleep 0.02; done) </dev/null >/dev/null 2>&1 &
	echo $! > "$SPECUPDATE_STARTED.tmp" && mv "$SPECUPDATE_STARTED.tmp" "$SPECUPDATE_STARTED"
	exec sleep 60 ;;
*) exit 0 ;;
esac
`

// TestInterruptPutsFilesBack: the command, interrupted (SIGINT, as Ctrl-C
// sends, or SIGTERM, as kill and CI cancels send: to the command alone)
// while it regenerates the code, stops what it started, down to the
// generators go generate runs, puts back every file it wrote, and says so,
// rather than dying with openapi.yaml new and api/ half written, a state
// that a second run would take for an update already done.
func TestInterruptPutsFilesBack(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "specupdate")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { testInterruptPutsFilesBack(t, bin, sig) })
	}
}

func testInterruptPutsFilesBack(t *testing.T, bin string, sig os.Signal) {
	tools := t.TempDir()
	goCmd, started := filepath.Join(tools, "go"), filepath.Join(tools, "started")
	if err := os.WriteFile(goCmd, []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	dir, files := newModule(t)
	page, err := filepath.Abs(laterPage)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "-dir", dir, "-doc", page, "-go", goCmd)
	cmd.Env = append(os.Environ(), "SPECUPDATE_STARTED="+started)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = new(bytes.Buffer), &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if pid, err := os.ReadFile(started); err == nil {
			// Should specupdate leave the generator running (the defect
			// this test is for), end it with the test.
			t.Cleanup(func() {
				if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
					_ = syscall.Kill(n, syscall.SIGKILL)
				}
			})
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fake go generate never started; stderr: %s", stderr.String())
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit: %v, want status 1", err)
	}
	if !strings.Contains(stderr.String(), "interrupted while regenerating the code, so every file is left as it was") {
		t.Errorf("stderr %q does not say the interrupted update left every file as it was", stderr.String())
	}
	assertFiles(t, dir, files)
	// A generator left running would overwrite a file again within 20ms.
	time.Sleep(200 * time.Millisecond)
	assertFiles(t, dir, files)
}
