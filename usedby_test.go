package elevenlabs_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// usedBy decodes a used_by object as GetSecret's caller gets it.
func usedBy(t *testing.T, body string) elevenlabs.ConvAIStoredSecretDependencies {
	t.Helper()
	var u elevenlabs.ConvAIStoredSecretDependencies
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return u
}

func TestInUseAndHasMore(t *testing.T) {
	const empty = `"tools": [], "agents": [], "others": []`
	for _, tc := range []struct {
		name           string
		body           string
		inUse, hasMore bool
	}{
		{"nothing", `{` + empty + `}`, false, false},
		{"empty optional lists, false flags", `{` + empty + `, "phone_numbers": [], "mcp_servers": [], "tools_has_more": false, "agents_has_more": false, "phone_numbers_has_more": false}`, false, false},
		{"null lists", `{"tools": null, "agents": null, "others": null, "phone_numbers": null, "mcp_servers": null}`, false, false},
		{"a tool", `{"tools": [{"type": "unknown", "id": "t"}], "agents": [], "others": []}`, true, false},
		{"an agent", `{"tools": [], "agents": [{"type": "available", "id": "a", "name": "A", "created_at_unix_secs": 1, "access_level": "admin", "referenced_resource_ids": []}], "others": []}`, true, false},
		{"a phone number", `{` + empty + `, "phone_numbers": [{"phone_number_id": "p", "phone_number": "+1", "label": "L", "provider": "twilio"}]}`, true, false},
		{"an MCP server", `{` + empty + `, "mcp_servers": [{"type": "unknown", "id": "m"}]}`, true, false},
		{"an other", `{"tools": [], "agents": [], "others": ["conversation_initiation_webhook"]}`, true, false},
		{"only more tools", `{` + empty + `, "tools_has_more": true}`, true, true},
		{"only more phone numbers", `{` + empty + `, "phone_numbers_has_more": true}`, true, true},
		{"a newer list", `{` + empty + `, "workflows": [{"id": "w"}]}`, true, false},
		{"a newer empty list", `{` + empty + `, "workflows": []}`, false, false},
		{"a newer flag", `{` + empty + `, "workflows_has_more": true}`, true, true},
		{"a newer false flag", `{` + empty + `, "workflows_has_more": false}`, false, false},
		{"a newer object", `{` + empty + `, "summary": {"count": 2}}`, true, false},
		{"a newer empty object, null, zero and empty string", `{` + empty + `, "summary": {}, "note": null, "count": 0, "label": ""}`, false, false},
		{"a newer number", `{` + empty + `, "count": 3}`, true, false},
		{"a newer string", `{` + empty + `, "note": "webhook"}`, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := usedBy(t, tc.body)
			if got := elevenlabs.InUse(u); got != tc.inUse {
				t.Errorf("InUse = %v, want %v", got, tc.inUse)
			}
			if got := elevenlabs.HasMore(u); got != tc.hasMore {
				t.Errorf("HasMore = %v, want %v", got, tc.hasMore)
			}
		})
	}
}

