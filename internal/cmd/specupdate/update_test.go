package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seed is a module's files before an update, by path, but for
// openapi.yaml (the spec of firstPage).
var seed = map[string]string{
	fixtureFile:      "{\"seed\": true}\n",
	"api/api.gen.go": "package api // seed\n",
	"aliases.gen.go": "package elevenlabs // seed\n",
}

// testNow is the clock of the tests' updates.
func testNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// newModule returns a temporary module directory holding the seed files,
// with openapi.yaml taken from firstPage.
func newModule(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for path, data := range seed {
		files[path] = data
	}
	files["openapi.yaml"] = fenced(t, readPage(t, firstPage), "## OpenAPI Specification\n", "yaml")
	for path, data := range files {
		if err := writeFile(filepath.Join(dir, path), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return dir, files
}

// assertFiles fails unless dir holds exactly want under the seed's paths
// and CHANGELOG.md (absent when want has no entry for it).
func assertFiles(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, p := range []string{"openapi.yaml", "api", "aliases.gen.go", "elevenlabstest", changelogFile, "internal"} {
		filepath.WalkDir(filepath.Join(dir, p), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(path)
				rel, _ := filepath.Rel(dir, path)
				got[filepath.ToSlash(rel)] = string(data)
			}
			return nil
		})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files differ (-want +got):\n%s", diff)
	}
}

// past is the time the failure tests set on every file and directory of
// the module first, so that a write, even of the same bytes, shows.
var past = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// setModTimes sets the access and modification times of dir and of
// everything under it to mt.
func setModTimes(t *testing.T, dir string, mt time.Time) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, mt, mt)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// modTimes returns the modification times of dir and of everything under
// it, by path relative to dir.
func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	times := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		times[filepath.ToSlash(rel)] = info.ModTime()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return times
}

// steps are fake generate and diff steps that record their calls.
type steps struct {
	t         *testing.T
	dir       string
	generated int
	diffed    int
	genErr    error             // returned by generate, after writing genWrite
	genWrite  map[string]string // files generate writes
	diffErr   error
	report    string
	checked   int
	checkErr  error     // returned by check
	specs     [2]string // the old and the new spec diff was given
}

func (s *steps) updater(out *bytes.Buffer) *updater {
	return &updater{
		dir: s.dir,
		generate: func(context.Context) error {
			s.generated++
			for path, data := range s.genWrite {
				if err := writeFile(filepath.Join(s.dir, path), []byte(data)); err != nil {
					s.t.Fatal(err)
				}
			}
			return s.genErr
		},
		diff: func(_ context.Context, oldPath, newPath string) (string, error) {
			s.diffed++
			for i, p := range []string{oldPath, newPath} {
				data, err := os.ReadFile(p)
				if err != nil {
					s.t.Fatal(err)
				}
				s.specs[i] = string(data)
			}
			return s.report, s.diffErr
		},
		check: func(context.Context) error {
			s.checked++
			return s.checkErr
		},
		now: testNow,
		out: out,
	}
}

// edit returns page with old replaced by new once, failing if old is absent.
func edit(t *testing.T, page, old, new string) string {
	t.Helper()
	if !strings.Contains(page, old) {
		t.Fatalf("page has no %q", old)
	}
	return strings.Replace(page, old, new, 1)
}

