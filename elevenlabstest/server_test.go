package elevenlabstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// testKey is the key the tests configure. No test prints it.
const testKey = "xi-fake-test-key-7c41e0"

// start starts a server accepting testKey, seeded with the samples.
func start(t *testing.T, opts ...elevenlabstest.Option) *elevenlabstest.Server {
	t.Helper()
	return elevenlabstest.Start(t, append([]elevenlabstest.Option{elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData()}, opts...)...)
}

// jsonValue decodes JSON for comparisons that ignore key order.
func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return v
}

func samples(t testing.TB) []elevenlabs.Secret {
	t.Helper()
	s, err := elevenlabstest.SampleSecrets()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSampleSecretsAreServedAndConformToSpec(t *testing.T) {
	t.Parallel()
	srv := start(t)
	router := specRouter(t, srv)
	all := samples(t)
	if len(all) < 4 {
		t.Fatalf("%d sample secrets, want the docs example and at least 3 more", len(all))
	}
	var ids []string
	for _, secret := range all {
		ids = append(ids, secret.SecretID)
		x := get(t, srv, "/v1/convai/secrets/"+secret.SecretID, testKey)
		if x.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", secret.SecretID, x.status, x.body)
		}
		if ct := x.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		checkSpec(t, router, x)
		want, err := json.Marshal(secret)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, x.body)); diff != "" {
			t.Errorf("%s served (-sample +served):\n%s", secret.SecretID, diff)
		}
	}
	slices.Sort(ids)
	if diff := cmp.Diff(ids, srv.SecretIDs()); diff != "" {
		t.Errorf("SecretIDs (-samples +store):\n%s", diff)
	}
}