// TestInUseReadsEverySpecField: each property openapi.yaml gives used_by,
// alone non-empty (a list with one item, a flag set), makes the secret in
// use, and a *_has_more flag also makes HasMore true; so a list or flag a
// later spec adds counts as soon as api/ is regenerated.
func TestInUseReadsEverySpecField(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas["ConvAIStoredSecretDependencies"]
	if ref == nil || ref.Value == nil || len(ref.Value.Properties) == 0 {
		t.Fatal("openapi.yaml has no ConvAIStoredSecretDependencies schema with properties: update this test and usedby.go")
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range ref.Value.Properties {
			if !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		schema := ref.Value.Properties[name].Value
		var value string
		switch {
		case schema.Type.Is(openapi3.TypeBoolean):
			value = "true"
		case schema.Type.Is(openapi3.TypeArray) && schema.Items.Value.Type.Is(openapi3.TypeString):
			value = `["x"]`
		case schema.Type.Is(openapi3.TypeArray):
			value = `[{"type": "x", "id": "x"}]`
		default:
			t.Errorf("used_by.%s is neither a list nor a flag: update this test and usedby.go", name)
			continue
		}
		u := usedBy(t, fmt.Sprintf(`{%q: %s}`, name, value))
		if len(u.AdditionalProperties) != 0 {
			t.Fatalf("used_by.%s decoded into AdditionalProperties: api/ is not generated from openapi.yaml (run go generate ./...)", name)
		}
		if !elevenlabs.InUse(u) {
			t.Errorf("InUse = false with used_by.%s = %s", name, value)
		}
		if got, want := elevenlabs.HasMore(u), strings.HasSuffix(name, "_has_more"); got != want {
			t.Errorf("HasMore = %v with used_by.%s = %s, want %v", got, name, value, want)
		}
	}
}

// TestEverySpecFlagIsAListsHasMore: HasMore, ListHasMore and the
// command's "and more" know a list was cut short by its flag's name,
// <list>_has_more. A flag of another name (mcp_servers_truncated) would
// count for InUse only: this fails until they are taught it.
func TestEverySpecFlagIsAListsHasMore(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	props := doc.Components.Schemas["ConvAIStoredSecretDependencies"].Value.Properties
	for name, ref := range props {
		if !ref.Value.Type.Is(openapi3.TypeBoolean) {
			continue
		}
		list, ok := strings.CutSuffix(name, "_has_more")
		if !ok || props[list] == nil || !props[list].Value.Type.Is(openapi3.TypeArray) {
			t.Errorf("used_by.%s is a flag but not <list>_has_more for a list of used_by: teach HasMore and ListHasMore (usedby.go) and the table's 'and more' (cmd/secrets/render.go) what it means", name)
		}
	}
}

func TestInUseOnTheSampleData(t *testing.T) {
	secrets, err := elevenlabstest.SampleSecrets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		u := s.UsedBy
		nonEmpty := len(u.Tools)+len(u.Agents)+len(u.Others) > 0 ||
			u.PhoneNumbers != nil && len(*u.PhoneNumbers) > 0 ||
			u.MCPServers != nil && len(*u.MCPServers) > 0
		more := u.ToolsHasMore != nil && *u.ToolsHasMore ||
			u.AgentsHasMore != nil && *u.AgentsHasMore ||
			u.PhoneNumbersHasMore != nil && *u.PhoneNumbersHasMore
		if got := elevenlabs.InUse(u); got != nonEmpty || more && !got {
			t.Errorf("%s: InUse = %v, lists non-empty: %v, has more: %v", s.SecretID, got, nonEmpty, more)
		}
		if got := elevenlabs.HasMore(u); got != more {
			t.Errorf("%s: HasMore = %v, want %v", s.SecretID, got, more)
		}
	}
	var unused int
	for _, s := range secrets {
		if !elevenlabs.InUse(s.UsedBy) {
			unused++
		}
	}
	if unused != 1 || len(secrets) < 3 {
		t.Errorf("%d of %d sample secrets unused, want 1 (the sample data documents one)", unused, len(secrets))
	}
}

// TestListHasMore: each list's own *_has_more flag, of the spec or newer;
// false for a list without one, or with one that is not true.
func TestListHasMore(t *testing.T) {
	u := usedBy(t, `{"tools": [], "agents": [], "others": [], "tools_has_more": true, "agents_has_more": false, "workflows_has_more": true, "batches_has_more": "yes"}`)
	for list, want := range map[string]bool{"tools": true, "agents": false, "phone_numbers": false, "workflows": true, "batches": false, "others": false} {
		if got := elevenlabs.ListHasMore(u, list); got != want {
			t.Errorf("ListHasMore(%q) = %v, want %v", list, got, want)
		}
	}
}