// TestUpdateFailuresLeaveFilesAsTheyWere: a failure found before anything
// is written (the page, the spec, the example, the comparison) touches no
// file; one after (generation) puts back every file written.
func TestUpdateFailuresLeaveFilesAsTheyWere(t *testing.T) {
	later := readPage(t, laterPage)
	specBlock := fenced(t, later, "## OpenAPI Specification\n", "yaml")
	withSpec := func(s string) string { return edit(t, later, specBlock, s) }
	generated := map[string]string{
		"api/api.gen.go":   "package api // half-written\n",
		"api/extra.gen.go": "package api\n",
		"aliases.gen.go":   "broken",
	}
	for _, tc := range []struct {
		name     string
		page     string // "" for no file at all
		genErr   error
		diffErr  error
		wantErr  []string
		wantDiff bool // whether the diff step runs
		wantGen  bool // whether the generate step runs, after the spec and fixture are written
	}{
		{
			name:    "no page",
			wantErr: []string{"no such file"},
		},
		{
			name:    "no spec section",
			page:    edit(t, later, "## OpenAPI Specification", "## Specification"),
			wantErr: []string{`no "## OpenAPI Specification" section`},
		},
		{
			name:    "no yaml block",
			page:    edit(t, later, "```yaml\n"+specBlock+"```\n", ""),
			wantErr: []string{"has no ```yaml block", "expected exactly one"},
		},
		{
			name:    "two yaml blocks",
			page:    edit(t, later, "```yaml\n"+specBlock+"```\n", "```yaml\n"+specBlock+"```\n\n```yaml\n"+specBlock+"```\n"),
			wantErr: []string{"has 2 ```yaml blocks (lines 19, ", "expected exactly one"},
		},
		{
			name:    "unclosed block",
			page:    later[:strings.Index(later, "```yaml\n")+100],
			wantErr: []string{"code block opened at line 19 is never closed"},
		},
		{
			name:    "invalid YAML",
			page:    withSpec("openapi: 3.1.0\ninfo: [title: api\n"),
			wantErr: []string{"```yaml block at line 19 is not a valid OpenAPI document", "nothing was changed"},
		},
		{
			name:    "invalid OpenAPI: no info",
			page:    withSpec(edit(t, specBlock, "info:\n  title: api\n  version: 1.0.0\n", "")),
			wantErr: []string{"not a valid OpenAPI document", "info"},
		},
		{
			name:    "invalid OpenAPI: dangling $ref",
			page:    withSpec(edit(t, specBlock, "#/components/schemas/HTTPValidationError'", "#/components/schemas/NoSuchSchema'")),
			wantErr: []string{"not a valid OpenAPI document", "NoSuchSchema"},
		},
		{
			name:    "example breaks the schema",
			page:    edit(t, later, `"secret_id": "sec_9f8b7c6d5e4a3b2c1d0e"`, `"secret_id": 42`),
			wantErr: []string{"example response at line 370 is not a valid 200 response of the spec", "secret_id"},
		},
		{
			name:    "example is not JSON",
			page:    edit(t, later, `"name": "DatabaseCredentials",`, `"name": "DatabaseCredentials",,`),
			wantErr: []string{"example response at line 370", "not JSON"},
		},
		{
			name:    "example is not a json block",
			page:    edit(t, later, "**Response**\n\n```json", "**Response**\n\n```yaml"),
			wantErr: []string{"example response (line 370) is a ```yaml block: expected ```json"},
		},
		{
			name:     "diff fails",
			page:     later,
			diffErr:  errors.New("oasdiff: exit status 2"),
			wantErr:  []string{"comparing the specs, so nothing was changed", "oasdiff: exit status 2"},
			wantDiff: true,
		},
		{
			name:     "generation fails",
			page:     later,
			genErr:   errors.New(`error applying overlay (strict): selector "$.components.schemas.X" did not match any targets`),
			wantErr:  []string{"regenerating the code from the new spec failed", "every file is left as it was", "overlay.yaml no longer applies", "did not match any targets"},
			wantDiff: true,
			wantGen:  true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, files := newModule(t)
			setModTimes(t, dir, past)
			before := modTimes(t, dir)
			pagePath := filepath.Join(t.TempDir(), "page.md")
			if tc.page != "" {
				if err := os.WriteFile(pagePath, []byte(tc.page), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := &steps{t: t, dir: dir, genErr: tc.genErr, genWrite: generated, diffErr: tc.diffErr, report: "report\n"}
			var out bytes.Buffer
			err := s.updater(&out).update(context.Background(), pagePath)
			if err == nil {
				t.Fatal("update succeeded")
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q\ndoes not say %q", err, want)
				}
			}
			if (s.diffed > 0) != tc.wantDiff || (s.generated > 0) != tc.wantGen {
				t.Errorf("diff ran %d times, generate %d times; want diff %v, generate %v", s.diffed, s.generated, tc.wantDiff, tc.wantGen)
			}
			assertFiles(t, dir, files)
			if !tc.wantGen {
				// Nothing was written, removed or created, not even
				// the same bytes again.
				if diff := cmp.Diff(before, modTimes(t, dir)); diff != "" {
					t.Errorf("files or directories were touched (-before +after):\n%s", diff)
				}
			}
			if out.Len() > 0 {
				t.Errorf("printed %q on failure", out.String())
			}
		})
	}
}