func TestDocsExampleIsTheSharedFixture(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile(filepath.Join("testdata", "get-secret-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	var example elevenlabs.Secret
	if err := json.Unmarshal(fixture, &example); err != nil {
		t.Fatal(err)
	}
	if got := samples(t)[0].SecretID; got != example.SecretID {
		t.Fatalf("first sample is %s, want the docs example %s", got, example.SecretID)
	}
	x := get(t, start(t), "/v1/convai/secrets/"+example.SecretID, testKey)
	if diff := cmp.Diff(jsonValue(t, fixture), jsonValue(t, x.body)); diff != "" {
		t.Errorf("served docs example differs from the fixture (-fixture +served):\n%s", diff)
	}
}

// TestSamplesAreServedAsTheirFiles: each sample is served as its file,
// compacted, so that the docs example keeps the docs' key order (the
// secrets command's --json prints the body as served).
func TestSamplesAreServedAsTheirFiles(t *testing.T) {
	t.Parallel()
	srv := start(t)
	files, err := filepath.Glob(filepath.Join("sampledata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample files: %v", err)
	}
	for _, name := range append([]string{filepath.Join("testdata", "get-secret-example.json")}, files...) {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var s elevenlabs.Secret
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if x := get(t, srv, "/v1/convai/secrets/"+s.SecretID, testKey); !bytes.Equal(x.body, want.Bytes()) {
			t.Errorf("%s is served as\n%s\nwant the file compacted:\n%s", name, x.body, want.Bytes())
		}
	}
}

// TestSamplesCoverTheSpec walks the spec's 200 response schema for what a
// secret can hold, and the sample secrets for what they hold, both the
// same way: every enum value, both values of every boolean, every
// optional property, every union variant and a non-empty instance of every
// list must appear in some sample (and one sample must be unused). So a
// new value, variant, flag, list or field in the spec needs a sample, and
// the failure says which.
func TestSamplesCoverTheSpec(t *testing.T) {
	t.Parallel()
	doc := specDoc(t)
	root := doc.Components.Schemas["ConvAIWorkspaceStoredSecretConfig"].Value
	want := map[string]bool{"an unused secret": true}
	coverage(root, nil, false, "secret", func(p string) { want[p] = true })

	got := map[string]bool{}
	for _, s := range samples(t) {
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		coverage(root, v, true, "secret", func(p string) { got[p] = true })
		if obj, _ := v.(map[string]any); listsNothing(root.Properties["used_by"].Value, obj["used_by"]) {
			got["an unused secret"] = true
		}
	}
	var missing []string
	for w := range want {
		if !got[w] {
			missing = append(missing, w)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("no sample secret covers:\n\t%s\nadd them to a sample in elevenlabstest/sampledata", strings.Join(missing, "\n\t"))
	}
	for g := range got {
		if !want[g] {
			t.Errorf("the samples cover %s, which the walk of the spec does not list", g)
		}
	}
}

// listsNothing reports whether the JSON value usedBy has no item in any of
// the lists the spec's used_by schema has (whichever those are now).
func listsNothing(schema *openapi3.Schema, usedBy any) bool {
	obj, _ := usedBy.(map[string]any)
	for name, p := range schema.Properties {
		if list, _ := obj[name].([]any); p.Value.Type.Is(openapi3.TypeArray) && len(list) > 0 {
			return false
		}
	}
	return true
}

// variantKind is the discriminator value of union s's variant: its
// property prop's one enum value or default, or the mapping's key for it;
// a text saying what is missing if none.
func variantKind(s *openapi3.Schema, variant *openapi3.SchemaRef, prop string) string {
	if p := variant.Value.Properties[prop]; p != nil && p.Value != nil {
		if len(p.Value.Enum) == 1 {
			if kind, ok := p.Value.Enum[0].(string); ok {
				return kind
			}
		}
		if kind, ok := p.Value.Default.(string); ok {
			return kind
		}
	}
	for kind, ref := range s.Discriminator.Mapping {
		if ref.Ref == variant.Ref && variant.Ref != "" {
			return kind
		}
	}
	return fmt.Sprintf("(no %s value for the variant %q: give it a one-value enum, a default or a mapping)", prop, variant.Value.Title)
}

// coverage notes, under path, what of schema s the JSON value v exercises
// (have) or, with have false, everything s allows: "p = value" for each
// enum and boolean value, "p present" for each property, "p non-empty"
// for each list, and a union's variants as p<type>. An absent property
// with a default counts as its default.
func coverage(s *openapi3.Schema, v any, have bool, path string, note func(string)) {
	if have && v == nil {
		return
	}
	if len(s.OneOf) > 0 && s.Discriminator == nil {
		note(path + " (a oneOf without a discriminator, which the client and the fake cannot serve: see the overlay)")
		return
	}
	if len(s.OneOf) > 0 {
		prop := s.Discriminator.PropertyName
		obj, _ := v.(map[string]any)
		for _, variant := range s.OneOf {
			kind := variantKind(s, variant, prop)
			if !have || obj[prop] == kind {
				coverage(variant.Value, v, have, path+"<"+kind+">", note)
			}
		}
		return
	}
	switch {
	case len(s.Enum) > 0 && have:
		note(fmt.Sprintf("%s = %v", path, v))
	case len(s.Enum) > 0:
		for _, e := range s.Enum {
			note(fmt.Sprintf("%s = %v", path, e))
		}
	case s.Type.Is("boolean") && have:
		note(fmt.Sprintf("%s = %v", path, v))
	case s.Type.Is("boolean"):
		note(path + " = true")
		note(path + " = false")
	case s.Type.Is("array"):
		items, _ := v.([]any)
		if !have || len(items) > 0 {
			note(path + " non-empty")
		}
		if !have {
			coverage(s.Items.Value, nil, false, path+"[]", note)
		}
		for _, item := range items {
			coverage(s.Items.Value, item, true, path+"[]", note)
		}
	}
	obj, _ := v.(map[string]any)
	for name, p := range s.Properties {
		value, ok := obj[name]
		switch {
		case !have:
			note(path + "." + name + " present")
		case ok:
			note(path + "." + name + " present")
		case p.Value.Default != nil:
			value = p.Value.Default
		default:
			continue
		}
		coverage(p.Value, value, have, path+"."+name, note)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	srv := start(t, elevenlabstest.WithAPIKeys(testKey, "second-key"))
	id := samples(t)[0].SecretID
	path := "/v1/convai/secrets/" + id
	cases := []struct {
		name   string
		keys   []string
		status int
		code   string
	}{
		{"first key", []string{testKey}, 200, ""},
		{"second key", []string{"second-key"}, 200, ""},
		{"no key", nil, 401, "needs_authorization"},
		{"wrong key", []string{"not-" + testKey}, 401, "invalid_api_key"},
		{"two keys", []string{testKey, "second-key"}, 401, "invalid_api_key"},
		{"the key as a bearer token", nil, 401, "invalid_api_key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			for _, k := range tc.keys {
				req.Header.Add("xi-api-key", k)
			}
			if tc.name == "the key as a bearer token" {
				req.Header.Set("Authorization", "Bearer "+testKey)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Detail struct{ Status, Message string }
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tc.status || body.Detail.Status != tc.code {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body.Detail.Status, tc.status, tc.code)
			}
			if tc.status == 401 && (body.Detail.Message == "" || strings.Contains(body.Detail.Message, testKey)) {
				t.Errorf("401 message empty or quoting the key")
			}
		})
	}
}

func TestStatusesThroughTheClient(t *testing.T) {
	t.Parallel()
	srv := start(t)
	client, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	wrongKey, err := srv.Client(elevenlabs.WithAPIKey("wrong-key"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		client *elevenlabs.Client
		id     string
		want   elevenlabs.APIError
	}{
		{"unknown ID", client, "sec_nope", elevenlabs.APIError{StatusCode: 404, Code: "secret_not_found", Message: "Secret not found"}},
		{"wrong key", wrongKey, "sec_nope", elevenlabs.APIError{StatusCode: 401, Code: "invalid_api_key", Message: "Invalid API key"}},
		{"malformed ID", client, "sec.1", elevenlabs.APIError{StatusCode: 422, Message: "path.secret_id: String should match pattern '^[A-Za-z0-9_-]{1,256}$'"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.client.GetSecret(context.Background(), tc.id)
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v, want an *APIError", err)
			}
			got := elevenlabs.APIError{StatusCode: apiErr.StatusCode, Code: apiErr.Code, Message: apiErr.Message}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(apiErr.RequestID, "req_fake_") {
				t.Errorf("RequestID = %q", apiErr.RequestID)
			}
		})
	}
}

func TestMalformedIDsAreSpecValid422s(t *testing.T) {
	t.Parallel()
	srv := start(t)
	router := specRouter(t, srv)
	cases := []struct {
		name, segment, input, errType string
	}{
		{"dot", "sec.1", "sec.1", "string_pattern_mismatch"},
		{"dots only", "...", "...", "string_pattern_mismatch"},
		{"colon", "a:b", "a:b", "string_pattern_mismatch"},
		{"non-ASCII", "sec-%C3%A4", "sec-ä", "string_pattern_mismatch"},
		{"encoded slash", "a%2Fb", "a/b", "string_pattern_mismatch"},
		{"encoded space", "a%20b", "a b", "string_pattern_mismatch"},
		{"too long", strings.Repeat("x", elevenlabstest.MaxSecretIDLen+1), strings.Repeat("x", elevenlabstest.MaxSecretIDLen+1), "string_too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := get(t, srv, "/v1/convai/secrets/"+tc.segment, testKey)
			if x.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", x.status)
			}
			checkSpec(t, router, x)
			var body struct {
				Detail []struct {
					Type  string
					Loc   []any
					Input string
				}
			}
			if err := json.Unmarshal(x.body, &body); err != nil {
				t.Fatal(err)
			}
			if len(body.Detail) != 1 {
				t.Fatalf("%d validation errors, want 1", len(body.Detail))
			}
			d := body.Detail[0]
			if diff := cmp.Diff([]any{"path", "secret_id"}, d.Loc); diff != "" || d.Type != tc.errType || d.Input != tc.input {
				t.Errorf("validation error %+v, want loc path.secret_id, type %s, input %q", d, tc.errType, tc.input)
			}
		})
	}
	// The longest well-formed ID is looked up, not refused.
	if x := get(t, srv, "/v1/convai/secrets/"+strings.Repeat("x", elevenlabstest.MaxSecretIDLen), testKey); x.status != 404 {
		t.Errorf("a %d-byte ID: status %d, want 404", elevenlabstest.MaxSecretIDLen, x.status)
	}
}

