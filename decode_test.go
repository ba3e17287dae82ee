package elevenlabs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/convai-secrets-go/elevenlabs/api"
	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// fields walks the JSON object data with nextField, as decodeSecret does,
// and returns each field's name (unquoted) and value (compacted), the
// last of each name winning as in encoding/json.
func fields(t *testing.T, data []byte) map[string]string {
	t.Helper()
	got := map[string]string{}
	for key, value, next := nextField(data, 0); key != nil; key, value, next = nextField(data, next) {
		var name string
		if err := json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &name); err != nil {
			t.Fatalf("field name %q is not a JSON string's content: %v", key, err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, value); err != nil {
			t.Fatalf("field %q: value %q is not JSON: %v", name, value, err)
		}
		got[name] = buf.String()
	}
	return got
}

// FuzzObjectFields checks the allocation-free walk over an object's
// fields against encoding/json: for every JSON object, the same names
// with the same values, and the walk ends at its closing brace.
func FuzzObjectFields(f *testing.F) {
	example, err := os.ReadFile("elevenlabstest/testdata/get-secret-example.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(example), `{}`, ` { } `, `{"a":1}`, `{"a" : [1, {"b": "]}"}], "c":"\"}"}`,
		`{"\u0074ools":[], "x\\":"y\\\\", "n":-1.5e3, "t":true, "f":false, "z":null}`,
		`{"used_by": {"tools": [], "workflows": [{"id": "w"}], "workflows_has_more": true}}`,
		"{\n\t\"a\"\r\n:\n[\n]\n}", `{"a":{"a":{"a":{}}},"a":"last"}`, `{"é":"ü","\ud83d\ude00":"😀"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) != nil || want == nil {
			return // not a JSON object: decodeSecret never walks one
		}
		wantFields := map[string]string{}
		for name, value := range want {
			var buf bytes.Buffer
			if err := json.Compact(&buf, value); err != nil {
				t.Fatal(err)
			}
			wantFields[name] = buf.String()
		}
		if diff := cmp.Diff(wantFields, fields(t, data)); diff != "" {
			t.Fatalf("fields of %q (-encoding/json +nextField):\n%s", data, diff)
		}
		// The walk ends at the object's closing brace, as decodeSecret
		// expects.
		key, _, next := nextField(data, 0)
		for key != nil {
			key, _, next = nextField(data, next)
		}
		if next >= len(data) || data[next] != '}' || len(bytes.TrimSpace(data[next+1:])) != 0 {
			t.Fatalf("the walk over %q ended at offset %d, not at the closing brace", data, next)
		}
	})
}

