package elevenlabs

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
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
// with the same values; and valueOf finds the value of a field.
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
		// valueOf finds the first field named as written, as nextField
		// (checked above) walks them.
		seen := map[string]bool{}
		for key, value, next := nextField(data, 0); key != nil; key, value, next = nextField(data, next) {
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			got := valueOf(data, string(key))
			if got == nil || !bytes.Equal(got[:skipValue(got, 0)], value) {
				t.Fatalf("valueOf(%q, %q) = %q, want it to start with %q", data, key, got, value)
			}
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
