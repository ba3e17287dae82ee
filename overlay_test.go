package elevenlabs_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// generatedUnions is what overlay.yaml makes of the spec's discriminated
// unions: for each, the Go variant type per discriminator value, and a
// function decoding JSON through the generated union.
var generatedUnions = map[string]struct {
	variants map[string]reflect.Type
	decode   func([]byte) (any, error)
}{
	"ConvAiStoredSecretDependenciesToolsItems": {
		variants: map[string]reflect.Type{
			"available": reflect.TypeFor[elevenlabs.DependentAvailableToolIdentifier](),
			"unknown":   reflect.TypeFor[elevenlabs.DependentUnknownToolIdentifier](),
		},
		decode: decodeVia[elevenlabs.ToolDependent],
	},
	"ConvAiStoredSecretDependenciesAgentsItems": {
		variants: map[string]reflect.Type{
			"available": reflect.TypeFor[elevenlabs.DependentAvailableAgentIdentifier](),
			"unknown":   reflect.TypeFor[elevenlabs.DependentUnknownAgentIdentifier](),
		},
		decode: decodeVia[elevenlabs.AgentDependent],
	},
	"ConvAiStoredSecretDependenciesMcpServersItems": {
		variants: map[string]reflect.Type{
			"available": reflect.TypeFor[elevenlabs.DependentAvailableMCPServerIdentifier](),
			"unknown":   reflect.TypeFor[elevenlabs.DependentUnknownMCPServerIdentifier](),
		},
		decode: decodeVia[elevenlabs.MCPServerDependent],
	},
}

type discriminated interface {
	ValueByDiscriminator() (any, error)
}

func decodeVia[U any, PU interface {
	*U
	json.Unmarshaler
}](data []byte) (any, error) {
	var u U
	if err := PU(&u).UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return any(u).(discriminated).ValueByDiscriminator()
}

// TestOverlayNamesEveryUnionVariant ties overlay.yaml to openapi.yaml: the
// overlay replaces each union's inline variants with named copies, so a
// variant the spec adds, or a discriminator value it renames, would be
// dropped silently. This test fails instead, and says what to update.
func TestOverlayNamesEveryUnionVariant(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if len(s.OneOf) == 0 || s.Discriminator == nil {
			continue
		}
		seen[name] = true
		gen, ok := generatedUnions[name]
		if !ok {
			t.Errorf("openapi.yaml has a discriminated union %s that overlay.yaml does not name: add it to overlay.yaml and to generatedUnions", name)
			continue
		}
		prop := s.Discriminator.PropertyName
		var values []string
		for i, v := range s.OneOf {
			variant := v.Value
			var enum []any
			if p := variant.Properties[prop]; p != nil && p.Value != nil {
				enum = p.Value.Enum
			}
			for _, v := range enum {
				values = append(values, fmt.Sprint(v))
			}
			switch {
			case len(enum) == 0:
				t.Errorf("%s.oneOf[%d]: its discriminator %q has no enum value: overlay.yaml cannot select the variant by its value (a copy action) nor map it; update overlay.yaml, generatedUnions and this test for such a variant", name, i, prop)
				continue
			case len(enum) > 1:
				t.Errorf("%s.oneOf[%d]: its discriminator %q takes several values %v, and overlay.yaml maps one to each variant: map every value to the variant's named copy in overlay.yaml's discriminator mapping; the shape check (unionKinds in shape.go) and generatedUnions read one value per variant, so extend them too, or the others pass unchecked", name, i, prop, enum)
			}
			value := fmt.Sprint(enum[0])
			goType, ok := gen.variants[value]
			if !ok {
				t.Errorf("%s has a variant %q=%q that overlay.yaml does not name and map, or that generatedUnions in overlay_test.go does not list: add a named copy and a discriminator mapping for it to overlay.yaml, then its Go type to generatedUnions", name, prop, value)
				continue
			}
			checkFields(t, name+"/"+value, variant.Properties, variant.Required, goType)

			got, err := gen.decode([]byte(`{"` + prop + `":"` + value + `"}`))
			if err != nil {
				t.Errorf("%s: ValueByDiscriminator for %q: %v", name, value, err)
			} else if reflect.TypeOf(got) != goType {
				t.Errorf("%s: %q decodes to %T, want %v", name, value, got, goType)
			}
		}
		for value := range gen.variants {
			if !slices.Contains(values, value) {
				t.Errorf("%s: the spec has no variant %q any more; remove it from overlay.yaml", name, value)
			}
		}
	}
	for name := range generatedUnions {
		if !seen[name] {
			t.Errorf("%s is no longer a discriminated union in openapi.yaml: update overlay.yaml", name)
		}
	}
}

