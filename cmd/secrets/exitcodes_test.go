package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// closedURL returns a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// times repeats a fault enough to outlast any retries the client makes.
func times(f elevenlabstest.Fault) []elevenlabstest.Fault {
	return slices.Repeat([]elevenlabstest.Fault{f}, 6)
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	const id = "sec_7d2f4a9c1e8b3f6a0d5c"
	cases := []struct {
		name   string
		env    []string
		args   []string // "{url}" is the fake's URL
		faults []elevenlabstest.Fault
		code   int
		stderr string // a part of the error message
		sent   bool   // whether a request reaches the fake
	}{
		{name: "ok", env: withKey, args: []string{"get", "--base-url", "{url}", id}, code: exitOK, sent: true},
		{name: "help", args: []string{"-h"}, code: exitOK},
		{name: "get help", args: []string{"get", "--help"}, code: exitOK},

		{name: "no command", args: nil, code: exitUsage, stderr: "no command"},
		{name: "unknown command", args: []string{"list"}, code: exitUsage, stderr: `unknown command "list"`},
		{name: "no ID", env: withKey, args: []string{"get", "--base-url", "{url}"}, code: exitUsage, stderr: "exactly one SECRET_ID"},
		{name: "two IDs", env: withKey, args: []string{"get", "--base-url", "{url}", id, id}, code: exitUsage, stderr: "exactly one SECRET_ID"},
		{name: "unknown flag", env: withKey, args: []string{"get", "--verbose", id}, code: exitUsage, stderr: "flag provided but not defined: -verbose"},
		{name: "key flag", env: withKey, args: []string{"get", "--api-key", "x", id}, code: exitUsage, stderr: "not defined: -api-key"},
		{name: "unknown region", env: withKey, args: []string{"get", "--region", "mars", id}, code: exitUsage, stderr: `unknown region "mars"`},
		{name: "unknown region, no key", args: []string{"get", "--region", "mars", id}, code: exitUsage, stderr: `unknown region "mars"`},
		{name: "region and base URL", env: withKey, args: []string{"get", "--region", "eu", "--base-url", "{url}", id}, code: exitUsage, stderr: "exclusive"},
		{name: "fake and base URL", args: []string{"get", "--fake", "--base-url", "{url}", id}, code: exitUsage, stderr: "--fake cannot be combined"},
		{name: "plain http off loopback", env: withKey, args: []string{"get", "--base-url", "http://api.elevenlabs.io", id}, code: exitUsage, stderr: "plain http"},
		{name: "bad timeout", env: withKey, args: []string{"get", "--timeout", "0s", "--base-url", "{url}", id}, code: exitUsage, stderr: "--timeout"},
		{name: "invalid ID", env: withKey, args: []string{"get", "--base-url", "{url}", "../v1/user"}, code: exitUsage, stderr: "invalid secret ID"},
		{name: "no key", args: []string{"get", "--base-url", "{url}", id}, code: exitUsage, stderr: "no API key: set ELEVENLABS_API_KEY"},
		{name: "key with white space", env: []string{"ELEVENLABS_API_KEY= " + testKey + "\n"}, args: []string{"get", "--base-url", "{url}", id}, code: exitUsage, stderr: "ELEVENLABS_API_KEY has white space before or after the key"},
		{name: "flags before the command", args: []string{"--fake", "--json", "get", id}, code: exitOK},
		{name: "flags before help", args: []string{"--fake", "help"}, code: exitOK},
		{name: "flags before no command", args: []string{"--fake"}, code: exitUsage, stderr: "no command"},
		{name: "flags before an unknown command", args: []string{"--fake", "list", id}, code: exitUsage, stderr: `unknown command "list"`},
		{name: "unknown flag before the command", args: []string{"--verbose", "get", id}, code: exitUsage, stderr: "flag provided but not defined: -verbose"},
		{name: "timeout without a unit", env: withKey, args: []string{"get", "--timeout", "5", "--base-url", "{url}", id}, code: exitUsage, stderr: `time: missing unit in duration "5"`},
		{name: "unusable key", env: []string{"ELEVENLABS_API_KEY=bad key"}, args: []string{"get", "--base-url", "{url}", id}, code: exitUsage, stderr: "API key"},

		{name: "not found", env: withKey, args: []string{"get", "--base-url", "{url}", "sec_missing"}, code: exitNotFound, stderr: "not found: elevenlabs: GET", sent: true},
		{name: "404 with another message", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusNotFound, Body: []byte(`{"detail":"Secret not found"}`)}}, code: exitNotFound, stderr: "not found: elevenlabs: GET", sent: true},
		{name: "404 with a code and Not Found", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusNotFound, Body: []byte(`{"detail":{"status":"secret_not_found","message":"Not Found"}}`)}}, code: exitNotFound, stderr: "not found: elevenlabs: GET", sent: true},
		{name: "gateway's HTML 404", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusNotFound, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html><title>404 Not Found</title><h1>404 Not Found</h1>nginx</html>")}}, code: exitAPIError, stderr: "no such API path (is the base URL right?)", sent: true},
		{name: "404 with an empty body", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusNotFound, Body: []byte{}}}, code: exitAPIError, stderr: "no such API path (is the base URL right?)", sent: true},
		{name: "base URL with a path too many", env: withKey, args: []string{"get", "--base-url", "{url}/v1", id}, code: exitAPIError, stderr: "no such API path (is the base URL right?)", sent: true},
		{name: "200 that does not decompress", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Header: http.Header{"Content-Encoding": {"gzip"}}, Body: []byte(`{"not":"gzip"}`)}}, code: exitAPIError, stderr: "gzip: invalid header", sent: true},

		{name: "wrong key", env: []string{"ELEVENLABS_API_KEY=wrong-key"}, args: []string{"get", "--base-url", "{url}", id}, code: exitUnauthorized, stderr: "invalid_api_key", sent: true},
		{name: "forbidden", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusForbidden}}, code: exitUnauthorized, stderr: "403 Forbidden", sent: true},

		{name: "422", env: withKey, args: []string{"get", "--base-url", "{url}", "sec.1"}, code: exitAPIError, stderr: "422 Unprocessable Entity", sent: true},
		{name: "400", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusBadRequest}}, code: exitAPIError, stderr: "400 Bad Request", sent: true},
		{name: "429", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: times(elevenlabstest.Fault{Status: http.StatusTooManyRequests}), code: exitAPIError, stderr: "429 Too Many Requests", sent: true},
		{name: "HTML 502", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: times(elevenlabstest.HTMLErrorPage(http.StatusBadGateway)), code: exitAPIError, stderr: "502 Bad Gateway nginx", sent: true},
		{name: "redirect to another origin", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Status: http.StatusFound, Header: http.Header{"Location": {"https://elsewhere.example/v1"}}}}, code: exitAPIError, stderr: "unusable answer: elevenlabs: Get", sent: true},
		{name: "redirect loop", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: slices.Repeat([]elevenlabstest.Fault{{Status: http.StatusFound, Header: http.Header{"Location": {"/v1/convai/secrets/" + id}}}}, 10), code: exitAPIError, stderr: "stopped after 10 redirects", sent: true},
		{name: "truncated 200", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: []elevenlabstest.Fault{{Truncate: true}}, code: exitAPIError, stderr: "cannot decode", sent: true},

		{name: "connection refused", env: withKey, args: []string{"get", "--base-url", closedURL(t), id}, code: exitNetwork, stderr: "network error"},
		{name: "dropped connection", env: withKey, args: []string{"get", "--base-url", "{url}", id}, faults: times(elevenlabstest.Fault{DropConnection: true}), code: exitNetwork, stderr: "network error", sent: true},
		{name: "timeout", env: withKey, args: []string{"get", "--timeout", "100ms", "--base-url", "{url}", id}, faults: times(elevenlabstest.Fault{Delay: time.Hour}), code: exitNetwork, stderr: "timed out", sent: true},
		// The timeout ends a retry of a 503: what ended the call decides.
		{name: "timeout after a 503", env: withKey, args: []string{"get", "--timeout", "3s", "--base-url", "{url}", id}, faults: append([]elevenlabstest.Fault{{Status: http.StatusServiceUnavailable}}, times(elevenlabstest.Fault{Delay: time.Hour})...), code: exitNetwork, stderr: "timed out", sent: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t)
			srv.AddFaults(tc.faults...)
			args := slices.Clone(tc.args)
			for i, a := range args {
				args[i] = strings.ReplaceAll(a, "{url}", srv.URL)
			}
			r := secrets(t, tc.env, args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", r.code, tc.code, r.stderr)
			}
			if tc.stderr != "" && !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.stderr)
			}
			if tc.code != exitOK && r.stdout != "" {
				t.Errorf("a failed run printed to stdout: %q", r.stdout)
			}
			if tc.code == exitUsage && !strings.Contains(r.stderr, "secrets -h") && !strings.Contains(r.stderr, "Usage:") {
				t.Errorf("a usage error does not point to the help: %q", r.stderr)
			}
			if sent := len(srv.Requests()) > 0; sent != tc.sent {
				t.Errorf("request sent to the fake: %t, want %t", sent, tc.sent)
			}
			checkNoKey(t, r)
		})
	}
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"get", "-h"}} {
		r := secrets(t, nil, args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, want := range []string{"Usage: secrets get [flags] SECRET_ID", "ELEVENLABS_API_KEY", "-json", "-region", "-base-url", "-fake", "Exit codes:"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
		_, list, _ := strings.Cut(r.stdout, "\nExit codes:\n")
		lines := strings.Split(strings.TrimSuffix(list, "\n"), "\n")
		if len(lines) != len(exitCodes) {
			t.Fatalf("%v: %d lines under \"Exit codes:\", want one per code (%d):\n%s", args, len(lines), len(exitCodes), list)
		}
		codes := map[int]bool{}
		column := -1 // where the meanings start
		for i, e := range exitCodes {
			codes[e.code] = true
			// The codes are right-aligned, so the meanings line up.
			code, meaning, ok := strings.Cut(lines[i], strconv.Itoa(e.code)+"  ")
			if !ok || strings.TrimLeft(code, " ") != "" || meaning != e.meaning {
				t.Errorf("%v: exit code line %q, want %d and %q", args, lines[i], e.code, e.meaning)
				continue
			}
			if at := len(lines[i]) - len(meaning); column == -1 {
				column = at
			} else if at != column {
				t.Errorf("%v: the meaning of exit code %d starts at column %d, the first one's at %d:\n%s", args, e.code, at, column, list)
			}
		}
		if len(codes) != len(exitCodes) {
			t.Errorf("exit codes are not distinct: %v", exitCodes)
		}
	}
}

// TestUnwritableStdoutExits1: the built binary exits 1, saying why, when
// its output cannot be written: to a file open only for reading (on any
// system) and to /dev/full (on Linux, where writes fail with ENOSPC).
func TestUnwritableStdoutExits1(t *testing.T) {
	t.Parallel()
	readOnly, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	readOnly.Close()
	if readOnly, err = os.Open(readOnly.Name()); err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()
	outs := map[string]*os.File{"read-only file": readOnly}
	if full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		defer full.Close()
		outs["/dev/full"] = full
	}
	srv := startFake(t)
	for name, out := range outs {
		for _, args := range [][]string{{"get", "--base-url", srv.URL, "sec_7d2f4a9c1e8b3f6a0d5c"}, {"get", "--fake", "--json", "sec_7d2f4a9c1e8b3f6a0d5c"}} {
			cmd := exec.CommandContext(t.Context(), binary, args...)
			cmd.Env = withKey
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = out, &stderr
			_ = cmd.Run()
			r := result{stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
			if r.code != exitFailure || !strings.HasPrefix(r.stderr, "secrets: writing the output: ") {
				t.Errorf("stdout a %s, %v: exit %d, stderr %q; want %d and the reason", name, args[1], r.code, r.stderr, exitFailure)
			}
			checkNoKey(t, r)
		}
	}
}

// TestInterruptExits130: Ctrl-C (SIGINT) while the built binary waits for
// the API ends it with the shell's code for SIGINT, 130, saying so.
func TestInterruptExits130(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		faults   []elevenlabstest.Fault
		requests int // at the fake when the command is waiting
	}{
		{"no answer", []elevenlabstest.Fault{{Delay: time.Hour}}, 1},
		// Interrupted while retrying a 503: still an interruption.
		{"retrying a 503", []elevenlabstest.Fault{{Status: http.StatusServiceUnavailable}, {Delay: time.Hour}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t)
			srv.AddFaults(tc.faults...) // a delay ends when the client goes
			cmd := exec.CommandContext(t.Context(), binary, "get", "--base-url", srv.URL, "sec_7d2f4a9c1e8b3f6a0d5c")
			cmd.Env = withKey
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			// Wait until the command is waiting at the fake; a liveness
			// bound, far above the time this takes, keeps a broken command
			// from hanging the test.
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			limit := time.After(30 * time.Second)
			for len(srv.Requests()) < tc.requests {
				select {
				case <-exited:
					t.Fatalf("the command exited (%d) before it was interrupted: %s", cmd.ProcessState.ExitCode(), stderr.String())
				case <-limit:
					_ = cmd.Process.Kill()
					<-exited
					t.Fatalf("the command sent %d requests in 30s, want %d", len(srv.Requests()), tc.requests)
				case <-tick.C:
				}
			}
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			<-exited
			r := result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
			if r.code != exitInterrupted || r.stderr != "secrets: interrupted\n" || r.stdout != "" {
				t.Errorf("after SIGINT: exit %d, stdout %q, stderr %q; want %d and %q", r.code, r.stdout, r.stderr, exitInterrupted, "secrets: interrupted\n")
			}
			checkNoKey(t, r)
		})
	}
}

// TestTimeoutWinsOverAnEarlierStatus: a call whose last attempt timed out
// (the client's read idle timeout, after a 503) exits as a network error,
// as the README's exit codes say, though the error also holds the 503.
func TestTimeoutWinsOverAnEarlierStatus(t *testing.T) {
	t.Parallel()
	srv := startFake(t)
	// A delay for the second attempt and for net/http's resend of it on
	// the connection the 503 left (see DefaultReadIdleTimeout).
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusServiceUnavailable}, elevenlabstest.Fault{Delay: time.Hour}, elevenlabstest.Fault{Delay: time.Hour})
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithMaxRetries(1),
		elevenlabs.WithBackoff(time.Millisecond, time.Millisecond), elevenlabs.WithReadIdleTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_7d2f4a9c1e8b3f6a0d5c")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("error = %v, want one holding the 503", err)
	}
	if code, what := classify(err); code != exitNetwork {
		t.Errorf("classify = %d (%s), want %d: the timeout ended the call", code, what, exitNetwork)
	}
}
