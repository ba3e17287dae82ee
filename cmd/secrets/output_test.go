package main

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

func TestTableOutput(t *testing.T) {
	t.Parallel()
	srv := startFake(t)
	r := secrets(t, withKey, "get", "--base-url", srv.URL, "sec_7d2f4a9c1e8b3f6a0d5c")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	want := `Name:  StripeWebhookSigningKey
ID:    sec_7d2f4a9c1e8b3f6a0d5c

USED BY       ID                      NAME               DETAILS
tool          tool_8c1d2e3f4a5b6c7d   CreateRefund       access editor, created 2024-04-25
tool          tool_2b3c4d5e6f7a8b9c   LookupOrder        access viewer, created 2024-05-25
tool          tool_3a4b5c6d7e8f9a0b   IssueCoupon        access commenter, created 2024-06-15
tool          tool_5e6f7a8b9c0d1e2f   -                  hidden (not visible to this API key)
tool          -                       and more           not listed by the API
agent         agent_4f5a6b7c8d9e0f1a  BillingAssistant   access commenter, created 2024-06-01, uses tool_8c1d2e3f4a5b6c7d, tool_5e6f7a8b9c0d1e2f
agent         agent_9a8b7c6d5e4f3a2b  CheckoutHelper     access editor, created 2024-07-01
agent         agent_1c2d3e4f5a6b7c8d  -                  hidden (not visible to this API key), uses tool_5e6f7a8b9c0d1e2f
agent         -                       and more           not listed by the API
phone number  pn_4155550123           US Billing Line    +14155550123 via twilio
phone number  pn_442079460958         UK Office SIP      +442079460958 via sip_trunk
phone number  pn_918041234567         Bengaluru Support  +918041234567 via exotel
phone number  -                       and more           not listed by the API
MCP server    mcp_6d7e8f9a0b1c2d3e    PaymentsMCP        access editor, created 2024-07-10
MCP server    mcp_0f1e2d3c4b5a6978    -                  hidden (not visible to this API key)
other         -                       -                  conversation_initiation_webhook
`
	if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(r.stdout, "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
	// The secret's data is ASCII, and so is the table's own text.
	if i := strings.IndexFunc(r.stdout, func(c rune) bool { return c > unicode.MaxASCII }); i >= 0 {
		t.Errorf("the table has a non-ASCII character at byte %d: %q", i, r.stdout[i:])
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/v1/convai/secrets/sec_7d2f4a9c1e8b3f6a0d5c" || reqs[0].APIKey != elevenlabstest.Key(testKey) {
		t.Errorf("the fake got %d requests; want one GET of the secret with the key from the environment", len(reqs))
	}
}

func TestTableOfUnusedSecret(t *testing.T) {
	t.Parallel()
	srv := startFake(t)
	r := secrets(t, withKey, "get", "sec_0a1b2c3d4e5f6a7b8c9d", "--base-url", srv.URL)
	want := "Name:  LegacyCRMPassword\nID:    sec_0a1b2c3d4e5f6a7b8c9d\n\nNot used by anything.\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", r.code, r.stdout, want)
	}
}

// TestTableOfDocsExample checks the table against the shared fixture, read
// at run time (a spec update may rewrite it).
func TestTableOfDocsExample(t *testing.T) {
	t.Parallel()
	_, s := docsExample(t)
	r := secrets(t, nil, "get", "--fake", s.SecretID)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	wantIn := []string{"Name:  " + s.Name, "ID:    " + s.SecretID}
	// available checks that a dependent of the fixture is the available
	// variant this test reads, and that it decoded as one.
	available := func(what string, d interface{ Discriminator() (string, error) }, err error) {
		t.Helper()
		if kind, kerr := d.Discriminator(); err != nil || kerr != nil || kind != "available" {
			t.Fatalf("%s of the fixture: type %q (%v), decoding: %v; want an available one", what, kind, kerr, err)
		}
	}
	for _, d := range s.UsedBy.Tools {
		v, err := d.AsDependentAvailableToolIdentifier()
		available("tool", d, err)
		wantIn = append(wantIn, v.ID, v.Name)
	}
	for _, d := range s.UsedBy.Agents {
		v, err := d.AsDependentAvailableAgentIdentifier()
		available("agent", d, err)
		wantIn = append(wantIn, v.ID, v.Name)
		if v.ReferencedResourceIDs != nil {
			wantIn = append(wantIn, *v.ReferencedResourceIDs...)
		}
	}
	if s.UsedBy.PhoneNumbers != nil {
		for _, p := range *s.UsedBy.PhoneNumbers {
			wantIn = append(wantIn, p.PhoneNumberID, p.Label, p.PhoneNumber+" via "+string(p.Provider))
		}
	}
	if s.UsedBy.MCPServers != nil {
		for _, d := range *s.UsedBy.MCPServers {
			v, err := d.AsDependentAvailableMCPServerIdentifier()
			available("MCP server", d, err)
			wantIn = append(wantIn, v.ID, v.Name)
		}
	}
	for _, o := range s.UsedBy.Others {
		wantIn = append(wantIn, string(o))
	}
	for _, w := range wantIn {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("table lacks %q:\n%s", w, r.stdout)
		}
	}
}

