package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// aliased returns the names Generate aliases in src.
func aliased(t *testing.T, src string) []string {
	t.Helper()
	code, err := Generate([]byte(src), "root", "example.test/api")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^(?:\t|type )(\w+)\s+= api\.`).FindAllStringSubmatch(string(code), -1) {
		names = append(names, m[1])
	}
	return names
}

// TestAliasesEveryModelType: model types are aliased whatever their names
// end in; only the raw client's plumbing and the per-operation Params and
// Response types are left out.
func TestAliasesEveryModelType(t *testing.T) {
	src := `package api

import "net/http"

type Client struct{}
type ClientWithResponses struct{}
type GetThingParams struct{}
type GetThingParamsMode string
type GetThingResponse struct{ HTTPResponse *http.Response }
type RotationParams struct{}
type SecretUsageResponse struct{}
type Thing struct{}
type unexported struct{}

const (
	GetThingParamsModeFast GetThingParamsMode = "fast"
	ThingKindA             string             = "a"
)

func NewGetThingRequest(server string, params *GetThingParams) (*http.Request, error) { return nil, nil }
func ParseGetThingResponse(rsp *http.Response) (*GetThingResponse, error)             { return nil, nil }
`
	got := aliased(t, src)
	want := []string{"RotationParams", "SecretUsageResponse", "Thing", "GetThingParamsModeFast", "ThingKindA"}
	for _, name := range want {
		if !slices.Contains(got, name) {
			t.Errorf("%s is not aliased (aliased: %v)", name, got)
		}
	}
	for _, name := range []string{"Client", "ClientWithResponses", "GetThingParams", "GetThingParamsMode", "GetThingResponse", "unexported"} {
		if slices.Contains(got, name) {
			t.Errorf("%s is aliased; it is the raw client's", name)
		}
	}
}

// TestTheAPIPackageIsCovered: on the real generated code, every exported
// type is aliased except the raw client's plumbing and GetSecret's own
// Params and Response.
func TestTheAPIPackageIsCovered(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "api", "api.gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	got := aliased(t, string(src))
	// The operations, by their request builders: their OpParams and
	// OpResponse are the generated client's, not models.
	var ops []string
	for _, m := range regexp.MustCompile(`(?m)^func New(\w+)Request\(`).FindAllStringSubmatch(string(src), -1) {
		ops = append(ops, m[1])
	}
	if !slices.Contains(ops, "GetSecret") {
		t.Fatalf("api.gen.go has no NewGetSecretRequest; operations found: %v", ops)
	}
	for _, m := range regexp.MustCompile(`(?m)^type ([A-Z]\w*)`).FindAllStringSubmatch(string(src), -1) {
		name := m[1]
		skip := plumbing[name] || slices.ContainsFunc(ops, func(op string) bool {
			return name == op+"Response" || strings.HasPrefix(name, op+"Params")
		})
		if has := slices.Contains(got, name); has == skip {
			t.Errorf("type %s: aliased %v, want %v (an operation's Params and Response are the generated client's; every other type is a model, aliased)", name, has, !skip)
		}
	}
	if len(got) < 20 || !strings.Contains(strings.Join(got, " "), "ConvAIWorkspaceStoredSecretConfig") {
		t.Errorf("aliased only %v", got)
	}
}

// TestAliasDocsSayWhatEachTypeIs: a union's alias names its variants and
// how to read them, an enum's lists its values, and a type the spec
// describes carries the description, not oapi-codegen's boilerplate.
func TestAliasDocsSayWhatEachTypeIs(t *testing.T) {
	src := `package api

import "encoding/json"

// Pet defines model for PetsItems.
type Pet struct{ union json.RawMessage }

func (t Pet) AsCat() (Cat, error)                { return Cat{}, nil }
func (t *Pet) FromCat(v Cat) error              { return nil }
func (t Pet) AsDog() (Dog, error)                { return Dog{}, nil }
func (t Pet) AsBird() (Bird, error)              { return Bird{}, nil }
func (t Pet) Discriminator() (string, error) {
	var discriminator struct {
		Discriminator string ` + "`" + `json:"kind"` + "`" + `
	}
	err := json.Unmarshal(t.union, &discriminator)
	return discriminator.Discriminator, err
}
func (t Pet) ValueByDiscriminator() (any, error) { return nil, nil }

// Cat A small animal that
// purrs.
type Cat struct{}

// Dog Dog variant
type Dog struct{}

type Bird struct{}

// Defines values for Color.
const (
	ColorRed  Color = "red"
	ColorBlue Color = "blue"
)

// Color defines model for Color.
type Color string

func (e Color) Valid() bool { return true }

// Defines values for Size.
const SizeS Size = "s"

// Size has no Valid method.
type Size string
`
	code, err := Generate([]byte(src), "root", "example.test/api")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(code), "//", "")), " ")
	for _, want := range []string{
		`Pet is a union of [Cat], [Dog] and [Bird], told apart by its "kind" field. ValueByDiscriminator returns the variant, or an error for a kind newer`,
		"Cat is the generated [api.Cat]: A small animal that purrs. type Cat = api.Cat",
		"Dog is the generated [api.Dog]. type Dog = api.Dog",
		"Color is one of the values [ColorRed] and [ColorBlue]. Valid reports",
		"Size is one of the values [SizeS]. type Size = api.Size",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the aliases' docs lack %q:\n%s", want, code)
		}
	}
}

// TestCollisionsWithTheWrapperAreNamed: a schema (or enum constant) the
// spec comes to name as a hand-written type or constant of the package,
// or of its internal tests, is an error naming both and the fix, not
// aliases that fail to compile; other packages' files in the directory
// (external tests) do not count.
func TestCollisionsWithTheWrapperAreNamed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("region.go", "package root\n\ntype Region string\n\nconst RegionEU Region = \"eu\"\n\nfunc init() {}\n\nvar _ = 1\n")
	write("region_test.go", "package root\n\nfunc SleepForTest() {}\n")
	write("example_test.go", "package root_test\n\ntype Secret struct{}\n")
	write("doc_other.go", "package other\n\ntype Secret struct{}\n")
	write("aliases.gen.go", "package root\n\ntype Stale = int\n") // the file being replaced
	out := filepath.Join(dir, "aliases.gen.go")
	generate := func(src string) []byte {
		t.Helper()
		code, err := Generate([]byte(src), "root", "example.test/api")
		if err != nil {
			t.Fatal(err)
		}
		return code
	}

	clash := generate("package api\n\ntype Region string\n\nconst (\n\tRegionEU Region = \"eu\"\n)\n\nfunc (e Region) Valid() bool { return true }\n\ntype Secret struct{}\n\ntype Stale struct{}\n\ntype SleepForTest struct{}\n")
	err := checkCollisions(clash, out)
	if err == nil {
		t.Fatal("no error for a schema named as a hand-written type")
	}
	for _, want := range []string{"Region (declared in region.go)", "RegionEU (declared in region.go)", "SleepForTest (declared in region_test.go)", "overlay.yaml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, not := range []string{"Secret", "Stale", "init", "_ "} {
		if strings.Contains(err.Error(), not) {
			t.Errorf("error %q names %q, which no hand-written file of the package declares", err, not)
		}
	}

	if err := checkCollisions(generate("package api\n\ntype Secret struct{}\n\ntype Stale struct{}\n"), out); err != nil {
		t.Errorf("no clash, but: %v", err)
	}
}
