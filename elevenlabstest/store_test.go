package elevenlabstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// choices is fuzz input read as a sequence of choices; once it is used
// up, every choice is 0 (the simplest option).
type choices []byte

// pick returns a choice in [0, n).
func (c *choices) pick(n int) int {
	if len(*c) == 0 {
		return 0
	}
	v := int((*c)[0]) % n
	*c = (*c)[1:]
	return v
}

// oneOf returns one of options.
func oneOf[T any](c *choices, options ...T) T { return options[c.pick(len(options))] }

// list returns nil, an empty list, or one to three items from item.
func list[T any](c *choices, item func() T) []T {
	switch n := c.pick(5); n {
	case 0:
		return nil
	case 1:
		return []T{}
	default:
		out := make([]T, n-1)
		for i := range out {
			out[i] = item()
		}
		return out
	}
}

// optionalList returns nil, a pointer to a nil list, or a pointer to a
// list from list.
func optionalList[T any](c *choices, item func() T) *[]T {
	switch c.pick(3) {
	case 0:
		return nil
	case 1:
		return new([]T) // points to a nil list
	}
	l := list(c, item)
	return &l
}

func optionalBool(c *choices) *bool {
	return oneOf(c, nil, new(false), new(true))
}

// genSecret makes a secret from c: mostly what the spec allows, in every
// Go spelling (nil and empty lists, nil pointers, pointers to nil lists),
// and now and then a value the spec does not allow.
func genSecret(c *choices) elevenlabs.Secret {
	// rarely is true for one choice in 16: a value the spec does not allow.
	rarely := func() bool { return c.pick(16) == 15 }
	str := func() string {
		return oneOf(c, "x", "", "tools\tand\nmore", "\xff\xfe not UTF-8", "ünïcödé \u202e", `"quoted" \ \u0000`, strings.Repeat("long", 300))
	}
	id := func() string {
		if rarely() {
			return ""
		}
		return oneOf(c, "id_1", "id_2")
	}
	access := func() string {
		if rarely() {
			return "owner"
		}
		return oneOf(c, "admin", "editor", "commenter", "viewer")
	}
	refs := func() *[]string { return optionalList(c, str) }
	tool := func() elevenlabs.ToolDependent {
		var d elevenlabs.ToolDependent
		switch {
		case rarely(): // the zero union, refused
		case c.pick(2) == 0:
			_ = d.FromDependentAvailableToolIdentifier(elevenlabs.DependentAvailableToolIdentifier{
				ID: id(), Name: str(), CreatedAtUnixSecs: oneOf(c, 0, 1714000000, -1), AccessLevel: elevenlabs.ToolAccessLevel(access()),
			})
		default:
			_ = d.FromDependentUnknownToolIdentifier(elevenlabs.DependentUnknownToolIdentifier{ID: id()})
		}
		return d
	}
	agent := func() elevenlabs.AgentDependent {
		var d elevenlabs.AgentDependent
		switch {
		case rarely():
		case c.pick(2) == 0:
			_ = d.FromDependentAvailableAgentIdentifier(elevenlabs.DependentAvailableAgentIdentifier{
				ID: id(), Name: str(), CreatedAtUnixSecs: oneOf(c, 0, 1714000000), AccessLevel: elevenlabs.AgentAccessLevel(access()), ReferencedResourceIDs: refs(),
			})
		default:
			_ = d.FromDependentUnknownAgentIdentifier(elevenlabs.DependentUnknownAgentIdentifier{ID: id(), ReferencedResourceIDs: refs()})
		}
		return d
	}
	mcp := func() elevenlabs.MCPServerDependent {
		var d elevenlabs.MCPServerDependent
		switch {
		case rarely():
		case c.pick(2) == 0:
			_ = d.FromDependentAvailableMCPServerIdentifier(elevenlabs.DependentAvailableMCPServerIdentifier{
				ID: id(), Name: str(), AccessLevel: elevenlabs.MCPServerAccessLevel(access()),
			})
		default:
			_ = d.FromDependentUnknownMCPServerIdentifier(elevenlabs.DependentUnknownMCPServerIdentifier{ID: id()})
		}
		return d
	}
	phone := func() elevenlabs.DependentPhoneNumberIdentifier {
		p := elevenlabs.DependentPhoneNumberIdentifier{
			PhoneNumberID: id(), PhoneNumber: str(), Label: str(),
			Provider: elevenlabs.TelephonyProvider(oneOf(c, "twilio", "sip_trunk", "exotel")),
		}
		if rarely() {
			p.Provider = "vonage"
		}
		return p
	}
	other := func() elevenlabs.SecretDependencyType {
		if rarely() {
			return "post_call_webhook"
		}
		return "conversation_initiation_webhook"
	}
	// A field of used_by newer than the spec, now and then one named like
	// a field the spec has (refused: it would replace that field).
	newer := func() map[string]any {
		if c.pick(4) != 0 {
			return nil
		}
		name := "webhooks"
		if rarely() {
			name = oneOf(c, "tools", "tools_has_more", "phone_numbers", "others", "Agents")
		}
		return map[string]any{name: oneOf[any](c, []any{}, []any{map[string]any{"type": "x", "id": "w"}}, true, "x", nil)}
	}
	secret := elevenlabs.Secret{
		SecretID: "sec_gen",
		Name:     str(),
		Type:     oneOf(c, "", elevenlabs.ConvAIWorkspaceStoredSecretConfigTypeStored),
		UsedBy: elevenlabs.ConvAIStoredSecretDependencies{
			Tools:               list(c, tool),
			ToolsHasMore:        optionalBool(c),
			Agents:              list(c, agent),
			AgentsHasMore:       optionalBool(c),
			PhoneNumbers:        optionalList(c, phone),
			PhoneNumbersHasMore: optionalBool(c),
			MCPServers:          optionalList(c, mcp),
			Others:              list(c, other),
			// Last, so the choices before it mean what they meant.
			AdditionalProperties: newer(),
		},
	}
	if rarely() {
		secret.SecretID = "sec.gen"
	}
	if rarely() {
		secret.Type = "env_backed"
	}
	return secret
}

