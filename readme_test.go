package elevenlabs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEGoSamplesBuildAndRun: every Go sample in the README that is a
// whole file (it starts with a package clause) compiles against this
// module, and a test file among them passes, so the README cannot teach
// code that no longer works. They are built in a module of their own that
// requires this one, as a user's code would be.
func TestREADMEGoSamplesBuildAndRun(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module example.com/readme\n\ngo 1.26\n\nrequire github.com/convai-secrets-go/elevenlabs v0.0.0\n\nreplace github.com/convai-secrets-go/elevenlabs => " + root + "\n"
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte(goMod))
	write("go.sum", sum)

	samples, tests := 0, 0
	for i, m := range regexp.MustCompile("(?s)```go\n(package (\\w+).*?)```").FindAllStringSubmatch(string(readme), -1) {
		name := "main.go"
		if strings.HasSuffix(m[2], "_test") {
			name, tests = "sample_test.go", tests+1
		}
		write(filepath.Join("sample"+string(rune('a'+i)), name), []byte(m[1]))
		samples++
	}
	if samples < 2 || tests < 1 {
		t.Fatalf("found %d whole-file Go samples (%d tests) in the README, want the usage program and the elevenlabstest test at least", samples, tests)
	}
	cmd := exec.Command("go", "test", "-count=1", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "ELEVENLABS_API_KEY=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's Go samples do not build and pass: %v\n%s", err, out)
	}
}
