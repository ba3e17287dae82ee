package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// testKey is the API key the tests put in ELEVENLABS_API_KEY. No test
// prints it: failures say that it leaked, not what leaked.
const testKey = "xi-cmd-test-key-5d93b1f0"

// binary is the secrets command, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "secrets-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "secrets")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building the secrets command: %v\n", err)
		return 1
	}
	return m.Run()
}

// result is what one run of the binary printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// secrets runs the binary with args and only the environment variables
// in env (no proxies, no key unless given), and waits for it to exit or
// the test's deadline.
func secrets(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), binary, args...)
	// Never nil: a nil Env would pass on this process's environment, a
	// developer's real ELEVENLABS_API_KEY and proxy settings included.
	cmd.Env = append([]string{}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running secrets: %v", err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// withKey is an environment holding the test key.
var withKey = []string{"ELEVENLABS_API_KEY=" + testKey}

// startFake starts a fake accepting testKey, with the sample data.
func startFake(t *testing.T) *elevenlabstest.Server {
	t.Helper()
	return elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData())
}

// checkNoKey fails if the run printed the test key anywhere, or any 12
// consecutive characters of it, in any case, as written or escaped.
func checkNoKey(t *testing.T, r result) {
	t.Helper()
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if i := contract.KeyPieceAt(out, testKey); i >= 0 {
			t.Errorf("%s contains 12 characters of the API key, from offset %d", name, i)
		}
	}
}

// TestRunsSealedFromTheTestEnvironment: secrets() passes the binary only
// the environment it is given, so a key in the developer's shell neither
// changes a test's outcome nor reaches a test server.
func TestRunsSealedFromTheTestEnvironment(t *testing.T) {
	t.Setenv("ELEVENLABS_API_KEY", testKey)
	srv := startFake(t)
	r := secrets(t, nil, "get", "--base-url", srv.URL, "sec_7d2f4a9c1e8b3f6a0d5c")
	if r.code != 2 || len(srv.Requests()) != 0 {
		t.Errorf("exit code %d, %d requests; want 2 (no key) and none: the run saw this process's environment", r.code, len(srv.Requests()))
	}
	checkNoKey(t, r)
}