func TestOtherPathsAndMethods(t *testing.T) {
	t.Parallel()
	srv := start(t)
	id := samples(t)[0].SecretID
	cases := []struct {
		method, path string
		status       int
		body         string
		allow        string
	}{
		{"GET", "/v1/convai/secrets", 404, `{"detail":"Not Found"}`, ""},
		{"GET", "/v1/convai/secrets/" + id + "/extra", 404, `{"detail":"Not Found"}`, ""},
		{"GET", "/", 404, `{"detail":"Not Found"}`, ""},
		{"DELETE", "/v1/convai/secrets/" + id, 405, `{"detail":"Method Not Allowed"}`, "GET, HEAD"},
		{"POST", "/v1/convai/secrets/" + id, 405, `{"detail":"Method Not Allowed"}`, "GET, HEAD"},
		{"HEAD", "/v1/convai/secrets/" + id, 200, ``, ""},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		_, _ = io.Copy(&sb, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || sb.String() != tc.body || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %q (Allow %q); want %d %q (Allow %q)", tc.method, tc.path, resp.StatusCode, sb.String(), resp.Header.Get("Allow"), tc.status, tc.body, tc.allow)
		}
	}
	// A HEAD reports the length of the body a GET would send.
	x := get(t, srv, "/v1/convai/secrets/"+id, testKey)
	req, _ := http.NewRequest(http.MethodHead, srv.URL+"/v1/convai/secrets/"+id, nil)
	req.Header.Set("xi-api-key", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ContentLength != int64(len(x.body)) {
		t.Errorf("HEAD Content-Length %d, GET body %d bytes", resp.ContentLength, len(x.body))
	}
}

func TestClientHelper(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != srv.URL {
		t.Errorf("BaseURL %s, want %s", c.BaseURL(), srv.URL)
	}
	if srv.APIKey() != testKey {
		t.Error("APIKey() is not the first configured key")
	}
	if _, err := srv.Client(elevenlabs.WithRegion(elevenlabs.RegionEU)); err == nil {
		t.Error("Client(WithRegion) = nil error, want the base URL conflict")
	}
	// Without WithAPIKeys the server makes a key of its own, which its
	// Client sends and no other server accepts.
	a, b := elevenlabstest.Start(t, elevenlabstest.WithSampleData()), elevenlabstest.Start(t, elevenlabstest.WithSampleData())
	if a.APIKey() == "" || a.APIKey() == b.APIKey() {
		t.Fatal("servers share a default key, or have none")
	}
	id := samples(t)[0].SecretID
	ca, err := a.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.GetSecret(context.Background(), id); err != nil {
		t.Errorf("Client() of a server with its own key: %v", err)
	}
	if x := get(t, b, "/v1/convai/secrets/"+id, a.APIKey()); x.status != 401 {
		t.Errorf("server b accepted server a's key: %d", x.status)
	}
}

func TestAddSecret(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey))
	router := specRouter(t, srv)
	if ids := srv.SecretIDs(); len(ids) != 0 {
		t.Fatalf("a server without WithSampleData has secrets %v", ids)
	}

	// Minimal: nil lists and an empty type are served as the spec wants.
	if err := srv.AddSecret(elevenlabs.Secret{SecretID: "sec_min", Name: "Min"}); err != nil {
		t.Fatal(err)
	}
	x := get(t, srv, "/v1/convai/secrets/sec_min", testKey)
	checkSpec(t, router, x)
	want := `{"type":"stored","secret_id":"sec_min","name":"Min","used_by":{"tools":[],"agents":[],"others":[]}}`
	if diff := cmp.Diff(jsonValue(t, []byte(want)), jsonValue(t, x.body)); diff != "" {
		t.Errorf("minimal secret (-want +got):\n%s", diff)
	}

	// Union variants decoded from JSON with extra fields and missing
	// optional ones are served with every required field.
	var s elevenlabs.Secret
	raw := `{"secret_id":"sec_x","name":"X","used_by":{"tools":[{"type":"available","id":"t1","access_level":"viewer","color":"red"}],"agents":[{"type":"unknown","id":"a1"}],"others":[],"mcp_servers":[{"type":"available","id":"m1","access_level":"admin"}]}}`
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddSecret(s); err != nil {
		t.Fatal(err)
	}
	checkSpec(t, router, get(t, srv, "/v1/convai/secrets/sec_x", testKey))

	// Replacing and removing.
	if err := srv.AddSecret(elevenlabs.Secret{SecretID: "sec_min", Name: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	if x := get(t, srv, "/v1/convai/secrets/sec_min", testKey); !strings.Contains(string(x.body), `"Renamed"`) {
		t.Errorf("AddSecret did not replace: %s", x.body)
	}
	if !srv.RemoveSecret("sec_min") || srv.RemoveSecret("sec_min") {
		t.Error("RemoveSecret: want true once, then false")
	}
	if x := get(t, srv, "/v1/convai/secrets/sec_min", testKey); x.status != 404 {
		t.Errorf("removed secret: status %d", x.status)
	}
}

func TestAddSecretRefusesWhatTheSpecDoesNot(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey))
	decode := func(usedBy string) elevenlabs.Secret {
		var s elevenlabs.Secret
		if err := json.Unmarshal([]byte(`{"secret_id":"sec_bad","name":"B","used_by":`+usedBy+`}`), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name   string
		secret elevenlabs.Secret
		want   string
	}{
		{"empty ID", elevenlabs.Secret{}, "not well-formed"},
		{"ID with a dot", elevenlabs.Secret{SecretID: "a.b"}, "not well-formed"},
		{"unknown type", elevenlabs.Secret{SecretID: "s", Type: "env_backed"}, `type "env_backed"`},
		{"zero union", elevenlabs.Secret{SecretID: "s", UsedBy: elevenlabs.ConvAIStoredSecretDependencies{Tools: []elevenlabs.ToolDependent{{}}}}, "tools[0]: not a dependent"},
		{"newer tool variant", decode(`{"tools":[{"type":"shared","id":"t"}],"agents":[],"others":[]}`), `tools[0]: type "shared" is not in the spec`},
		{"newer agent variant", decode(`{"tools":[],"agents":[{"type":"shared","id":"a"}],"others":[]}`), `agents[0]: type "shared"`},
		{"newer MCP variant", decode(`{"tools":[],"agents":[],"mcp_servers":[{"type":"shared","id":"m"}],"others":[]}`), `mcp_servers[0]: type "shared"`},
		{"new access level", decode(`{"tools":[{"type":"available","id":"t","name":"n","created_at_unix_secs":1,"access_level":"owner"}],"agents":[],"others":[]}`), `access_level "owner"`},
		{"new agent access level", decode(`{"tools":[],"agents":[{"type":"available","id":"a","name":"n","created_at_unix_secs":1,"access_level":"owner"}],"others":[]}`), `access_level "owner"`},
		{"tool without access level", decode(`{"tools":[{"type":"available","id":"t","name":"n","created_at_unix_secs":1}],"agents":[],"others":[]}`), "tools[0]: no access_level"},
		{"MCP server without access level", decode(`{"tools":[],"agents":[],"others":[],"mcp_servers":[{"type":"available","id":"m","name":"n","created_at_unix_secs":1}]}`), "mcp_servers[0]: no access_level"},
		{"tool without ID", decode(`{"tools":[{"type":"unknown"}],"agents":[],"others":[]}`), "no id"},
		{"new provider", decode(`{"tools":[],"agents":[],"others":[],"phone_numbers":[{"phone_number_id":"p","phone_number":"+1","label":"l","provider":"vonage"}]}`), `provider "vonage"`},
		{"phone without ID", decode(`{"tools":[],"agents":[],"others":[],"phone_numbers":[{"phone_number":"+1","label":"l","provider":"twilio"}]}`), "no phone_number_id"},
		{"new other", decode(`{"tools":[],"agents":[],"others":["post_call_webhook"]}`), `others[0]: "post_call_webhook"`},
	}
	for _, tc := range cases {
		err := srv.AddSecret(tc.secret)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: AddSecret error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if ids := srv.SecretIDs(); len(ids) != 0 {
		t.Errorf("refused secrets were stored: %v", ids)
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	for _, keys := range [][]string{nil, {""}, {"a b"}, {"ok", "new\nline"}} {
		if _, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys(keys...)); err == nil {
			t.Errorf("WithAPIKeys with %d unusable keys: no error", len(keys))
		}
	}
	var fake elevenlabstest.RecordingTB
	srv := elevenlabstest.Start(&fake, elevenlabstest.WithAPIKeys(""))
	if srv != nil || fake.Fatal == "" {
		t.Errorf("Start with a bad option: server %v, Fatalf %q", srv, fake.Fatal)
	}
}

func TestStartClosesWithTheTest(t *testing.T) {
	t.Parallel()
	var fake elevenlabstest.RecordingTB
	srv := elevenlabstest.Start(&fake)
	if len(fake.Cleanups) != 1 {
		t.Fatalf("Start registered %d cleanups, want 1", len(fake.Cleanups))
	}
	fake.Cleanups[0]()
	if _, err := http.Get(srv.URL); err == nil {
		t.Error("the server still answers after the test's cleanup")
	}
	srv.Close() // a second Close is harmless
}

// TestDoesNotLinkKinOpenAPI: a program using elevenlabstest, such as the
// secrets command, must not link the OpenAPI validator (only this
// package's tests use it).
func TestDoesNotLinkKinOpenAPI(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the package's dependencies: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".", "../cmd/secrets").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/convai-secrets-go/elevenlabs") {
		t.Fatalf("go list -deps did not list the client package: %v", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "kin-openapi") || strings.Contains(d, "/internal/contract") || strings.Contains(d, "/internal/spec") || d == "testing" {
			t.Errorf("elevenlabstest or cmd/secrets depends on %s", d)
		}
	}
}