// newerBody is a 200 with what the spec does not know yet: a new secret
// type, new union variants, enum values and fields, and names that would
// break a table or drive a terminal.
const newerBody = `{
  "type": "env_backed", "secret_id": "sec_new", "name": "Next\tGen\u001b[31m", "rotated_at": 123,
  "used_by": {
    "tools": [{"type": "shared", "id": "tool_s", "owner": {"team": "x"}},
              {"type": "available", "id": "tool_a", "name": "Line\nBreak", "created_at_unix_secs": 0, "access_level": "owner"}],
    "agents": [{"type": "workflow", "id": "agent_w", "referenced_resource_ids": ["kb_1", 7, "kb_2"]}, {"type": "draft"},
               {"type": "available", "id": "agent_m", "name": "M", "created_at_unix_secs": 0, "access_level": "viewer"}],
    "mcp_servers": [{"type": "remote", "id": "mcp_r"}],
    "phone_numbers": [{"phone_number_id": "pn_v", "phone_number": "+15550000000", "label": "Vonage", "provider": "vonage"}],
    "mcp_servers_has_more": true,
    "others": ["post_call_webhook"],
    "workflows": [{"id": "wf_1"}, {"type": "published", "id": "wf_2", "name": "Onboarding"}, "wf_\u001b3",
                  {"name": "Flow", "owner_agent_id": "agent_1"}],
    "workflows_has_more": true,
    "batch_calls": [],
    "batch_calls_has_more": false,
    "knowledge_bases": null,
    "summary": {"total": 9, "note": "more than a table cell should hold, so xéééééééééé is cut at some point, on a character's boundary"}
  }
}`

func TestTableShowsWhatIsNewerThanTheSpec(t *testing.T) {
	t.Parallel()
	r := tableOf(t, newerBody)
	want := `Name:  "Next\tGen\x1b[31m"
ID:    sec_new
Type:  env_backed (newer than this program)

USED BY       ID       NAME           DETAILS
tool          tool_s   -              type "shared": a kind of dependent newer than this program
tool          tool_a   "Line\nBreak"  access owner (newer than this program), created -
agent         agent_w  -              type "workflow": a kind of dependent newer than this program, uses kb_1, kb_2
agent         -        -              type "draft": a kind of dependent newer than this program, as {"type":"draft"}
agent         agent_m  M              access viewer, created -
phone number  pn_v     Vonage         +15550000000 via vonage (newer than this program)
MCP server    mcp_r    -              type "remote": a kind of dependent newer than this program
MCP server    -        and more       not listed by the API
other         -        -              post_call_webhook (newer than this program)
summary       -        -              newer than this program: {"note":"more than a table cell should hold, so xééééééé...
workflows     wf_1     -              a kind of dependent newer than this program
workflows     wf_2     Onboarding     type "published": a kind of dependent newer than this program
workflows     -        -              newer than this program: "wf_\u001b3"
workflows     -        Flow           a kind of dependent newer than this program, as {"name":"Flow","owner_agent_id":"agent_1"}
workflows     -        and more       not listed by the API
`
	if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(r.stdout, "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

// TestTableHidesTheKeyInItsColumns: a key a server echoes in a cell is
// hidden before the table is laid out, so the columns still line up.
func TestTableHidesTheKeyInItsColumns(t *testing.T) {
	t.Parallel()
	body := `{"type": "stored", "secret_id": "sec_echo", "name": "n", "used_by": {"agents": [], "others": [],
	  "tools": [{"type": "available", "id": "tool_1", "name": "` + testKey + `", "created_at_unix_secs": 0, "access_level": "admin"}],
	  "x_` + testKey + `": [{"id": "` + strings.ToUpper(testKey) + `"}]}}`
	r := tableOf(t, body)
	lines := strings.Split(r.stdout, "\n")
	header := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "USED BY") })
	if header < 0 || header+2 >= len(lines) {
		t.Fatalf("no table of two rows in:\n%s", r.stdout)
	}
	for _, row := range lines[header+1 : header+3] {
		if !strings.Contains(row, "[REDACTED]") {
			t.Fatalf("row %q: want the key hidden", row)
		}
		for _, col := range []string{"ID", "NAME", "DETAILS"} {
			at := strings.Index(lines[header], col)
			if at <= 0 || at >= len(row) || !strings.HasSuffix(row[:at], "  ") || row[at] == ' ' { // cells are padded by 2
				t.Errorf("column %s starts at %d in the header, not in the row:\n%s\n%s", col, at, lines[header], row)
			}
		}
	}
}