func TestUpdateWritesSpecFixtureAndChangelog(t *testing.T) {
	dir, files := newModule(t)
	later := readPage(t, laterPage)
	oldSpec := files["openapi.yaml"]
	laterSpec := fenced(t, later, "## OpenAPI Specification\n", "yaml")
	example := fenced(t, later, "\n**Response**\n", "json")
	generated := map[string]string{"api/api.gen.go": "package api // new\n", "aliases.gen.go": "package elevenlabs // new\n"}

	// The later page: a new spec and the fixture from its example.
	s := &steps{t: t, dir: dir, genWrite: generated, report: "### Breaking changes\n\nnone\n"}
	var out bytes.Buffer
	u := s.updater(&out)
	wrapped := u.generate
	u.generate = func(ctx context.Context) error {
		if data, _ := os.ReadFile(filepath.Join(dir, "openapi.yaml")); string(data) != laterSpec {
			t.Error("generate ran before openapi.yaml held the new spec")
		}
		return wrapped(ctx)
	}
	if err := u.update(context.Background(), laterPage); err != nil {
		t.Fatal(err)
	}
	if s.generated != 1 || s.diffed != 1 {
		t.Errorf("generate ran %d times, diff %d times; want once each", s.generated, s.diffed)
	}
	if s.specs != [2]string{oldSpec, laterSpec} {
		t.Errorf("diff compared the wrong specs: old %d bytes, new %d bytes", len(s.specs[0]), len(s.specs[1]))
	}
	entry1 := "## 2025-06-01: get-secret.later.md\n\n" + s.report
	files["openapi.yaml"] = laterSpec
	files[fixtureFile] = example
	files["api/api.gen.go"] = generated["api/api.gen.go"]
	files["aliases.gen.go"] = generated["aliases.gen.go"]
	files[changelogFile] = changelogHeader + "\n" + entry1
	files[pagesDir+"/get-secret.later.md"] = later // the page, kept
	assertFiles(t, dir, files)
	if !strings.Contains(out.String(), s.report) {
		t.Errorf("output %q lacks the report", out.String())
	}
	for _, want := range []string{"A copy of the page is in " + pagesDir + "/get-secret.later.md", "The module's tests pass against it"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q does not say %q", out.String(), want)
		}
	}

	// The first page: no example, so the fixture stays, and with it the
	// copy of the later page it comes from; the new entry goes first.
	s.report = "### Breaking changes\n\n- **error** something\n"
	if err := s.updater(&out).update(context.Background(), firstPage); err != nil {
		t.Fatal(err)
	}
	files["openapi.yaml"] = oldSpec
	files[changelogFile] = changelogHeader + "\n## 2025-06-01: get-secret.md\n\n" + s.report + "\n" + entry1
	files[pagesDir+"/get-secret.md"] = readPage(t, firstPage)
	assertFiles(t, dir, files)

	// The same page again: nothing to compare or record.
	out.Reset()
	diffed := s.diffed
	if err := s.updater(&out).update(context.Background(), firstPage); err != nil {
		t.Fatal(err)
	}
	if s.diffed != diffed {
		t.Error("diff ran for an unchanged spec")
	}
	if s.checked != 2 {
		t.Errorf("the tests ran %d times, want 2 (after each change, not for an unchanged spec)", s.checked)
	}
	assertFiles(t, dir, files)
	if !strings.Contains(out.String(), "No changes to report") {
		t.Errorf("output %q does not say nothing changed", out.String())
	}

	// The later page again: spec and fixture both come from it now, so
	// the copy of the first page goes; another file there stays.
	keep := filepath.Join(dir, pagesDir, ".gitkeep")
	if err := os.WriteFile(keep, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s.report = "### Breaking changes\n\nnone again\n"
	if err := s.updater(&out).update(context.Background(), laterPage); err != nil {
		t.Fatal(err)
	}
	files["openapi.yaml"] = laterSpec
	files[changelogFile] = changelogHeader + "\n## 2025-06-01: get-secret.later.md\n\n" + s.report + "\n## 2025-06-01: get-secret.md\n\n" +
		"### Breaking changes\n\n- **error** something\n" + "\n" + entry1
	delete(files, pagesDir+"/get-secret.md")
	files[pagesDir+"/.gitkeep"] = ""
	assertFiles(t, dir, files)
}