// checkFields compares a Go struct's JSON fields with a schema's properties:
// the same names, and omitempty exactly where the spec's property is
// optional. (A required property oapi-codegen reads as nullable, by any of
// the spec's ways to say so, is a pointer without omitempty: which way is
// the generator's to know, and the shape check follows the Go type.)
func checkFields(t *testing.T, where string, props map[string]*openapi3.SchemaRef, required []string, goType reflect.Type) {
	t.Helper()
	var goFields []string
	optional := map[string]bool{}
	for f := range goType.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		goFields = append(goFields, name)
		optional[name] = strings.Contains(opts, "omitempty")
	}
	var specFields []string
	for p := range props {
		specFields = append(specFields, p)
	}
	sort.Strings(goFields)
	sort.Strings(specFields)
	if !slices.Equal(goFields, specFields) {
		t.Errorf("%s: Go type %v has fields %v, the spec %v: run make generate", where, goType, goFields, specFields)
	}
	for _, p := range specFields {
		if req := slices.Contains(required, p); optional[p] == req {
			t.Errorf("%s: field %q: required in the spec = %v, but omitempty in Go = %v: run make generate", where, p, req, optional[p])
		}
	}
}

// TestNoInlineDiscriminatedUnions: the overlay names the variants of the
// spec's named unions (TestOverlayNamesEveryUnionVariant); a discriminated
// union written inline (in a property, an array's items, a response)
// would escape that check, so this test fails on one and says what to do.
func TestNoInlineDiscriminatedUnions(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range inlineUnions(doc) {
		t.Errorf("openapi.yaml has a discriminated union written inline at %s: overlay.yaml must move it to components/schemas (a copy action) and name its variants, and generatedUnions list it", where)
	}
	// The walk itself: an inline union in a property is found.
	doc.Components.Schemas["Probe"] = openapi3.NewSchemaRef("", &openapi3.Schema{
		Properties: openapi3.Schemas{"x": openapi3.NewSchemaRef("", &openapi3.Schema{
			OneOf:         openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewObjectSchema())},
			Discriminator: &openapi3.Discriminator{PropertyName: "type"},
		})},
	})
	if got := inlineUnions(doc); !slices.Contains(got, "components/schemas/Probe/properties/x") {
		t.Errorf("the walk missed an inline union in a property: found %v", got)
	}
}

// inlineUnions returns where doc has a oneOf with a discriminator that is
// not itself a named component schema.
func inlineUnions(doc *openapi3.T) []string {
	var found []string
	walkSchemas(doc, func(where string, s *openapi3.Schema, named bool) {
		if !named && len(s.OneOf) > 0 && s.Discriminator != nil {
			found = append(found, where)
		}
	})
	return found
}

// walkSchemas calls visit with every schema of doc written out (a $ref is
// visited where it is defined), once, and where it is; named is true for
// a component schema itself.
func walkSchemas(doc *openapi3.T, visit func(where string, s *openapi3.Schema, named bool)) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, ref *openapi3.SchemaRef, named bool)
	walk = func(where string, ref *openapi3.SchemaRef, named bool) {
		if ref == nil || ref.Value == nil || ref.Ref != "" || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		visit(where, s, named)
		for name, p := range s.Properties {
			walk(where+"/properties/"+name, p, false)
		}
		walk(where+"/items", s.Items, false)
		for i, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for j, v := range list {
				walk(fmt.Sprintf("%s/%s/%d", where, [...]string{"oneOf", "anyOf", "allOf"}[i], j), v, false)
			}
		}
		if s.AdditionalProperties.Schema != nil {
			walk(where+"/additionalProperties", s.AdditionalProperties.Schema, false)
		}
	}
	for name, ref := range doc.Components.Schemas {
		walk("components/schemas/"+name, ref, true)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(fmt.Sprintf("paths/%s/%s/parameters/%s", path, method, p.Value.Name), p.Value.Schema, false)
				}
			}
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for ct, mt := range r.Value.Content {
					walk(fmt.Sprintf("paths/%s/%s/responses/%s/%s", path, method, code, ct), mt.Schema, false)
				}
			}
		}
	}
}