// TestTableOfInvalidUTF8: a newer field whose value is not UTF-8 (here,
// nothing but continuation bytes) is shown in one cell, with replacement
// characters, quoted and cut.
func TestTableOfInvalidUTF8(t *testing.T) {
	t.Parallel()
	body := `{"type": "stored", "secret_id": "sec_bytes", "name": "n", "used_by": {"tools": [], "agents": [], "others": [],
	  "blob": "` + strings.Repeat("\x80", 70) + `"}}`
	r := tableOf(t, body)
	want := `blob     -   -     newer than this program: ` + strconv.Quote(`"`+strings.Repeat("\uFFFD", 21)+"...")
	if lines := strings.Split(r.stdout, "\n"); len(lines) < 5 || lines[4] != want {
		t.Errorf("table:\n%s\nwant the row:\n%s", r.stdout, want)
	}
}

// TestTableKnowsEverySample: the fake's samples hold every variant and
// value of the spec (its TestSamplesCoverTheSpec sees to it); the table
// shows none of them as newer than this program, so a variant or secret
// type added to the spec fails here until render.go shows it.
func TestTableKnowsEverySample(t *testing.T) {
	t.Parallel()
	samples, err := elevenlabstest.SampleSecrets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		var out bytes.Buffer
		if err := render(&out, &s, nil); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.Contains(line, "newer than this program") {
				t.Errorf("sample %s: the table shows %q: add the variant or type to render.go", s.SecretID, line)
			}
		}
	}
}

// TestTableReadsEveryFieldOfEachVariant: each type the table shows has
// the JSON fields listed here: a checklist, which fails when the spec
// adds a field, so that someone decides how the table shows it. (That it
// does show each text field is TestTableShowsEveryTextField's check.)
func TestTableReadsEveryFieldOfEachVariant(t *testing.T) {
	shown := map[reflect.Type][]string{
		reflect.TypeFor[elevenlabs.Secret]():                                {"name", "secret_id", "type", "used_by"},
		reflect.TypeFor[elevenlabs.DependentAvailableToolIdentifier]():      {"access_level", "created_at_unix_secs", "id", "name", "type"},
		reflect.TypeFor[elevenlabs.DependentUnknownToolIdentifier]():        {"id", "type"},
		reflect.TypeFor[elevenlabs.DependentAvailableAgentIdentifier]():     {"access_level", "created_at_unix_secs", "id", "name", "referenced_resource_ids", "type"},
		reflect.TypeFor[elevenlabs.DependentUnknownAgentIdentifier]():       {"id", "referenced_resource_ids", "type"},
		reflect.TypeFor[elevenlabs.DependentAvailableMCPServerIdentifier](): {"access_level", "created_at_unix_secs", "id", "name", "type"},
		reflect.TypeFor[elevenlabs.DependentUnknownMCPServerIdentifier]():   {"id", "type"},
		reflect.TypeFor[elevenlabs.DependentPhoneNumberIdentifier]():        {"label", "phone_number", "phone_number_id", "provider"},
	}
	for _, typ := range dependentTypes() {
		if _, ok := shown[typ]; !ok {
			t.Errorf("used_by's items can be a %s, which this checklist lacks: show it in dependentRow (render.go) and list its fields here", typ.Name())
		}
	}
	for typ, want := range shown {
		var fields []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields = append(fields, name)
		}
		slices.Sort(fields)
		if !slices.Equal(fields, want) {
			t.Errorf("%s has JSON fields %v; the table shows %v: show the new ones in render.go and list them here", typ.Name(), fields, want)
		}
	}
}

