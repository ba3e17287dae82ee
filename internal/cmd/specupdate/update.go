package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// Paths, relative to the module root, that an update writes.
const (
	specFile      = "openapi.yaml"
	fixtureFile   = "elevenlabstest/testdata/get-secret-example.json"
	changelogFile = "CHANGELOG.md"
	overlayFile   = "overlay.yaml" // read, never written
	// pagesDir keeps a copy of the page the spec came from, under its
	// own name: the specupdate tests prove the committed openapi.yaml and
	// fixture are what the extractor takes from a page there (or among
	// their own fixtures, in the directory above, which a copy never
	// overwrites).
	pagesDir = "internal/cmd/specupdate/testdata/pages"
)

// generatedPaths is what the generate step rewrites; an update that fails
// puts them back as they were.
var generatedPaths = []string{"api", "aliases.gen.go"}

// changelogHeader starts a new CHANGELOG.md.
const changelogHeader = `# Changelog

Changes to the ElevenLabs API spec this module is generated from
(openapi.yaml), newest first. Each entry is written by
` + "`make spec DOC=<docs page>`" + ` (internal/cmd/specupdate) from oasdiff's
comparison of the previous and the new spec, and of their servers (which
oasdiff's checks do not cover): breaking changes first, then the rest, then
the structural diff.
`

// updater applies a docs page to the module in dir.
type updater struct {
	dir string
	// generate regenerates api/ and aliases.gen.go from dir's openapi.yaml.
	generate func(ctx context.Context) error
	// diff reports the changes from the spec in oldPath to the one in newPath.
	diff func(ctx context.Context, oldPath, newPath string) (string, error)
	// check runs the module's tests after a regeneration: they tie the
	// hand-written code (regions, overlay, sample data) to the spec and say
	// what a new spec needs that generation cannot carry by itself.
	check func(ctx context.Context) error
	now   func() time.Time
	out   io.Writer
}

// update takes the spec (and the example response, if any) from the docs
// page at pagePath, writes them, regenerates the code and records the
// change report in CHANGELOG.md. On any error the module is left as it was.
func (u *updater) update(ctx context.Context, pagePath string) error {
	data, err := os.ReadFile(pagePath)
	if err != nil {
		return err
	}
	p, err := parsePage(data)
	if err != nil {
		return fmt.Errorf("%s: %w", pagePath, err)
	}
	doc, err := spec.Parse(p.spec)
	if err != nil {
		return fmt.Errorf("%s: the ```yaml block at line %d is not a valid OpenAPI document, so nothing was changed: %w", pagePath, p.specLine, err)
	}
	if p.example != nil {
		if err := checkExample(doc, p.example); err != nil {
			return fmt.Errorf("%s: the example response at line %d is not a valid 200 response of the spec, so nothing was changed: %w", pagePath, p.exampleLine, err)
		}
	}

	oldPath := filepath.Join(u.dir, specFile)
	old, err := os.ReadFile(oldPath)
	if err != nil {
		return err
	}
	changed := !bytes.Equal(old, p.spec)
	exampleChanged := false
	if p.example != nil {
		fixture, err := os.ReadFile(filepath.Join(u.dir, fixtureFile))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		exampleChanged = !bytes.Equal(fixture, p.example)
	}
	var report, entry string
	if changed {
		if report, err = u.report(ctx, oldPath, p.spec); err != nil {
			return fmt.Errorf("comparing the specs, so nothing was changed: %w", err)
		}
		entry = fmt.Sprintf("## %s: %s\n\n%s", u.now().Format(time.DateOnly), filepath.Base(pagePath), report)
	}

	var pageCopy []byte
	if changed || exampleChanged {
		pageCopy = data
	}
	regenerated, err := u.apply(ctx, p, doc, pageFile(pagePath), pageCopy, entry)
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(u.out, "Updated %s from %s; this report is now in %s:\n\n%s", specFile, pagePath, changelogFile, report)
	} else {
		fmt.Fprintf(u.out, "%s already matches %s.\n", specFile, pagePath)
	}
	if regenerated && !changed {
		// The code was behind the spec: an update that was killed between
		// writing openapi.yaml and regenerating, or a hand edit.
		fmt.Fprintf(u.out, "The generated code did not match it and is now regenerated (api/, aliases.gen.go): review it with git diff. "+
			"A change report for that spec change, if there was one, is not in %s.\n", changelogFile)
	}
	if exampleChanged {
		// The fixture feeds the fake and the contract tests: run them.
		fmt.Fprintf(u.out, "Its example response changed and is now in %s.\n", fixtureFile)
	}
	if pageCopy != nil {
		fmt.Fprintf(u.out, "A copy of the page is in %s, for the tests that tie the files to it: commit it with them.\n", pageFile(pagePath))
	}
	if !changed && !regenerated && !exampleChanged {
		fmt.Fprintln(u.out, "No changes to report.")
		return nil
	}
	if err := u.check(ctx); err != nil {
		var updated []string
		if changed {
			updated = append(updated, specFile)
		}
		if regenerated {
			updated = append(updated, "the generated code")
		}
		if changed {
			updated = append(updated, changelogFile)
		}
		if exampleChanged {
			updated = append(updated, fixtureFile)
		}
		if pageCopy != nil {
			updated = append(updated, "a copy of the page in "+pagesDir)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted while the module's tests ran; the update is kept (%s): run make check", strings.Join(updated, ", "))
		}
		return fmt.Errorf("the update is kept (%s), but the module's tests fail against it.\n"+
			"Update what they name (overlay.yaml for a new union variant, region.go and the README for a server added or removed,\n"+
			"the fake's sample data for a new value, overlay.yaml's x-go-name or x-enum-varnames to keep an exported name\n"+
			"TestExportedAPI lists as gone), then run make check:\n%w", strings.Join(updated, ", "), err)
	}
	fmt.Fprintln(u.out, "The module's tests pass against it: review the changes (git diff), run make check and commit.")
	return nil
}