// TestUpdateRegeneratesCodeBehindTheSpec: run on the page whose spec
// openapi.yaml already holds, the command still regenerates; when that
// changes the generated code (an earlier update killed between writing
// the spec and regenerating), it says so and runs the tests, with no
// changelog entry (it has no old spec to compare).
func TestUpdateRegeneratesCodeBehindTheSpec(t *testing.T) {
	dir, files := newModule(t)
	generated := map[string]string{"api/api.gen.go": "package api // from the spec\n", "aliases.gen.go": seed["aliases.gen.go"]}
	s := &steps{t: t, dir: dir, genWrite: generated}
	var out bytes.Buffer
	if err := s.updater(&out).update(context.Background(), firstPage); err != nil {
		t.Fatal(err)
	}
	if s.generated != 1 || s.diffed != 0 || s.checked != 1 {
		t.Errorf("generate ran %d times, diff %d, the tests %d; want 1, 0, 1", s.generated, s.diffed, s.checked)
	}
	files["api/api.gen.go"] = generated["api/api.gen.go"]
	assertFiles(t, dir, files)
	for _, want := range []string{"already matches", "generated code did not match it and is now regenerated", "git diff"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q does not say %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "No changes") {
		t.Errorf("output %q says nothing changed", out.String())
	}

	// A file generation stops writing counts too.
	s.genWrite = nil
	if err := os.Remove(filepath.Join(dir, "aliases.gen.go")); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(dir, "api/stale.gen.go"), []byte("package api\n")); err != nil {
		t.Fatal(err)
	}
	u := s.updater(&out)
	u.generate = func(context.Context) error {
		return errors.Join(os.Remove(filepath.Join(dir, "api/stale.gen.go")), writeFile(filepath.Join(dir, "aliases.gen.go"), []byte(seed["aliases.gen.go"])))
	}
	out.Reset()
	if err := u.update(context.Background(), firstPage); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "now regenerated") {
		t.Errorf("after generation removed a file: output %q does not say the code was regenerated", out.String())
	}
}

// TestUpdateInterruptedWhileGenerating: an interrupt (the context ends)
// while the code is regenerated puts back every file written, as a failed
// generation does, and says it was interrupted.
func TestUpdateInterruptedWhileGenerating(t *testing.T) {
	dir, files := newModule(t)
	s := &steps{t: t, dir: dir, genWrite: map[string]string{"api/api.gen.go": "package api // half written\n", "api/new.gen.go": "package api\n"}, report: "r\n"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u := s.updater(new(bytes.Buffer))
	wrapped := u.generate
	u.generate = func(ctx context.Context) error {
		_ = wrapped(ctx)
		cancel() // the interrupt, while the generator is under way
		<-ctx.Done()
		return ctx.Err()
	}
	err := u.update(ctx, laterPage)
	if err == nil || !strings.Contains(err.Error(), "interrupted while regenerating the code, so every file is left as it was") {
		t.Errorf("error = %v, want one saying the interrupted update left every file as it was", err)
	}
	assertFiles(t, dir, files)
}

// TestUpdateOfTheExampleAloneRunsTheTests: a page whose spec is the
// committed one but whose example response is not updates the fixture and
// runs the tests that read it, with no changelog entry.
func TestUpdateOfTheExampleAloneRunsTheTests(t *testing.T) {
	dir, files := newModule(t)
	later := readPage(t, laterPage)
	files["openapi.yaml"] = fenced(t, later, "## OpenAPI Specification\n", "yaml")
	if err := writeFile(filepath.Join(dir, "openapi.yaml"), []byte(files["openapi.yaml"])); err != nil {
		t.Fatal(err)
	}
	s := &steps{t: t, dir: dir}
	var out bytes.Buffer
	if err := s.updater(&out).update(context.Background(), laterPage); err != nil {
		t.Fatal(err)
	}
	if s.diffed != 0 || s.checked != 1 {
		t.Errorf("diff ran %d times and the tests %d times; want 0 and 1", s.diffed, s.checked)
	}
	files[fixtureFile] = fenced(t, later, "\n**Response**\n", "json")
	files[pagesDir+"/get-secret.later.md"] = later
	assertFiles(t, dir, files)
	if !strings.Contains(out.String(), "example response changed") {
		t.Errorf("output %q does not say the example changed", out.String())
	}

	// Failing tests keep the fixture and say so.
	if err := writeFile(filepath.Join(dir, fixtureFile), []byte(seed[fixtureFile])); err != nil {
		t.Fatal(err)
	}
	s.checkErr = errors.New("--- FAIL: TestSamples")
	err := s.updater(&out).update(context.Background(), laterPage)
	if err == nil || !strings.Contains(err.Error(), "the update is kept ("+fixtureFile+", a copy of the page in "+pagesDir+")") || !strings.Contains(err.Error(), "TestSamples") {
		t.Errorf("got error %v; want one naming %s alone as kept, and the failing test", err, fixtureFile)
	}
	assertFiles(t, dir, files)
}

// TestUpdateKeepsFilesWhenTestsFail: when the regenerated module fails its
// tests (a new server without a Region, a variant the overlay does not
// name), the update is kept, since the new spec is right, and the command
// fails with the failures and what to do.
func TestUpdateKeepsFilesWhenTestsFail(t *testing.T) {
	dir, files := newModule(t)
	later := readPage(t, laterPage)
	generated := map[string]string{"api/api.gen.go": "package api // new\n", "aliases.gen.go": "package elevenlabs // new\n"}
	s := &steps{t: t, dir: dir, genWrite: generated, report: "### Breaking changes\n\nnone\n",
		checkErr: errors.New("--- FAIL: TestRegionsMatchSpecServers\n    client_test.go:104: openapi.yaml lists server https://api.jp.example but no Region names it")}
	var out bytes.Buffer
	err := s.updater(&out).update(context.Background(), laterPage)
	if err == nil {
		t.Fatal("update succeeded although the tests failed")
	}
	for _, want := range []string{"the update is kept (openapi.yaml, the generated code, CHANGELOG.md, " + fixtureFile + ", a copy of the page in " + pagesDir + ")", "tests fail against it", "region.go", "make check", "no Region names it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not say %q", err, want)
		}
	}
	files["openapi.yaml"] = fenced(t, later, "## OpenAPI Specification\n", "yaml")
	files[fixtureFile] = fenced(t, later, "\n**Response**\n", "json")
	files["api/api.gen.go"] = generated["api/api.gen.go"]
	files["aliases.gen.go"] = generated["aliases.gen.go"]
	files[changelogFile] = changelogHeader + "\n## 2025-06-01: get-secret.later.md\n\n" + s.report
	files[pagesDir+"/get-secret.later.md"] = later
	assertFiles(t, dir, files)
	if !strings.Contains(out.String(), s.report) {
		t.Errorf("output %q lacks the report", out.String())
	}
}

