package elevenlabs_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/google/go-cmp/cmp"
)

// TestDependentsOfEveryKind: Dependents lists every item of every list,
// in the spec's order of lists, with its type, ID, name and decoded
// value; a kind newer than the spec (in a known list, or a whole new
// list) by its type and ID, with its JSON; fields that are not lists are
// not dependents.
func TestDependentsOfEveryKind(t *testing.T) {
	var used elevenlabs.ConvAIStoredSecretDependencies
	body := `{
	  "others": ["conversation_initiation_webhook"],
	  "mcp_servers": [{"type": "unknown", "id": "mcp_h"}],
	  "phone_numbers": [{"phone_number_id": "pn_1", "phone_number": "+15550000000", "label": "Line", "provider": "twilio"}],
	  "agents": [{"type": "available", "id": "agent_1", "name": "A", "created_at_unix_secs": 1, "access_level": "editor", "referenced_resource_ids": ["tool_1"]}],
	  "tools": [{"type": "available", "id": "tool_1", "name": "T", "created_at_unix_secs": 2, "access_level": "admin"}, {"type": "shared", "id": "tool_s", "name": "S"}],
	  "tools_has_more": true,
	  "workflows": [{"type": "published", "id": "wf_1", "name": "W"}, "wf_2", 3],
	  "summary": {"total": 9}
	}`
	if err := json.Unmarshal([]byte(body), &used); err != nil {
		t.Fatal(err)
	}
	refs := []string{"tool_1"}
	want := []elevenlabs.Dependent{
		{List: "tools", Type: "available", ID: "tool_1", Name: "T", Value: elevenlabs.DependentAvailableToolIdentifier{
			Type: "available", ID: "tool_1", Name: "T", CreatedAtUnixSecs: 2, AccessLevel: elevenlabs.ToolAccessLevelAdmin}},
		{List: "tools", Type: "shared", ID: "tool_s", Name: "S"},
		{List: "agents", Type: "available", ID: "agent_1", Name: "A", Value: elevenlabs.DependentAvailableAgentIdentifier{
			Type: "available", ID: "agent_1", Name: "A", CreatedAtUnixSecs: 1, AccessLevel: elevenlabs.AgentAccessLevelEditor, ReferencedResourceIDs: &refs}},
		{List: "phone_numbers", ID: "pn_1", Name: "Line", Value: elevenlabs.DependentPhoneNumberIdentifier{
			PhoneNumberID: "pn_1", PhoneNumber: "+15550000000", Label: "Line", Provider: elevenlabs.TelephonyProviderTwilio}},
		{List: "mcp_servers", Type: "unknown", ID: "mcp_h", Hidden: true, Value: elevenlabs.DependentUnknownMCPServerIdentifier{Type: "unknown", ID: "mcp_h"}},
		{List: "others", Type: "conversation_initiation_webhook", Value: elevenlabs.SecretDependencyTypeConversationInitiationWebhook},
		{List: "workflows", Type: "published", ID: "wf_1", Name: "W"},
		{List: "workflows", Type: "wf_2"},
		{List: "workflows"},
	}
	got := elevenlabs.Dependents(used)
	raws := []string{
		`{"type": "available", "id": "tool_1", "name": "T", "created_at_unix_secs": 2, "access_level": "admin"}`,
		`{"type": "shared", "id": "tool_s", "name": "S"}`,
		`{"type": "available", "id": "agent_1", "name": "A", "created_at_unix_secs": 1, "access_level": "editor", "referenced_resource_ids": ["tool_1"]}`,
		`{"phone_number_id": "pn_1", "phone_number": "+15550000000", "label": "Line", "provider": "twilio"}`,
		`{"type": "unknown", "id": "mcp_h"}`,
		`"conversation_initiation_webhook"`,
		`{"type": "published", "id": "wf_1", "name": "W"}`,
		`"wf_2"`,
		`3`,
	}
	for i := range got {
		if i < len(raws) && !sameJSON(t, got[i].Raw, raws[i]) {
			t.Errorf("dependent %d: Raw %s, want %s", i, got[i].Raw, raws[i])
		}
		got[i].Raw = nil
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Dependents (-want +got):\n%s", diff)
	}
}