// addAndServe stores secret in srv, which holds nothing else, and reports
// whether AddSecret accepted it. An accepted secret must be served as a
// spec-valid 200, a refused one not stored at all.
func addAndServe(t *testing.T, srv *elevenlabstest.Server, router routers.Router, secret elevenlabs.Secret) (accepted bool, body []byte) {
	t.Helper()
	for _, id := range srv.SecretIDs() {
		srv.RemoveSecret(id)
	}
	if err := srv.AddSecret(secret); err != nil {
		if ids := srv.SecretIDs(); len(ids) != 0 {
			t.Errorf("AddSecret refused the secret (%v) but stored %v", err, ids)
		}
		return false, nil
	}
	x := get(t, srv, "/v1/convai/secrets/"+secret.SecretID, testKey)
	if x.status != http.StatusOK {
		t.Fatalf("an accepted secret is served with status %d: %s", x.status, x.body)
	}
	failed := t.Failed()
	checkSpec(t, router, x)
	// And this module's client reads it (it matches field names in any
	// case, where the spec's validation does not).
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections() // one Client per input: a fuzz run makes thousands
	if _, err := c.GetSecret(context.Background(), secret.SecretID); err != nil {
		t.Errorf("GetSecret of the secret added: %v", err)
	}
	if !failed && t.Failed() {
		t.Logf("the secret added: %#v\nthe body served: %s", secret, x.body)
	}
	return true, x.body
}

// TestAddSecretServesOnlySpecValidBodies: whatever Go value AddSecret
// accepts is served as a body that conforms to openapi.yaml. Lists the
// spec does not let be null are served as [] however they are left
// empty in Go.
func TestAddSecretServesOnlySpecValidBodies(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey))
	router := specRouter(t, srv)

	nilPhones, nilServers := new([]elevenlabs.DependentPhoneNumberIdentifier), new([]elevenlabs.MCPServerDependent)
	var agent elevenlabs.AgentDependent
	if err := agent.FromDependentUnknownAgentIdentifier(elevenlabs.DependentUnknownAgentIdentifier{ID: "a", ReferencedResourceIDs: new([]string)}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		usedBy elevenlabs.ConvAIStoredSecretDependencies
		want   string // the used_by served
	}{
		{"nothing", elevenlabs.ConvAIStoredSecretDependencies{},
			`{"tools":[],"agents":[],"others":[]}`},
		{"pointers to nil lists", elevenlabs.ConvAIStoredSecretDependencies{PhoneNumbers: nilPhones, MCPServers: nilServers},
			`{"tools":[],"agents":[],"others":[],"phone_numbers":[],"mcp_servers":[]}`},
		{"pointers to empty lists", elevenlabs.ConvAIStoredSecretDependencies{PhoneNumbers: &[]elevenlabs.DependentPhoneNumberIdentifier{}, MCPServers: &[]elevenlabs.MCPServerDependent{}},
			`{"tools":[],"agents":[],"others":[],"phone_numbers":[],"mcp_servers":[]}`},
		// A union holds JSON, where a pointer to a nil list is null: read
		// back, that is no list at all.
		{"agent with a pointer to nil references", elevenlabs.ConvAIStoredSecretDependencies{Agents: []elevenlabs.AgentDependent{agent}},
			`{"tools":[],"agents":[{"type":"unknown","id":"a"}],"others":[]}`},
	}
	t.Run("edge cases", func(t *testing.T) {
		for _, tc := range cases {
			accepted, body := addAndServe(t, srv, router, elevenlabs.Secret{SecretID: "sec_1", Name: "N", UsedBy: tc.usedBy})
			if !accepted {
				t.Errorf("%s: refused", tc.name)
				continue
			}
			var served struct {
				UsedBy json.RawMessage `json:"used_by"`
			}
			if err := json.Unmarshal(body, &served); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(jsonCanonical(t, served.UsedBy), jsonCanonical(t, []byte(tc.want))) {
				t.Errorf("%s: used_by served as %s, want %s", tc.name, served.UsedBy, tc.want)
			}
		}
	})

	// Many generated secrets, both accepted and refused ones.
	t.Run("generated", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 11))
		var outcomes [2]int // refused, accepted
		for range 400 {
			data := make([]byte, 48)
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			c := choices(data)
			accepted, _ := addAndServe(t, srv, router, genSecret(&c))
			outcomes[btoi(accepted)]++
			if t.Failed() {
				t.Fatalf("the choices: %x", data)
			}
		}
		if slices.Contains(outcomes[:], 0) {
			t.Errorf("refused %d, accepted %d generated secrets: the generator should make both", outcomes[0], outcomes[1])
		}
	})
}