// dependentTypes returns the Go type of every kind of object item that
// used_by's lists can hold, as generated: each variant of a union list
// (the argument of its union's From method), and the item type of a list
// that is not a union (phone numbers). So a variant or a list that a
// spec update adds is in it without a change here.
func dependentTypes() []reflect.Type {
	var out []reflect.Type
	used := reflect.TypeFor[elevenlabs.ConvAIStoredSecretDependencies]()
	for f := range used.Fields() {
		typ := f.Type
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Slice {
			continue
		}
		item := typ.Elem()
		union := reflect.PointerTo(item)
		if _, ok := union.MethodByName("ValueByDiscriminator"); !ok {
			if item.Kind() == reflect.Struct {
				out = append(out, item)
			}
			continue
		}
		for m := range union.Methods() {
			if strings.HasPrefix(m.Name, "From") && m.Type.NumIn() == 2 {
				out = append(out, m.Type.In(1))
			}
		}
	}
	return out
}

// TestTableShowsEveryTextField: every text field of each kind of
// dependent the table knows (not its type or an enum, which other tests
// cover) shows in its row: a field the spec adds (an assigned_agent_id on
// phone numbers) fails here until render.go shows it.
func TestTableShowsEveryTextField(t *testing.T) {
	types := dependentTypes()
	if len(types) < 7 {
		t.Fatalf("found %d types of dependent, want the 7 of the spec at least: %v", len(types), types)
	}
	for _, typ := range types {
		v := reflect.New(typ).Elem()
		variant := v.Interface()
		markers := map[string]string{} // JSON name: the value set
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "type" || f.Type.NumMethod() > 0 { // the discriminator, an enum (Valid)
				continue
			}
			marker := "m_" + name
			switch {
			case f.Type.Kind() == reflect.String:
				v.Field(i).SetString(marker)
			case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String:
				v.Field(i).Set(reflect.ValueOf(&marker).Convert(f.Type))
			case f.Type == reflect.TypeFor[*[]string]():
				v.Field(i).Set(reflect.ValueOf(&[]string{marker}))
			default:
				continue
			}
			markers[name] = marker
		}
		r := dependentRow("kind", elevenlabs.Dependent{Value: v.Interface()})
		cells := strings.Join([]string{r.id, r.name, r.details}, " | ")
		for name, marker := range markers {
			if !strings.Contains(cells, marker) {
				t.Errorf("%T.%s is not shown by the table (its row: %s): show it in dependentRow (render.go)", variant, name, cells)
			}
		}
	}
}

// TestTableReadsEveryFieldOfTheSpec: a checklist of the fields the spec
// gives used_by. A field added to the spec becomes a field of the
// generated type, no longer in AdditionalProperties (where the table
// finds fields newer than the program): this fails so that someone checks
// how the table shows it (a list after the known ones, its flag as "and
// more": TestTableShowsEveryListCutShort; a flag of another name:
// TestEverySpecFlagIsAListsHasMore).
func TestTableReadsEveryFieldOfTheSpec(t *testing.T) {
	// shown are the used_by fields dependents reads.
	shown := map[string]bool{
		"tools": true, "tools_has_more": true, "agents": true, "agents_has_more": true,
		"phone_numbers": true, "phone_numbers_has_more": true, "mcp_servers": true, "others": true,
	}
	var fields []string
	for _, f := range usedByFields {
		name := f.name
		fields = append(fields, name)
		if !shown[name] {
			t.Errorf("used_by.%s is in the spec but not shown by the table: show it in dependents (render.go) and add it to shown here", name)
		}
	}
	if len(fields) != len(shown) {
		t.Errorf("render.go shows used_by fields %v; the spec has %v", slices.Sorted(maps.Keys(shown)), fields)
	}
}

// hostileBody is a 200 whose values would drive a terminal or break the
// table if printed as they are: ANSI escapes, C0 and C1 control
// characters, line breaks and a bidi override, in every cell that comes
// from the API.
const hostileBody = `{
  "type": "stored", "secret_id": "sec_hostile", "name": "\u202eterces",
  "used_by": {
    "tools": [{"type": "available", "id": "tool_\u001b[1m", "name": "Evil\u001b]0;owned\u0007", "created_at_unix_secs": 0, "access_level": "viewer"},
              {"type": "unknown", "id": "tool_\u009b2J"}],
    "agents": [{"type": "available", "id": "agent_a", "name": "\u009b31mAgent", "created_at_unix_secs": 0, "access_level": "admin",
                "referenced_resource_ids": ["res_\u001b[0m"]}],
    "phone_numbers": [{"phone_number_id": "pn_\u0000", "phone_number": "+1555\u001b[2J0100", "label": "Desk\r\nLine", "provider": "twilio\u007f"}],
    "others": ["webhook\u001b[5m"]
  }
}`