func sameJSON(t *testing.T, a json.RawMessage, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestDependentsReadsEveryGeneratedList: each list the generated used_by
// type has (one a later spec adds, too, once regenerated) is listed,
// under its JSON name; its flags are not.
func TestDependentsReadsEveryGeneratedList(t *testing.T) {
	typ := reflect.TypeFor[elevenlabs.ConvAIStoredSecretDependencies]()
	lists := 0
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Slice || name == "" || name == "-" {
			continue
		}
		lists++
		var used elevenlabs.ConvAIStoredSecretDependencies
		list := reflect.MakeSlice(ft, 1, 1)
		field := reflect.ValueOf(&used).Elem().FieldByIndex(f.Index)
		if field.Kind() == reflect.Pointer {
			p := reflect.New(ft)
			p.Elem().Set(list)
			field.Set(p)
		} else {
			field.Set(list)
		}
		got := elevenlabs.Dependents(used)
		if len(got) != 1 || got[0].List != name {
			t.Errorf("used_by with one item in %s: Dependents = %+v, want it listed under %q", name, got, name)
		}
	}
	if lists < 5 {
		t.Fatalf("found %d lists in used_by, want at least tools, agents, phone_numbers, mcp_servers, others", lists)
	}
}

// TestDependentsOfANewerListBeyondFloat64: a list newer than this package
// holding a number beyond float64 (which GetSecret keeps as JSON, where
// encoding/json would fail) is still listed, item by item, with its JSON
// as sent; InUse counts it too.
func TestDependentsOfANewerListBeyondFloat64(t *testing.T) {
	body := `{"type": "stored", "secret_id": "sec_full", "name": "n", "used_by": {"tools": [], "agents": [], "others": [],
	  "workflows": [{"type": "published", "id": "wf_1", "size": 1e400}, {"id": "wf_2"}]}}`
	srv := faultServer(t, jsonHandler(200, body))
	secret, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	if err != nil {
		t.Fatal(err)
	}
	got := elevenlabs.Dependents(secret.UsedBy)
	if len(got) != 2 || got[0].ID != "wf_1" || got[0].Type != "published" || got[1].ID != "wf_2" || got[0].List != "workflows" {
		t.Fatalf("Dependents = %+v, want wf_1 and wf_2 in workflows", got)
	}
	if want := `{"type": "published", "id": "wf_1", "size": 1e400}`; string(got[0].Raw) != want {
		t.Errorf("Raw = %s, want %s", got[0].Raw, want)
	}
	if !elevenlabs.InUse(secret.UsedBy) {
		t.Error("InUse = false")
	}
}

// TestDependentsReadTheIDRule: an item's ID is its "id", or the property
// named after its list (knowledge_bases: knowledge_base_id, whatever
// other *_id it has, as a phone number gaining an assigned_agent_id
// keeps its phone_number_id); another property ending in "_id", even
// the only one, is not taken for it (a workflow's owner_agent_id names
// its agent). Newer lists set by hand, of any Go type that encodes as a
// list, are listed as decoded ones are.
func TestDependentsReadTheIDRule(t *testing.T) {
	var used elevenlabs.ConvAIStoredSecretDependencies
	used.Set("knowledge_bases", []map[string]any{
		{"type": "available", "knowledge_base_id": "kb_1", "name": "FAQ"},
		{"type": "unknown", "knowledge_base_id": "kb_2", "folder_id": "f_1"},
		{"id": "kb_3", "knowledge_base_id": "kb_x"},
	})
	used.Set("sip_trunks", []map[string]any{{"sip_trunk_id": "st_1", "assigned_agent_id": "a_1", "label": "Trunk"}})
	used.Set("things", []map[string]any{{"a_id": "x", "b_id": "y"}, {"owner_id": "o_1"}})
	used.Set("workflows", []map[string]any{{"name": "Flow", "owner_agent_id": "agent_1"}})
	used.Set("policies", []map[string]any{{"policy_id": "p_1", "agent_id": "a_1"}})
	used.Set("switches", []map[string]any{{"switch_id": "s_1", "agent_id": "a_1"}})
	used.Set("batches", []string{"b_1", "<&>"})
	used.Set("raw", []json.RawMessage{json.RawMessage(`{"id":"r_1"}`)})
	want := []elevenlabs.Dependent{
		{List: "batches", Type: "b_1"},
		{List: "batches", Type: "<&>"},
		{List: "knowledge_bases", Type: "available", ID: "kb_1", Name: "FAQ"},
		{List: "knowledge_bases", Type: "unknown", ID: "kb_2", Hidden: true},
		{List: "knowledge_bases", ID: "kb_3"},
		{List: "policies", ID: "p_1"},
		{List: "raw", ID: "r_1"},
		{List: "sip_trunks", ID: "st_1", Name: "Trunk"},
		{List: "switches", ID: "s_1"},
		{List: "things"},
		{List: "things"},
		{List: "workflows", Name: "Flow"},
	}
	got := elevenlabs.Dependents(used)
	if len(got) > 1 && string(got[1].Raw) != `"<&>"` {
		t.Errorf("Raw = %s, want it as written, without HTML's escapes", got[1].Raw)
	}
	for i := range got {
		got[i].Raw = nil
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Dependents (-want +got):\n%s", diff)
	}
}