// TestDecodeSecretKeepsNewerUsedByFields: a used_by field the spec does
// not name is kept, decoded, in AdditionalProperties, whatever the JSON
// around it; the fields the spec names are decoded as usual, also when
// their names are written with escapes.
func TestDecodeSecretKeepsNewerUsedByFields(t *testing.T) {
	body := `{"type":"stored","name":"n","secret_id":"s","extra":{"used_by":{"not":"this"}},
	  "used_by": {
	    "t\u006fols": [{"type":"unknown","id":"t1"}], "agents": [], "others": [],
	    "workflows": [{"type": "available", "id": "wf_1", "name": "Onboarding ]}\"{"}],
	    "workflows_has_more": true, "mcp_servers_has_more": false, "w\u00e9ird": null
	  }}`
	s, err := decodeSecret([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"workflows":            []any{map[string]any{"type": "available", "id": "wf_1", "name": `Onboarding ]}"{`}},
		"workflows_has_more":   true,
		"mcp_servers_has_more": false,
		"wéird":                nil,
	}
	if diff := cmp.Diff(want, s.UsedBy.AdditionalProperties); diff != "" {
		t.Errorf("AdditionalProperties (-want +got):\n%s", diff)
	}
	if len(s.UsedBy.Tools) != 1 || s.UsedBy.Agents == nil || s.UsedBy.Others == nil || s.SecretID != "s" {
		t.Errorf("the spec's fields did not decode: %+v", s)
	}

	// Every used_by counts, as encoding/json merges them, the later
	// over the earlier; names match in any case and with escapes.
	s, err = decodeSecret([]byte(`{"used_by":{"a":1,"b":1},"secret_id":"s","USED_BY":null,"used\u005fby":{"b":2,"tools":[]},"x":{}}`))
	if err != nil || !cmp.Equal(s.UsedBy.AdditionalProperties, map[string]any{"a": 1.0, "b": 2.0}) {
		t.Errorf("several used_by: %+v, %v", s.UsedBy, err)
	}

	// A value beyond what encoding/json decodes into any (a number over
	// float64's range) is kept as it came; a later null used_by changes
	// nothing.
	s, err = decodeSecret([]byte(`{"secret_id":"s","used_by":{"tools":[],"agents":[],"others":[],"quota":1e400},"used_by":null}`))
	if err != nil || !cmp.Equal(s.UsedBy.AdditionalProperties, map[string]any{"quota": json.RawMessage("1e400")}) {
		t.Errorf("a huge number: %+v, %v", s.UsedBy.AdditionalProperties, err)
	}

	// Names match fields in any case, as encoding/json matches them.
	s, err = decodeSecret([]byte(`{"secret_id":"s","Used_By":{"TOOLS":[{"type":"unknown","id":"t1"}],"agents":[],"others":[],"Workflows":[]}}`))
	if err != nil || len(s.UsedBy.Tools) != 1 || !cmp.Equal(s.UsedBy.AdditionalProperties, map[string]any{"Workflows": []any{}}) {
		t.Errorf("names in another case: %+v, %v", s.UsedBy, err)
	}

	// As the spec has it: nothing more.
	example, err := os.ReadFile("elevenlabstest/testdata/get-secret-example.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err = decodeSecret(example)
	if err != nil || s.UsedBy.AdditionalProperties != nil || len(s.UsedBy.Tools) == 0 {
		t.Errorf("the docs example: %+v, %v; want its dependents and no additional properties", s.UsedBy, err)
	}
}

// TestRequiredUsedByAreTheSpecs: what GetSecret insists on in used_by,
// read from the generated type, is what openapi.yaml requires of
// ConvAIStoredSecretDependencies: the properties decodeAndCheck looks for
// (usedByShape's required fields: the lists, and a flag too should the
// spec come to require one), and among them the lists missingLists reads
// (requiredLists: the array properties). A property the spec comes to
// require, or stops requiring, is checked, or no longer checked, after go
// generate alone.
func TestRequiredUsedByAreTheSpecs(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas["ConvAIStoredSecretDependencies"]
	if ref == nil || ref.Value == nil {
		t.Fatal("openapi.yaml has no ConvAIStoredSecretDependencies schema: update this test, usedByShape in shape.go and requiredLists in decode.go")
	}
	var want, wantLists []string
	for _, name := range ref.Value.Required {
		want = append(want, name)
		if p := ref.Value.Properties[name]; p != nil && p.Value != nil && p.Value.Type.Is(openapi3.TypeArray) {
			wantLists = append(wantLists, name)
		}
	}
	var got, gotLists []string
	for _, f := range usedByShape.fields {
		if f.required {
			got = append(got, f.name)
		}
	}
	for _, l := range requiredLists {
		gotLists = append(gotLists, l.name)
	}
	for _, names := range [][]string{want, wantLists, got, gotLists} {
		slices.Sort(names)
	}
	if !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("GetSecret requires the used_by properties %q, openapi.yaml requires %q: the generated type no longer marks required properties as fields without omitempty; update usedByShape in shape.go", got, want)
	}
	if !slices.Equal(gotLists, wantLists) || len(gotLists) == 0 {
		t.Errorf("GetSecret requires the used_by lists %q, openapi.yaml requires %q: the generated type no longer marks required lists as slices without omitempty; update requiredLists in decode.go", gotLists, wantLists)
	}
}

// TestRequiredUsedByInAnyUsedBy: decodeAndCheck reports a property the
// spec requires of used_by that no used_by of the body has (not null), and
// takes one that any of them has, as encoding/json merges them.
func TestRequiredUsedByInAnyUsedBy(t *testing.T) {
	const head = `{"type":"stored","secret_id":"s","name":"n",`
	for _, tc := range []struct {
		body, want string
	}{
		{head + `"used_by":{"agents":[],"others":[]}}`, "no used_by.tools in the response"},
		{head + `"used_by":{"tools":null,"agents":[],"others":[]}}`, "no used_by.tools in the response"},
		{head + `"used_by":{"tools":[],"agents":[]}}`, "no used_by.others in the response"},
		{head + `"used_by":{"tools":[]},"used_by":{"agents":[],"others":[]}}`, ""},
		{head + `"used_by":{"Tools":[],"agents":[],"others":[]}}`, ""}, // as encoding/json matches names
		{head + `"used_by":{"tools":[],"agents":[],"others":[]}}`, ""},
	} {
		_, shapeErr, err := decodeAndCheck([]byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		if got := fmt.Sprint(shapeErr); tc.want == "" && shapeErr != nil || tc.want != "" && got != tc.want {
			t.Errorf("%s: shape error %v, want %q", tc.body, shapeErr, tc.want)
		}
	}
}

// TestSecretTypeDecodesFieldByField: plainSecret embeds the generated
// secret type and hides its used_by. If the spec gave the secret itself
// additional properties, oapi-codegen would give that type an UnmarshalJSON,
// which, promoted through the embedding, would decode the whole body and
// leave used_by empty: every GetSecret would fail with "no used_by...".
// This says so directly.
func TestSecretTypeDecodesFieldByField(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[api.ConvAIWorkspaceStoredSecretConfig](), reflect.TypeFor[*api.ConvAIWorkspaceStoredSecretConfig]()} {
		if typ.Implements(reflect.TypeFor[json.Unmarshaler]()) {
			t.Errorf("the generated %s has an UnmarshalJSON (the spec gave it additionalProperties?): plainSecret in decode.go must decode it another way", typ)
		}
	}
	if reflect.TypeFor[*plainSecret]().Implements(reflect.TypeFor[json.Unmarshaler]()) {
		t.Error("plainSecret has an UnmarshalJSON: decodeSecret's single pass is gone")
	}
}

// TestRequiredPropertiesAreKnown: a checklist of every property the
// spec's 200 response requires, at any depth. A property the spec comes
// to require is checked by GetSecret after go generate alone, and so
// fails every test whose body, written inline, lacks it (a hundred or
// more): this test says which one, and what to update, once.
func TestRequiredPropertiesAreKnown(t *testing.T) {
	known := []string{
		"name", "secret_id", "type", "used_by",
		"used_by.agents", "used_by.others", "used_by.tools",
		"used_by.agents[](available).access_level", "used_by.agents[](available).created_at_unix_secs",
		"used_by.agents[](available).id", "used_by.agents[](available).name", "used_by.agents[](available).type",
		"used_by.agents[](unknown).id", "used_by.agents[](unknown).type",
		"used_by.mcp_servers[](available).access_level", "used_by.mcp_servers[](available).created_at_unix_secs",
		"used_by.mcp_servers[](available).id", "used_by.mcp_servers[](available).name", "used_by.mcp_servers[](available).type",
		"used_by.mcp_servers[](unknown).id", "used_by.mcp_servers[](unknown).type",
		"used_by.phone_numbers[].label", "used_by.phone_numbers[].phone_number",
		"used_by.phone_numbers[].phone_number_id", "used_by.phone_numbers[].provider",
		"used_by.tools[](available).access_level", "used_by.tools[](available).created_at_unix_secs",
		"used_by.tools[](available).id", "used_by.tools[](available).name", "used_by.tools[](available).type",
		"used_by.tools[](unknown).id", "used_by.tools[](unknown).type",
	}
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Find("/v1/convai/secrets/{secret_id}")
	if op == nil || op.Get == nil || op.Get.Responses.Status(200) == nil {
		t.Fatal("openapi.yaml has no GET /v1/convai/secrets/{secret_id} with a 200: update this test")
	}
	media := op.Get.Responses.Status(200).Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		t.Fatal("the 200 response has no application/json schema: update this test")
	}
	var required []string
	seen := map[*openapi3.Schema]bool{}
	var walk func(path string, s *openapi3.Schema)
	walk = func(path string, s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		defer delete(seen, s) // the same schema elsewhere is walked again
		at := func(name string) string {
			if path == "" {
				return name
			}
			return path + "." + name
		}
		for _, name := range s.Required {
			required = append(required, at(name))
		}
		for name, p := range s.Properties {
			walk(at(name), p.Value)
		}
		if s.Items != nil {
			walk(path+"[]", s.Items.Value)
		}
		for i, v := range append(slices.Clone(s.OneOf), s.AnyOf...) {
			if v.Value == nil {
				continue
			}
			label := fmt.Sprint(i)
			if d := v.Value.Properties["type"]; d != nil && d.Value != nil && len(d.Value.Enum) == 1 {
				label = fmt.Sprint(d.Value.Enum[0])
			}
			walk(path+"("+label+")", v.Value)
		}
	}
	walk("", media.Schema.Value)
	slices.Sort(required)
	slices.Sort(known)
	for _, p := range required {
		if !slices.Contains(known, p) {
			t.Errorf("openapi.yaml now requires %s in the 200 body: GetSecret refuses a body without it, so every test body written inline that lacks it fails (faults_test.go, client_test.go, shape_test.go, decode_test.go, cmd/secrets and internal/contract tests), and the fake's sample data (elevenlabstest/testdata) needs it; add it to them, then to this list", p)
		}
	}
	for _, p := range known {
		if !slices.Contains(required, p) {
			t.Errorf("openapi.yaml no longer requires %s: take it off this list (GetSecret no longer insists on it)", p)
		}
	}
}