// TestOptionalDefaultsAreZeroValues: a property a response may leave out
// reads, decoded, as Go's zero value (false, 0, "", nil), and InUse,
// HasMore and the secrets table read it so. Where openapi.yaml gives such
// a property another default (tools_has_more: default true, say), an
// answer that leaves it out means that default, and the client would read
// it wrong without a word: oapi-codegen does not apply defaults. So such
// a default fails here. (A required property's default is moot: a
// response without it is refused.)
func TestOptionalDefaultsAreZeroValues(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	check := func(doc *openapi3.T) (wrong []string) {
		walkSchemas(doc, func(where string, s *openapi3.Schema, _ bool) {
			for name, p := range s.Properties {
				if p.Value == nil || p.Value.Default == nil || slices.Contains(s.Required, name) {
					continue
				}
				switch d := p.Value.Default; d {
				case false, 0.0, "":
					continue
				default:
					if v := reflect.ValueOf(d); (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0 {
						continue
					}
				}
				wrong = append(wrong, fmt.Sprintf("%s/properties/%s: default %v", where, name, p.Value.Default))
			}
		})
		return wrong
	}
	for _, w := range check(doc) {
		t.Errorf("openapi.yaml: %s. A response that leaves the property out means that, but the generated code reads Go's zero value (oapi-codegen applies no defaults), and InUse, HasMore and the secrets table with it: set the default when decoding (decodeAndCheck), and then let this test know", w)
	}
	// The check itself: a has_more flag defaulting to true is found.
	usedBy := doc.Components.Schemas["ConvAIStoredSecretDependencies"]
	if usedBy == nil || usedBy.Value.Properties["tools_has_more"] == nil {
		t.Fatal("openapi.yaml has no ConvAIStoredSecretDependencies.tools_has_more to probe the check with")
	}
	usedBy.Value.Properties["tools_has_more"].Value.Default = true
	if got := check(doc); len(got) != 1 || !strings.Contains(got[0], "tools_has_more: default true") {
		t.Errorf("a default of true on tools_has_more: the check found %v", got)
	}
}

// TestGeneratedNamesRead: the names api/ exports (and the root package
// aliases) are ones a caller can read and keep. oapi-codegen names a
// schema written inline after its path in the spec
// (V1ConvaiKnowledgeBase...AccessLevel); once such a name is public,
// shortening it breaks callers, so a new one fails here, before release.
func TestGeneratedNamesRead(t *testing.T) {
	const maxLen = 48
	machineMade := []string{"V1Convai", "ResponseModel", "ResponsesContent", "ApplicationJson", "Discriminator", "OneOf", "AnyOf", "AllOf", "ItemsItems"}
	var names int
	for _, s := range generatedSpecs(t, token.TYPE) {
		name := s.(*ast.TypeSpec).Name.Name
		if !ast.IsExported(name) {
			continue
		}
		names++
		if len(name) > maxLen || slices.ContainsFunc(machineMade, func(m string) bool { return strings.Contains(name, m) }) {
			t.Errorf("api/ exports the machine-made type name %s: give its schema an x-go-name in overlay.yaml", name)
		}
	}
	if names < 10 {
		t.Errorf("found %d exported types in api/api.gen.go, want the generated models", names)
	}
}

// TestEnumConstantsCarryTheirTypeName: every generated enum constant is
// named after its type (ToolAccessLevelAdmin), as oapi-codegen's
// compatibility option always-prefix-enum-values makes it, so a constant's
// name never changes when another enum later gains the same value (without
// the option, oapi-codegen names a value that only one enum has after the
// value alone, and renames it once a second enum has it).
func TestEnumConstantsCarryTheirTypeName(t *testing.T) {
	var consts int
	for _, s := range generatedSpecs(t, token.CONST) {
		spec := s.(*ast.ValueSpec)
		typ, ok := spec.Type.(*ast.Ident)
		if !ok {
			continue
		}
		for _, name := range spec.Names {
			consts++
			if !strings.HasPrefix(name.Name, typ.Name) {
				t.Errorf("the enum constant %s of type %s is not named after its type: keep compatibility.always-prefix-enum-values in oapi-codegen.yaml", name.Name, typ.Name)
			}
		}
	}
	if consts < 10 {
		t.Errorf("found %d typed constants in api/api.gen.go, want the enums' values", consts)
	}
}

// generatedSpecs returns the specs of api/api.gen.go's declarations of
// the kind tok (token.TYPE, token.CONST).
func generatedSpecs(t *testing.T, tok token.Token) []ast.Spec {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "api/api.gen.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var specs []ast.Spec
	for _, decl := range f.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == tok {
			specs = append(specs, gen.Specs...)
		}
	}
	return specs
}