// TestFailuresPicksWhatFailed: the check step reports the failing tests'
// lines, not the whole go test output; a build failure reports the
// compiler's errors.
func TestFailuresPicksWhatFailed(t *testing.T) {
	out := "ok  \tm/a\t0.1s\n--- FAIL: TestX (0.00s)\n    x_test.go:10: broken\n" +
		"    x_test.go:12: no sample covers:\n        used_by.tools[].type=hidden\n        \n        add it to a sample\n" +
		"=== RUN   TestY\nsome log line\nFAIL\nFAIL\tm/b\t0.2s\nok  \tm/c\t0.1s\n"
	got := failures(out, errors.New("exit status 1"))
	want := "--- FAIL: TestX (0.00s)\n    x_test.go:10: broken\n" +
		"    x_test.go:12: no sample covers:\n        used_by.tools[].type=hidden\n        \n        add it to a sample\n" +
		"FAIL\nFAIL\tm/b\t0.2s"
	if got != want {
		t.Errorf("failures = %q, want %q", got, want)
	}
	build := "FAIL\tm/b [build failed]\n"
	if got := failures(build, errors.New("go test: exit status 1\n./b.go:3: undefined: x")); !strings.Contains(got, "undefined: x") {
		t.Errorf("failures for a build failure = %q, want the compiler's error", got)
	}
}

// TestGenerationFailureNamesUnionsTheOverlayLacks: when generation fails
// on a spec with a discriminated union overlay.yaml does not name (which
// oapi-codegen refuses, its variants being inline), the error names it and
// what to add, besides the overlay's general advice.
func TestGenerationFailureNamesUnionsTheOverlayLacks(t *testing.T) {
	dir, files := newModule(t)
	overlay, err := os.ReadFile(filepath.Join("..", "..", "..", overlayFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, overlayFile), overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	later := readPage(t, laterPage)
	const anchor = "    ConvAiStoredSecretDependenciesToolsItems:\n"
	union := "    ConvAiStoredSecretDependenciesFlowsItems:\n      oneOf:\n" +
		"        - type: object\n          properties:\n            type:\n              type: string\n              enum:\n                - available\n" +
		"        - type: object\n          properties:\n            type:\n              type: string\n              enum:\n                - unknown\n" +
		"      discriminator:\n        propertyName: type\n"
	pagePath := filepath.Join(t.TempDir(), "page.md")
	if err := os.WriteFile(pagePath, []byte(edit(t, later, anchor, union+anchor)), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &steps{t: t, dir: dir, genErr: errors.New("discriminator: not all schemas were mapped"), report: "report\n"}
	var out bytes.Buffer
	err = s.updater(&out).update(context.Background(), pagePath)
	if err == nil {
		t.Fatal("update succeeded")
	}
	for _, want := range []string{"overlay.yaml does not name: ConvAiStoredSecretDependenciesFlowsItems.", "generatedUnions", "not all schemas were mapped", "every file is left as it was"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "ToolsItems") {
		t.Errorf("error %q names a union overlay.yaml does name", err)
	}
	assertFiles(t, dir, files)
}