// report diffs the spec in oldPath against newSpec, written to a
// temporary file.
func (u *updater) report(ctx context.Context, oldPath string, newSpec []byte) (string, error) {
	tmp, err := os.MkdirTemp("", "specupdate")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	newPath := filepath.Join(tmp, "new-"+specFile)
	if err := os.WriteFile(newPath, newSpec, 0o644); err != nil {
		return "", err
	}
	return u.diff(ctx, oldPath, newPath)
}

// pageFile is where the copy of the page at pagePath goes, relative to
// the module root.
func pageFile(pagePath string) string {
	return filepath.Join(pagesDir, filepath.Base(pagePath))
}

// apply writes the spec (p.spec, parsed as doc) and the fixture (and,
// if pageCopy is not nil, it to copyPath: the page), regenerates, and adds
// entry (if not "") to the changelog, restoring every file on error.
// regenerated reports whether generation changed the generated code.
func (u *updater) apply(ctx context.Context, p page, doc *openapi3.T, copyPath string, pageCopy []byte, entry string) (regenerated bool, err error) {
	written, err := takeSnapshot(u.dir, []string{specFile, fixtureFile, changelogFile, pagesDir})
	if err != nil {
		return false, err
	}
	generated, err := takeSnapshot(u.dir, generatedPaths)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			if rerr := errors.Join(written.restore(), generated.restore()); rerr != nil {
				err = fmt.Errorf("%w\nrestoring the previous files also failed, check `git status`: %v", err, rerr)
			}
		}
	}()

	if err := writeFile(filepath.Join(u.dir, specFile), p.spec); err != nil {
		return false, err
	}
	if p.example != nil {
		if err := writeFile(filepath.Join(u.dir, fixtureFile), p.example); err != nil {
			return false, err
		}
	}
	if pageCopy != nil && p.example != nil {
		// The page both files now come from: a copy of an earlier page
		// would be out of date. (A page without an example leaves the
		// fixture, and the copy of the page it came from.)
		for rel := range written.files {
			if filepath.Dir(rel) == pagesDir && rel != copyPath && filepath.Ext(rel) == ".md" {
				if err := os.Remove(filepath.Join(u.dir, rel)); err != nil {
					return false, err
				}
			}
		}
	}
	if pageCopy != nil {
		if err := writeFile(filepath.Join(u.dir, copyPath), pageCopy); err != nil {
			return false, err
		}
	}
	if err := u.generate(ctx); err != nil {
		if ctx.Err() != nil {
			return false, fmt.Errorf("interrupted while regenerating the code, so every file is left as it was (%s, %s, api/, aliases.gen.go): %w", specFile, fixtureFile, err)
		}
		hint := ""
		if unions := u.unionsTheOverlayLacks(doc); len(unions) > 0 {
			hint = fmt.Sprintf("The new spec has discriminated unions that overlay.yaml does not name: %s. oapi-codegen cannot map inline variants\n"+
				"(\"discriminator: not all schemas were mapped\"): give each one named copies of its variants and a discriminator mapping in overlay.yaml,\n"+
				"as it does for the tools list's, and list it in generatedUnions (overlay_test.go).\n", strings.Join(unions, ", "))
		}
		return false, fmt.Errorf("regenerating the code from the new spec failed, so every file is left as it was (%s, %s, api/, aliases.gen.go).\n%s"+
			"If overlay.yaml no longer applies (a target it names is gone or renamed), update it for the new spec and run this again:\n%w", specFile, fixtureFile, hint, err)
	}
	after, err := takeSnapshot(u.dir, generatedPaths)
	if err != nil {
		return false, err
	}
	regenerated = !maps.EqualFunc(generated.files, after.files, bytes.Equal)
	if entry == "" {
		return regenerated, nil
	}
	return regenerated, addChangelogEntry(filepath.Join(u.dir, changelogFile), entry)
}