// TestAddSecretRefusesNewerFieldsNamedLikeTheSpecs: a used_by field newer
// than the spec is served, but one named like a field the spec has would
// replace that field with a value the spec may not allow, so AddSecret
// refuses it and stores nothing.
func TestAddSecretRefusesNewerFieldsNamedLikeTheSpecs(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey))
	router := specRouter(t, srv)
	for _, name := range []string{"tools", "agents", "tools_has_more", "agents_has_more", "phone_numbers", "phone_numbers_has_more", "mcp_servers", "others",
		"Tools", "AGENTS", "Phone_Numbers_Has_More"} { // Go's JSON decoding (the client's) matches names in any case
		field := strings.ToLower(name)
		usedBy := elevenlabs.ConvAIStoredSecretDependencies{AdditionalProperties: map[string]any{name: "nope"}}
		if accepted, body := addAndServe(t, srv, router, elevenlabs.Secret{SecretID: "sec_1", Name: "N", UsedBy: usedBy}); accepted {
			t.Errorf("AddSecret accepted a newer field named %q, served as %s", name, body)
		}
		err := srv.AddSecret(elevenlabs.Secret{SecretID: "sec_1", Name: "N", UsedBy: usedBy})
		if err == nil || !strings.Contains(err.Error(), strconv.Quote(name)) || !strings.Contains(err.Error(), strconv.Quote(field)) {
			t.Errorf("AddSecret with a newer field named %q: error %v, want one naming it and the spec's field", name, err)
		}
	}

	usedBy := elevenlabs.ConvAIStoredSecretDependencies{AdditionalProperties: map[string]any{
		"webhooks": []any{map[string]any{"type": "available", "id": "wh_1"}}, "webhooks_has_more": true,
	}}
	accepted, body := addAndServe(t, srv, router, elevenlabs.Secret{SecretID: "sec_1", Name: "N", UsedBy: usedBy})
	if !accepted {
		t.Fatal("AddSecret refused a used_by field newer than the spec")
	}
	var served struct {
		UsedBy json.RawMessage `json:"used_by"`
	}
	if err := json.Unmarshal(body, &served); err != nil {
		t.Fatal(err)
	}
	want := `{"tools":[],"agents":[],"others":[],"webhooks":[{"type":"available","id":"wh_1"}],"webhooks_has_more":true}`
	if !bytes.Equal(jsonCanonical(t, served.UsedBy), jsonCanonical(t, []byte(want))) {
		t.Errorf("used_by served as %s, want %s", served.UsedBy, want)
	}
}

// FuzzAddSecret: whatever AddSecret accepts is served spec-valid.
func FuzzAddSecret(f *testing.F) {
	srv := elevenlabstest.Start(f, elevenlabstest.WithAPIKeys(testKey))
	router := specRouter(f, srv)
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 1})                               // phone_numbers points to a nil list
	f.Add([]byte{0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 0, 0}) // an agent with two references
	f.Add([]byte("some of everything, and values the spec does not allow"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := choices(data)
		addAndServe(t, srv, router, genSecret(&c))
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonCanonical re-encodes JSON with sorted object keys.
func jsonCanonical(t testing.TB, data []byte) []byte {
	t.Helper()
	b, err := json.Marshal(jsonValue(t, data))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAddSecretServesTextAsJSONDoes: bytes that are not UTF-8 in a name
// are served as U+FFFD, as AddSecret's doc says (JSON carries text only),
// and the body stays spec-valid.
func TestAddSecretServesTextAsJSONDoes(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey))
	accepted, body := addAndServe(t, srv, specRouter(t, srv), elevenlabs.Secret{SecretID: "sec_1", Name: "a\xffb"})
	if !accepted {
		t.Fatal("AddSecret refused a name that is not UTF-8")
	}
	var served struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &served); err != nil {
		t.Fatal(err)
	}
	if served.Name != "a\uFFFDb" {
		t.Errorf("name served as %q, want %q", served.Name, "a\uFFFDb")
	}
}