// TestPrintingAServerHidesItsKeys: a Server printed with any verb shows
// its URL, never the keys it accepts.
func TestPrintingAServerHidesItsKeys(t *testing.T) {
	t.Parallel()
	const other = "xi-other-fake-key-91d3"
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey, other))
	get(t, srv, "/v1/convai/secrets/sec_x", testKey) // a request it records, with its key
	want := "elevenlabstest.Server{URL: " + srv.URL + "}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{srv, []*elevenlabstest.Server{srv}, struct{ S *elevenlabstest.Server }{srv}} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, testKey) || strings.Contains(got, other) {
				t.Errorf("Sprintf(%q) of a %T shows a key", verb, v)
			}
			if !strings.Contains(got, want) {
				t.Errorf("Sprintf(%q) of a %T does not show %q", verb, v, want)
			}
		}
		// In an unexported field fmt calls no Format method, and with %s
		// it prints the pointed-to Server's fields raw.
		type fixture struct {
			srv  *elevenlabstest.Server
			name string
		}
		for _, v := range []any{fixture{srv, "f"}, &fixture{srv, "f"}} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, testKey) || strings.Contains(got, other) {
				t.Errorf("Sprintf(%q) of a %T holding the Server shows a key", verb, v)
			}
		}
	}
}

// TestPathsThatAreNotCleanAre404s: a path with an empty, "." or ".."
// segment is no path of the API: a 404, as for any other, not the
// redirect to its clean form that net/http's ServeMux would answer.
func TestPathsThatAreNotCleanAre404s(t *testing.T) {
	t.Parallel()
	srv := start(t)
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"//v1/convai/secrets/sec_7d2f4a9c1e8b3f6a0d5c", "/v1/convai/secrets/x/../sec_7d2f4a9c1e8b3f6a0d5c",
		"/v1/./convai/secrets/sec_7d2f4a9c1e8b3f6a0d5c", "/v1/convai//secrets/sec_7d2f4a9c1e8b3f6a0d5c"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("xi-api-key", testKey)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || string(body) != `{"detail":"Not Found"}` || resp.Header.Get("Location") != "" {
			t.Errorf("GET %s: %d %s (Location %q), want 404 {\"detail\":\"Not Found\"}", p, resp.StatusCode, body, resp.Header.Get("Location"))
		}
	}
	if x := get(t, srv, "/v1/convai/secrets/sec_7d2f4a9c1e8b3f6a0d5c", testKey); x.status != 200 {
		t.Errorf("the clean path: status %d, want 200", x.status)
	}
}
