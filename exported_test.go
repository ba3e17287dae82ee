package elevenlabs_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateExported = flag.Bool("update", false, "rewrite testdata/exported.txt from the code")

// exportedFile lists what this module exports: callers' code is written
// against it, so a change to it is a change to read before it lands.
const exportedFile = "testdata/exported.txt"

// TestExportedAPI: what the root package, api and elevenlabstest export (every type, with
// its type parameters and struct fields, constant with its value, function
// and method with its signature) is what testdata/exported.txt lists. A spec update can
// change it without changing what the API does: an enum value added
// before another of the same spelling renames constants (ToolAccessLevel-
// Commenter would then mean "Commenter" and the old one become
// ToolAccessLevelCommenter1), a schema moved inline renames a type, and no
// other test need notice. So any change fails here until the file is
// rewritten (go test -run TestExportedAPI -update .), and its diff is
// reviewed with the code's.
func TestExportedAPI(t *testing.T) {
	var got []string
	for _, dir := range []struct{ path, pkg string }{{".", "elevenlabs"}, {"api", "api"}, {"elevenlabstest", "elevenlabstest"}} {
		listed, unlisted := exportedIn(t, dir.path, dir.pkg)
		got = append(got, listed...)
		for _, u := range unlisted {
			t.Error(u)
		}
	}
	slices.Sort(got)
	if *updateExported {
		if err := os.WriteFile(exportedFile, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(exportedFile)
	if err != nil {
		t.Fatalf("%v: write it with go test -run TestExportedAPI -update .", err)
	}
	want := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var gone, added []string
	for _, w := range want {
		if _, found := slices.BinarySearch(got, w); !found {
			gone = append(gone, w)
		}
	}
	for _, g := range got {
		if _, found := slices.BinarySearch(want, g); !found {
			added = append(added, g)
		}
	}
	if len(gone) == 0 && len(added) == 0 {
		return
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "the exported API is not what %s lists.\n", exportedFile)
	if len(gone) > 0 {
		fmt.Fprintf(&msg, "Gone or changed (callers' code written against it breaks, or silently means something else):\n  %s\n", strings.Join(gone, "\n  "))
		msg.WriteString("After a spec update, keep the old names in overlay.yaml (x-go-name for a type or field, x-enum-varnames for constants) unless the break is meant.\n")
	}
	if len(added) > 0 {
		fmt.Fprintf(&msg, "New:\n  %s\n", strings.Join(added, "\n  "))
	}
	msg.WriteString("If the change is meant, rewrite the list (go test -run TestExportedAPI -update .), and note a break in CHANGELOG.md.")
	t.Error(msg.String())
}

// exportedIn lists the exported declarations of the package in dir (its
// non-test files), one line each, named pkg.Name; and, in unlisted, what
// it cannot list as it is (members promoted from an unexported embedded
// type, a constant whose value iota implies).
func exportedIn(t *testing.T, dir, pkg string) (out, unlisted []string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	show := func(n ast.Node) string {
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, n); err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				name := pkg + "." + d.Name.Name
				if d.Recv != nil {
					recv := show(d.Recv.List[0].Type)
					if !ast.IsExported(strings.TrimLeft(recv, "*")) {
						continue
					}
					name = "method (" + pkg + "." + strings.TrimLeft(recv, "*") + ") " + d.Name.Name
					if strings.HasPrefix(recv, "*") {
						name = "method (*" + pkg + "." + recv[1:] + ") " + d.Name.Name
					}
				} else {
					name = "func " + name
				}
				out = append(out, name+strings.TrimPrefix(show(d.Type), "func"))
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						name := "type " + pkg + "." + s.Name.Name
						if s.TypeParams != nil {
							var params []string
							for _, p := range s.TypeParams.List {
								var names []string
								for _, n := range p.Names {
									names = append(names, n.Name)
								}
								params = append(params, strings.Join(names, ", ")+" "+show(p.Type))
							}
							name += "[" + strings.Join(params, ", ") + "]"
						}
						st, ok := s.Type.(*ast.StructType)
						if !ok {
							if s.Assign.IsValid() {
								name += " ="
							}
							out = append(out, name+" "+show(s.Type))
							continue
						}
						out = append(out, name+" struct")
						for _, field := range st.Fields.List {
							for _, n := range field.Names {
								if n.IsExported() {
									line := name + " field " + n.Name + " " + show(field.Type)
									if field.Tag != nil {
										line += " " + field.Tag.Value
									}
									out = append(out, line)
								}
							}
							if len(field.Names) == 0 { // embedded
								embedded := show(field.Type)
								out = append(out, name+" embeds "+embedded)
								if base := strings.TrimLeft(embedded, "*"); !strings.Contains(base, ".") && !ast.IsExported(base) {
									// Its exported fields and methods are the struct's
									// own, and this list would not show a change to them.
									unlisted = append(unlisted, fmt.Sprintf("%s: %s embeds the unexported %s, whose promoted fields and methods TestExportedAPI does not list: teach exportedIn to", path, s.Name.Name, embedded))
								}
							}
						}
					case *ast.ValueSpec:
						kind := "var"
						if d.Tok == token.CONST {
							kind = "const"
							if len(s.Values) == 0 {
								// An implicit repetition of the group's last
								// expression: its value depends on its place.
								unlisted = append(unlisted, fmt.Sprintf("%s: the constant %s has an implied value (iota), which TestExportedAPI does not list: teach exportedIn to", path, s.Names[0].Name))
							}
						}
						for i, n := range s.Names {
							if !n.IsExported() {
								continue
							}
							line := kind + " " + pkg + "." + n.Name
							if s.Type != nil {
								line += " " + show(s.Type)
							}
							if kind == "const" && i < len(s.Values) {
								line += " = " + show(s.Values[i])
							}
							out = append(out, line)
						}
					}
				}
			}
		}
	}
	return out, unlisted
}

// TestExportedInSaysWhatItCannotList: exportedIn lists type parameters,
// and names what it cannot list (promoted members of an unexported
// embedded type, constants valued by iota), which TestExportedAPI reports.
func TestExportedInSaysWhatItCannotList(t *testing.T) {
	dir := t.TempDir()
	src := "package probe\n\ntype b struct{ X int }\n\nfunc (b) M() {}\n\ntype A struct{ b }\n\ntype G[K comparable, V any] struct{ M map[K]V }\n\nconst (\n\tY = iota\n\tZ\n)\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	listed, unlisted := exportedIn(t, dir, "probe")
	for _, want := range []string{"type probe.G[K comparable, V any] field M map[K]V", "const probe.Y = iota", "type probe.A embeds b"} {
		if !slices.Contains(listed, want) {
			t.Errorf("exportedIn lists %q, want %q among them", listed, want)
		}
	}
	if len(unlisted) != 2 || !strings.Contains(unlisted[0], "A embeds the unexported b") || !strings.Contains(unlisted[1], "the constant Z has an implied value") {
		t.Errorf("exportedIn says it cannot list %q, want A's embedded b and Z", unlisted)
	}
}