// unionsTheOverlayLacks returns the discriminated unions (a oneOf with a
// discriminator) among the component schemas of doc that the module's
// overlay.yaml names nowhere, sorted.
func (u *updater) unionsTheOverlayLacks(doc *openapi3.T) []string {
	overlay, _ := os.ReadFile(filepath.Join(u.dir, overlayFile)) // none: every union is missing from it
	var names []string
	for name, ref := range doc.Components.Schemas {
		if ref == nil || ref.Value == nil || len(ref.Value.OneOf) == 0 || ref.Value.Discriminator == nil {
			continue
		}
		if !regexp.MustCompile(`schemas\.` + regexp.QuoteMeta(name) + `\b`).Match(overlay) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// checkExample validates the example response against the 200
// application/json response of the spec's one operation.
func checkExample(doc *openapi3.T, example []byte) error {
	var schemas []*openapi3.Schema
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if r := op.Responses.Status(200); r != nil && r.Value != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
					schemas = append(schemas, mt.Schema.Value)
				}
			}
		}
	}
	if len(schemas) != 1 {
		return fmt.Errorf("the spec has %d operations with a 200 application/json response: expected exactly one to check the example against", len(schemas))
	}
	var value any
	if err := json.Unmarshal(example, &value); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	opts := []openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.MultiErrors()}
	if doc.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	return schemas[0].VisitJSON(value, opts...)
}

// addChangelogEntry puts entry above the newest entry of the changelog at
// path, creating the file with its header if needed.
func addChangelogEntry(path, entry string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = []byte(changelogHeader), nil
	}
	if err != nil {
		return err
	}
	text, entry := string(data), strings.TrimRight(entry, "\n")+"\n"
	if i := strings.Index("\n"+text, "\n## "); i >= 0 {
		return writeFile(path, []byte(text[:i]+entry+"\n"+text[i:]))
	}
	return writeFile(path, []byte(strings.TrimRight(text, "\n")+"\n\n"+entry))
}

// writeFile writes data to path, creating its directory.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// snapshot holds the contents of files so they can be put back.
type snapshot struct {
	dir   string
	roots []string          // the paths taken, relative to dir
	files map[string][]byte // every regular file under them, by path relative to dir
}

// takeSnapshot records every regular file at or under the given paths of
// dir (missing paths are recorded as absent).
func takeSnapshot(dir string, paths []string) (*snapshot, error) {
	s := &snapshot{dir: dir, roots: paths, files: map[string][]byte{}}
	for _, p := range paths {
		err := s.walk(p, func(rel string) error {
			data, err := os.ReadFile(filepath.Join(dir, rel))
			s.files[rel] = data
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("recording %s before the update: %w", p, err)
		}
	}
	return s, nil
}

// restore puts every recorded file back and removes files created since
// under the recorded paths.
func (s *snapshot) restore() error {
	var errs []error
	for _, p := range s.roots {
		errs = append(errs, s.walk(p, func(rel string) error {
			if _, ok := s.files[rel]; !ok {
				return os.Remove(filepath.Join(s.dir, rel))
			}
			return nil
		}))
	}
	for rel, data := range s.files {
		errs = append(errs, writeFile(filepath.Join(s.dir, rel), data))
	}
	return errors.Join(errs...)
}

// walk calls fn with every regular file at or under rel.
func (s *snapshot) walk(rel string, fn func(rel string) error) error {
	err := filepath.WalkDir(filepath.Join(s.dir, rel), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		r, err := filepath.Rel(s.dir, path)
		if err != nil {
			return err
		}
		return fn(r)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