// TestTableNeutralisesControlCharacters: no value from the API reaches
// the terminal with a control character in it; each is shown quoted,
// escaped.
func TestTableNeutralisesControlCharacters(t *testing.T) {
	t.Parallel()
	r := tableOf(t, hostileBody)
	for i, c := range r.stdout {
		if c != '\n' && !unicode.IsPrint(c) {
			t.Errorf("the table has the non-printing character %U at byte %d: %q", c, i, r.stdout)
		}
	}
	for _, want := range []string{
		`"\u202eterces"`,
		`"tool_\x1b[1m"`, `"Evil\x1b]0;owned\a"`, `"tool_\u009b2J"`,
		`"\u009b31mAgent"`, `"res_\x1b[0m"`,
		`"pn_\x00"`, `"+1555\x1b[2J0100" via "twilio\x7f"`, `"Desk\r\nLine"`, `"webhook\x1b[5m"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the table lacks %s:\n%s", want, r.stdout)
		}
	}
}

func TestJSONOutput(t *testing.T) {
	t.Parallel()
	srv := startFake(t)
	for _, id := range srv.SecretIDs() {
		r := secrets(t, withKey, "get", "--json", "--base-url", srv.URL, id)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", id, r.code, r.stderr)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/convai/secrets/"+id, nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		served, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if diff := cmp.Diff(decodeJSON(t, served), decodeJSON(t, []byte(r.stdout))); diff != "" {
			t.Errorf("%s: --json output differs from the served body (-served +printed):\n%s", id, diff)
		}
		if !strings.HasPrefix(r.stdout, "{\n  \"") {
			t.Errorf("%s: output is not indented JSON", id)
		}
	}
}

// TestFakeJSONIsTheDocsExample: --fake --json prints the docs example
// as the fixture has it, key order included, not re-encoded.
func TestFakeJSONIsTheDocsExample(t *testing.T) {
	t.Parallel()
	fixture, s := docsExample(t)
	r := secrets(t, nil, "get", "--fake", "--json", s.SecretID)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var want, got bytes.Buffer
	if err := json.Compact(&want, fixture); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&got, []byte(r.stdout)); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("--fake --json %s, compacted:\n%s\nwant the fixture, compacted:\n%s", s.SecretID, got.Bytes(), want.Bytes())
	}
}

// TestJSONEscapesTerminalControls: --json prints a hostile server's raw
// C1 controls, bidirectional controls, line separators and invalid UTF-8
// as \u escapes, so the output cannot drive or reorder the terminal, and
// still decodes to what the server sent.
func TestJSONEscapesTerminalControls(t *testing.T) {
	t.Parallel()
	const raw = "\u009b31mRed\u202eterces\u2028line\u00e9"
	body := strings.Replace(newerBody, `"Next\tGen\u001b[31m"`, `"`+raw+"\xff"+`"`, 1)
	if body == newerBody {
		t.Fatal("the test body has no name to replace")
	}
	srv := startFake(t)
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: []byte(body)})
	r := secrets(t, withKey, "get", "sec_new", "--json", "--base-url", srv.URL)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if i := strings.IndexFunc(r.stdout, func(r rune) bool {
		return r == utf8.RuneError || (r >= 0x80 && unicode.IsControl(r)) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028'
	}); i >= 0 {
		t.Errorf("--json prints %q raw:\n%s", []rune(r.stdout[i:])[0], r.stdout)
	}
	for _, want := range []string{`\u009b31mRed\u202eterces\u2028line` + "\u00e9" + `\ufffd`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--json lacks %s:\n%s", want, r.stdout)
		}
	}
	want := decodeJSON(t, []byte(strings.Replace(body, "\xff", "\ufffd", 1)))
	if diff := cmp.Diff(want, decodeJSON(t, []byte(r.stdout))); diff != "" {
		t.Errorf("--json does not decode to the body as sent (-sent +printed):\n%s", diff)
	}
}

func TestJSONKeepsFieldsNewerThanTheSpec(t *testing.T) {
	t.Parallel()
	srv := startFake(t)
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: []byte(newerBody)})
	r := secrets(t, withKey, "get", "sec_new", "--json", "--base-url", srv.URL)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if diff := cmp.Diff(decodeJSON(t, []byte(newerBody)), decodeJSON(t, []byte(r.stdout))); diff != "" {
		t.Errorf("--json is not the body as sent (-sent +printed):\n%s", diff)
	}
}

func TestFakeRunsWithoutKeyOrNetwork(t *testing.T) {
	t.Parallel()
	samples, err := elevenlabstest.SampleSecrets()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		r := secrets(t, nil, "get", "--fake", s.SecretID)
		if r.code != 0 || !strings.Contains(r.stdout, "Name:  "+s.Name+"\n") || r.stderr != "" {
			t.Errorf("--fake %s: exit %d, stdout %q, stderr %q", s.SecretID, r.code, r.stdout, r.stderr)
		}
		r = secrets(t, nil, "get", "--fake", "--json", s.SecretID)
		want, _ := json.Marshal(s)
		if r.code != 0 || cmp.Diff(decodeJSON(t, want), decodeJSON(t, []byte(r.stdout))) != "" {
			t.Errorf("--fake --json %s: exit %d, output %s", s.SecretID, r.code, r.stdout)
		}
	}
	r := secrets(t, nil, "get", "--fake", "sec_missing")
	if r.code != exitNotFound || !strings.Contains(r.stderr, "The fake server knows: "+samples[0].SecretID) {
		t.Errorf("--fake with an unknown ID: exit %d, stderr %q", r.code, r.stderr)
	}
	// The list of sample IDs answers "not found" only: a 422 (an ID the
	// fake refuses) or a usage error gets none.
	for _, id := range []string{"sec.1", "../x"} {
		r = secrets(t, nil, "get", "--fake", id)
		if r.code == exitOK || r.code == exitNotFound || strings.Contains(r.stderr, "The fake server knows") {
			t.Errorf("--fake %s: exit %d, stderr %q; want another error, without the sample IDs", id, r.code, r.stderr)
		}
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

// docsExample reads the shared fixture, the docs page's example response,
// at run time (a spec update may rewrite it), raw and decoded.
func docsExample(t *testing.T) ([]byte, elevenlabs.Secret) {
	t.Helper()
	fixture, err := os.ReadFile(filepath.Join("..", "..", "elevenlabstest", "testdata", "get-secret-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s elevenlabs.Secret
	if err := json.Unmarshal(fixture, &s); err != nil {
		t.Fatal(err)
	}
	return fixture, s
}

// tableOf runs the command against a fake that answers with body, a 200
// for the secret_id in it, and returns the run, which must have succeeded.
func tableOf(t *testing.T, body string) result {
	t.Helper()
	var secret struct {
		ID string `json:"secret_id"`
	}
	if err := json.Unmarshal([]byte(body), &secret); err != nil {
		t.Fatal(err)
	}
	srv := startFake(t)
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: []byte(body)})
	r := secrets(t, withKey, "get", "--base-url", srv.URL, secret.ID)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	return r
}

// TestTableColumnsByDisplayWidth: columns line up on a terminal, where a
// wide (East Asian) character takes two columns and a combining mark
// none; a name wider than 40 columns is cut to fit, between characters
// (never half a wide one), and shown whole above the table only for the
// secret itself.
func TestTableColumnsByDisplayWidth(t *testing.T) {
	t.Parallel()
	long := "A tool whose name is rather long because someone described its purpose"
	wide := strings.Repeat("長い名前", 7) // 28 characters, 56 columns
	tool := func(id, name string) string {
		return `{"type": "available", "id": "` + id + `", "name": "` + name + `", "created_at_unix_secs": 0, "access_level": "admin"}`
	}
	body := `{"type": "stored", "secret_id": "sec_intl", "name": "` + wide + `", "used_by": {"agents": [], "others": [], "tools": [` +
		strings.Join([]string{tool("tool_1", "日本語のツール名"), tool("tool_2", `e\u0301e\u0301e\u0301 combining`), tool("tool_3", "plain"),
			tool("tool_4", long), tool("tool_5", wide)}, ", ") + `]}}`
	r := tableOf(t, body)
	// The NAME column is 40 columns wide (the cut names), then two spaces.
	pad := strings.Repeat
	want := "Name:  " + wide + "\n" +
		"ID:    sec_intl\n" +
		"\n" +
		"USED BY  ID      NAME" + pad(" ", 38) + "DETAILS\n" +
		"tool     tool_1  日本語のツール名" + pad(" ", 26) + "access admin, created -\n" + // 16 columns
		"tool     tool_2  e\u0301e\u0301e\u0301 combining" + pad(" ", 29) + "access admin, created -\n" + // 13 columns
		"tool     tool_3  plain" + pad(" ", 37) + "access admin, created -\n" +
		"tool     tool_4  " + long[:37] + "...  access admin, created -\n" +
		"tool     tool_5  " + strings.Repeat("長い名前", 4) + "長い" + "...   access admin, created -\n" // 36+3 columns
	if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(r.stdout, "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

// TestFitKeepsTheRedactionMarkerWhole: a name cut to fit its column is
// never cut inside the marker elevenlabs.Redact puts where it hid the
// key; the marker goes whole, or not at all.
func TestFitKeepsTheRedactionMarkerWhole(t *testing.T) {
	t.Parallel()
	if got := elevenlabs.Redact("a "+testKey, testKey); got != "a "+redacted {
		t.Fatalf("Redact marks the key as %q, and fit looks for %q", got, redacted)
	}
	x := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct{ in, want string }{
		{x(30) + redacted, x(30) + redacted}, // 40 columns: whole
		{x(35) + redacted, x(35) + "..."},    // the cut at 37 would split it
		{x(20) + redacted + x(20), x(20) + redacted + x(7) + "..."},
		{redacted + redacted + redacted + redacted + x(1), redacted + redacted + redacted + "..."},
		{x(37) + redacted, x(37) + "..."},
	} {
		if got := fit(tc.in, maxNameWidth); got != tc.want {
			t.Errorf("fit(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTableLayout: each column is as wide as its widest cell that is not
// the last of its row, plus two spaces; a row's last cell is neither
// padded nor widens its column.
func TestTableLayout(t *testing.T) {
	t.Parallel()
	tb := table{rows: [][]string{{"a", "bb", "c"}, {"aaaa", "b"}, {"x"}, {"a", "b"}, {"a much longer last cell"}}}
	var out bytes.Buffer
	if err := tb.write(&out); err != nil {
		t.Fatal(err)
	}
	want := "a     bb  c\n" + "aaaa  b\n" + "x\n" + "a     b\n" + "a much longer last cell\n"
	if out.String() != want {
		t.Errorf("table:\n%q\nwant:\n%q", out.String(), want)
	}
}

// TestTableListsNewerListsItemByItem: a list newer than this program is
// shown item by item as elevenlabs.Dependents reads it (its ID from "id"
// or its one "*_id" property, its name, an "unknown" item as hidden),
// also when a number in it is beyond float64; names written with
// zero-width joiners (emoji sequences, Persian) are shown as text.
func TestTableListsNewerListsItemByItem(t *testing.T) {
	t.Parallel()
	body := `{"type": "stored", "secret_id": "sec_wide", "name": "n", "used_by": {"agents": [], "others": [],
	  "tools": [{"type": "available", "id": "tool_1", "name": "👩\u200d💻 dev", "created_at_unix_secs": 0, "access_level": "admin"},
	            {"type": "available", "id": "tool_2", "name": "می\u200cخواهم", "created_at_unix_secs": 0, "access_level": "admin"}],
	  "knowledge_bases": [{"type": "available", "knowledge_base_id": "kb_1", "name": "FAQ"}],
	  "workflows": [{"type": "published", "id": "wf_1", "size": 1e400}, {"type": "unknown", "id": "wf_2"}],
	  "workflows_has_more": true,
	  "widgets": ["<b>&</b>", {"id": "w_1", "type": null, "Referenced_Resource_IDs": ["r_1"]}, {"id": "\u200d"}]}}`
	r := tableOf(t, body)
	for _, want := range []string{
		"tool             tool_1    👩\u200d💻 dev",
		"tool             tool_2    می\u200cخواهم",
		`knowledge_bases  kb_1      FAQ`,
		`workflows        wf_1      -`,
		`workflows        wf_2      -         hidden (not visible to this API key)`,
		`workflows        -         and more  not listed by the API`,
		`widgets          -         -         newer than this program: "<b>&</b>"`,                    // as sent, not HTML-escaped
		`widgets          w_1       -         type null: a kind of dependent newer than this program`, // no refs: names are exact
		`widgets          "\u200d"`,                                                                   // joiners alone are quoted
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "r_1") {
		t.Errorf("table reads Referenced_Resource_IDs as referenced_resource_ids:\n%s", r.stdout)
	}
}

// TestTableShowsEveryListCutShort: for each *_has_more flag of the
// generated type, a secret whose list is empty but whose flag is set is
// shown as in use, with an "and more" row for that list, never as "Not
// used by anything". A list a later spec adds is covered once api/ is
// regenerated.
func TestTableShowsEveryListCutShort(t *testing.T) {
	t.Parallel()
	var flags []string
	for _, f := range usedByFields {
		if strings.HasSuffix(f.name, "_has_more") {
			flags = append(flags, f.name)
		}
	}
	if len(flags) < 3 {
		t.Fatalf("the generated used_by has the flags %v; openapi.yaml has tools_has_more, agents_has_more and phone_numbers_has_more", flags)
	}
	for _, flag := range flags {
		list := strings.TrimSuffix(flag, "_has_more")
		var secret elevenlabs.Secret
		body := `{"type": "stored", "secret_id": "sec_1", "name": "n",
			"used_by": {"tools": [], "agents": [], "others": [], "` + list + `": [], "` + flag + `": true}}`
		if err := json.Unmarshal([]byte(body), &secret); err != nil {
			t.Fatal(err)
		}
		if !elevenlabs.InUse(secret.UsedBy) {
			t.Fatalf("%s: InUse is false", flag)
		}
		var out bytes.Buffer
		if err := render(&out, &secret, nil); err != nil {
			t.Fatal(err)
		}
		var more []string
		for line := range strings.Lines(out.String()) {
			if strings.Contains(line, "and more") {
				more = append(more, strings.Fields(line)[0])
			}
		}
		kind := kindOf(list)
		if len(more) != 1 || !strings.HasPrefix(kind, more[0]) || strings.Contains(out.String(), "Not used") {
			t.Errorf("%s set, %s empty: want one 'and more' row for %q, got:\n%s", flag, list, kind, out.String())
		}
	}
}

// TestTableShowsANewerFlagOnce: a list of the generated type whose
// *_has_more flag the spec lacks (mcp_servers, others; a list a later
// spec adds without one) gets one "and more" row when the API sends the
// flag, which GetSecret keeps in AdditionalProperties.
func TestTableShowsANewerFlagOnce(t *testing.T) {
	t.Parallel()
	flags := map[string]bool{}
	for _, f := range usedByFields {
		flags[f.name] = true
	}
	tested := 0
	for _, list := range generatedLists {
		if flags[list+"_has_more"] {
			continue
		}
		tested++
		var secret elevenlabs.Secret
		body := `{"type": "stored", "secret_id": "sec_1", "name": "n",
			"used_by": {"tools": [], "agents": [], "others": [], "` + list + `": [], "` + list + `_has_more": true}}`
		if err := json.Unmarshal([]byte(body), &secret); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := render(&out, &secret, nil); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out.String(), "and more"); n != 1 {
			t.Errorf("%s empty, %s_has_more (newer) set: %d 'and more' rows, want 1:\n%s", list, list, n, out.String())
		}
	}
	if tested == 0 {
		t.Fatal("every list of the generated type has its flag: this test tests nothing (use a list without one)")
	}
}

// TestCleanQuotesWhatLooksEmptyOrOtherwise: a cell never looks empty, or
// other than its value, when the value is not: nothing in it shows, or
// one of its ends does not, and it is quoted; "" is left for the table's
// "-"; ordinary text, inner spaces, joiners inside text and an emoji's
// variation selector stay.
func TestCleanQuotesWhatLooksEmptyOrOtherwise(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"Agent One":    "Agent One",
		"👩\u200d💻 dev": "👩\u200d💻 dev",
		"a\u3164b":     "a\u3164b",
		"   ":          `"   "`,
		"\u200d":       `"\u200d"`,
		"\u2800":       `"⠀"`,
		"\u3164":       `"ㅤ"`,
		"\u115f\u1160": "\"\u115f\u1160\"",
		"\uffa0":       `"ﾠ"`,
		"\ufe0f":       "\"\ufe0f\"",
		"\u034f":       "\"\u034f\"",
		"\u17b5":       "\"\u17b5\"",
		"\U000E0100":   "\"\U000e0100\"",
		"x\u3164":      "\"x\u3164\"",
		"\u3164x":      "\"\u3164x\"",
		"a\u200d":      "\"a\\u200d\"",
		"❤\ufe0f":      "❤\ufe0f",
		" admin":       `" admin"`,
		"admin ":       `"admin "`,
		"tab\there":    `"tab\there"`,
		"\u202eevil":   `"\u202eevil"`,
		"a\xffb":       `"a\xffb"`,
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := kindOf(""); got != `""` {
		t.Errorf(`kindOf("") = %q, want "\"\""`, got)
	}
}
