package elevenlabs_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/api"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// testKey is the API key the tests use. No test prints it: failures say
// whether it was sent, never what was sent.
const testKey = "xi-test-key-4f1c9a7e2b"

// fullSecret is a 200 body with every kind of dependent: each union's
// available and unknown variants, phone numbers, others and the has_more
// flags.
const fullSecret = `{
  "type": "stored",
  "secret_id": "sec_full",
  "name": "DatabaseCredentials",
  "used_by": {
    "tools": [
      {"type": "available", "id": "tool_1", "name": "DataSyncTool", "created_at_unix_secs": 1685000000, "access_level": "admin"},
      {"type": "unknown", "id": "tool_2"}
    ],
    "tools_has_more": true,
    "agents": [
      {"type": "available", "id": "agent_1", "name": "SupportAgent", "created_at_unix_secs": 1685100000, "access_level": "editor", "referenced_resource_ids": ["res_1", "res_2"]},
      {"type": "unknown", "id": "agent_2", "referenced_resource_ids": ["res_3"]}
    ],
    "agents_has_more": false,
    "phone_numbers": [
      {"phone_number_id": "pn_1", "phone_number": "+15551234567", "label": "Support Line", "provider": "twilio"},
      {"phone_number_id": "pn_2", "phone_number": "+15557654321", "label": "SIP", "provider": "sip_trunk"}
    ],
    "phone_numbers_has_more": true,
    "mcp_servers": [
      {"type": "available", "id": "mcp_1", "name": "PrimaryMCP", "created_at_unix_secs": 1685200000, "access_level": "viewer"},
      {"type": "unknown", "id": "mcp_2"}
    ],
    "others": ["conversation_initiation_webhook"]
  }
}`

// jsonHandler answers every request with status and body as JSON.
func jsonHandler(status int, body string, header ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

// newClient returns a Client for srv's URL with the test key.
func newClient(t *testing.T, srv *contract.Server, opts ...elevenlabs.Option) *elevenlabs.Client {
	t.Helper()
	c, err := elevenlabs.New(append([]elevenlabs.Option{elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// checkNoKey fails if s contains the test key, without printing s.
func checkNoKey(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testKey) {
		t.Errorf("%s contains the API key", what)
	}
}

// TestGetSecretSendsEveryParameter: GetSecret sends every parameter the
// spec gives the operation: the secret ID in the path and the key in its
// header. A parameter a later spec adds (a query option) would reach
// api.GetSecretParams through go generate and stay out of callers' reach,
// as GetSecret passes no params: this fails until the wrapper sends it.
func TestGetSecretSendsEveryParameter(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	path := doc.Paths.Find("/v1/convai/secrets/{secret_id}")
	if path == nil || path.Get == nil {
		t.Fatal("openapi.yaml has no GET /v1/convai/secrets/{secret_id}: update GetSecret and this test")
	}
	sent := map[string]bool{"path secret_id": true, "header xi-api-key": true}
	for _, p := range append(path.Parameters, path.Get.Parameters...) {
		if p.Value != nil && !sent[p.Value.In+" "+p.Value.Name] {
			t.Errorf("openapi.yaml gives GET /v1/convai/secrets/{secret_id} the %s parameter %q, which GetSecret does not send: add an option or argument for it to GetSecret (elevenlabs.go), then its name to this test", p.Value.In, p.Value.Name)
		}
	}
}

func TestRegionsMatchSpecServers(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]elevenlabs.Region{}
	for _, r := range elevenlabs.Regions() {
		byURL[r.BaseURL()] = r
	}
	inSpec := map[string]bool{}
	var unnamed []*openapi3.Server // servers no Region names
	for _, s := range doc.Servers {
		inSpec[s.URL] = true
		if _, ok := byURL[s.URL]; !ok {
			unnamed = append(unnamed, s)
		}
	}
	var gone []elevenlabs.Region // Regions of servers the spec no longer lists
	for _, r := range elevenlabs.Regions() {
		if !inSpec[r.BaseURL()] {
			gone = append(gone, r)
		}
	}
	if len(unnamed) == 1 && len(gone) == 1 {
		// Most likely a server that moved.
		t.Errorf("Region %q points at %s, which openapi.yaml no longer lists; it lists %s (%q), which no Region names: if the server moved, update the Region's URL in region.go's regions table; otherwise remove the Region and add one (region.go, and the README's regions table)",
			gone[0], gone[0].BaseURL(), unnamed[0].URL, unnamed[0].Description)
		return
	}
	for _, s := range unnamed {
		if len(s.Variables) > 0 {
			t.Errorf("openapi.yaml lists server %s (%q) with variables: a Region is one fixed URL, so add a Region for each value the variables take (region.go's regions table, and the README's regions table)", s.URL, s.Description)
			continue
		}
		t.Errorf("openapi.yaml lists server %s (%q) but no Region names it: add a Region constant and a row to the regions table in region.go, and to the README's regions table", s.URL, s.Description)
	}
	for _, r := range gone {
		t.Errorf("Region %q points at %s, which openapi.yaml no longer lists as a server: remove it or update its URL (region.go, and the README's regions table)", r, r.BaseURL())
	}
	if got := elevenlabs.Regions()[0]; got != elevenlabs.RegionDefault {
		t.Errorf("Regions()[0] = %q, want RegionDefault", got)
	}
	if got, want := elevenlabs.RegionDefault.BaseURL(), doc.Servers[0].URL; got != want {
		t.Errorf("RegionDefault = %s, want the spec's first server %s", got, want)
	}
}

func TestEachRegionTargetsItsOwnHost(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	for _, region := range elevenlabs.Regions() {
		t.Run(string(region), func(t *testing.T) {
			before := len(srv.Requests())
			c, err := elevenlabs.New(
				elevenlabs.WithAPIKey(testKey),
				elevenlabs.WithRegion(region),
				elevenlabs.WithHTTPClient(&http.Client{Transport: contract.NewTransport(srv)}),
			)
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != region.BaseURL() {
				t.Errorf("BaseURL() = %s, want %s", c.BaseURL(), region.BaseURL())
			}
			if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
				t.Fatalf("GetSecret: %v", err)
			}
			reqs := srv.Requests()[before:]
			if len(reqs) != 1 {
				t.Fatalf("server got %d requests, want 1", len(reqs))
			}
			u, _ := url.Parse(region.BaseURL())
			if reqs[0].Host != u.Host {
				t.Errorf("request meant for host %s, want %s", reqs[0].Host, u.Host)
			}
			if reqs[0].Path != "/v1/convai/secrets/sec_full" {
				t.Errorf("path = %s", reqs[0].Path)
			}
		})
	}
}

func TestParseRegion(t *testing.T) {
	for _, r := range elevenlabs.Regions() {
		for _, s := range []string{r.String(), strings.ToUpper(r.String())} {
			got, err := elevenlabs.ParseRegion(s)
			if err != nil || got != r {
				t.Errorf("ParseRegion(%q) = %q, %v; want %q", s, got, err, r)
			}
		}
	}
	for _, s := range []string{"", "  ", "mars", "https://api.elevenlabs.io", "e u", "eu,us"} {
		if r, err := elevenlabs.ParseRegion(s); err == nil {
			t.Errorf("ParseRegion(%q) = %q, want an error", s, r)
		}
	}
	// A value read from a file or an environment variable.
	for _, s := range []string{" eu", "eu\n", "\tEU \r\n"} {
		if r, err := elevenlabs.ParseRegion(s); err != nil || r != elevenlabs.RegionEU {
			t.Errorf("ParseRegion(%q) = %q, %v; want eu", s, r, err)
		}
	}
	// A short unknown name is quoted; a long one, which may be a key
	// pasted in the wrong place, is not.
	var known []string
	for _, r := range elevenlabs.Regions() {
		known = append(known, r.String())
	}
	want := `unknown region "mars" (known: ` + strings.Join(known, ", ") + ")" // in Regions' order
	if _, err := elevenlabs.ParseRegion("mars"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ParseRegion(mars) error = %v, want it to say %q", err, want)
	}
	// At the edge: 24 bytes are quoted, 25 are not.
	if _, err := elevenlabs.ParseRegion(strings.Repeat("r", 24)); err == nil || !strings.Contains(err.Error(), strconv.Quote(strings.Repeat("r", 24))) {
		t.Errorf("ParseRegion(24 bytes) error = %v, want the name quoted", err)
	}
	if _, err := elevenlabs.ParseRegion(strings.Repeat("r", 25)); err == nil || !strings.Contains(err.Error(), "unknown region (a 25-byte name)") {
		t.Errorf("ParseRegion(25 bytes) error = %v, want the name not quoted", err)
	}
	if _, err := elevenlabs.ParseRegion(testKey + testKey); err == nil || !strings.Contains(err.Error(), "unknown region (a 44-byte name)") {
		t.Errorf("ParseRegion(a long value) error = %v", err)
	} else {
		checkNoKey(t, "the error", err.Error())
	}
	// Configuration files and flags take a region by name.
	var cfg struct{ Region elevenlabs.Region }
	if err := json.Unmarshal([]byte(`{"Region": "Singapore"}`), &cfg); err != nil || cfg.Region != elevenlabs.RegionSingapore {
		t.Errorf("JSON region: %q, %v; want singapore", cfg.Region, err)
	}
	if err := json.Unmarshal([]byte(`{"Region": "mars"}`), &cfg); err == nil || !strings.Contains(err.Error(), "unknown region") {
		t.Errorf("JSON region mars: error = %v, want unknown region", err)
	}
	// Written out, a region reads back: every region by its canonical
	// name (one converted in another case too), the zero Region (not set)
	// as empty text; an unknown one is an error rather than text no
	// ParseRegion takes.
	for _, r := range append(elevenlabs.Regions(), "EU", "") {
		b, err := json.Marshal(struct{ Region elevenlabs.Region }{r})
		var back struct{ Region elevenlabs.Region }
		if err == nil {
			err = json.Unmarshal(b, &back)
		}
		if err != nil || back.Region.BaseURL() != r.BaseURL() || r.String() != string(back.Region) {
			t.Errorf("Region %q: written %s, read back %q (String %q), %v", r, b, back.Region, r.String(), err)
		}
	}
	if b, err := json.Marshal(struct{ Region elevenlabs.Region }{"mars"}); err == nil {
		t.Errorf("Region mars written as %s, want an error", b)
	}
	if b, err := json.Marshal(struct{ Region elevenlabs.Region }{}); err != nil || string(b) != `{"Region":""}` {
		t.Errorf("the zero Region written as %s, %v; want empty text", b, err)
	}
	cfg.Region = elevenlabs.RegionEU
	if err := json.Unmarshal([]byte(`{"Region": "  "}`), &cfg); err != nil || cfg.Region != "" {
		t.Errorf("white space read as %q, %v; want the zero Region", cfg.Region, err)
	}
	// Not set is not a region: WithRegion refuses it.
	if _, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithRegion("")); err == nil || !strings.Contains(err.Error(), `unknown region ""`) {
		t.Errorf("WithRegion(\"\"): error = %v, want unknown region", err)
	}
	// A log line shows a region by name, an unknown one too (the value
	// most worth seeing), not MarshalText's error.
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	logger.Info("config", "region", elevenlabs.Region("EU"), "other", elevenlabs.Region("mars"))
	if want := "level=INFO msg=config region=eu other=mars\n"; logged.String() != want {
		t.Errorf("logged %q, want %q", logged.String(), want)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	region := elevenlabs.RegionDefault
	fs.TextVar(&region, "region", elevenlabs.RegionDefault, "the API region")
	if err := fs.Parse([]string{"-region", "INDIA"}); err != nil || region != elevenlabs.RegionIndia {
		t.Errorf("-region INDIA: %q, %v", region, err)
	}
	if err := fs.Parse([]string{"-region", "moon"}); err == nil {
		t.Error("-region moon: want an error")
	}
	for _, r := range []elevenlabs.Region{"EU", " eu\n"} {
		if got := r.BaseURL(); got != elevenlabs.RegionEU.BaseURL() {
			t.Errorf("Region(%q).BaseURL() = %q", r, got)
		}
	}
	if _, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithRegion("mars")); err == nil || !strings.Contains(err.Error(), "unknown region") {
		t.Errorf("New(WithRegion(mars)) error = %v, want unknown region", err)
	}
	// A Region converted from a string in another case is that region,
	// never the default one, and still excludes WithBaseURL.
	for _, r := range elevenlabs.Regions() {
		upper := elevenlabs.Region(strings.ToUpper(string(r)))
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithRegion(upper))
		if err != nil {
			t.Errorf("New(WithRegion(%q)): %v", upper, err)
		} else if c.BaseURL() != r.BaseURL() {
			t.Errorf("New(WithRegion(%q)) sends to %s, want %s", upper, c.BaseURL(), r.BaseURL())
		}
		if _, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithRegion(upper), elevenlabs.WithBaseURL("https://gw.example")); err == nil {
			t.Errorf("New(WithRegion(%q), WithBaseURL) accepted both", upper)
		}
	}
}

// TestPrintingAClientHidesTheKey: a Client printed with any verb, or
// logged, shows its base URL, never its key.
func TestPrintingAClientHidesTheKey(t *testing.T) {
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://gw.example/elevenlabs"))
	if err != nil {
		t.Fatal(err)
	}
	const want = "elevenlabs.Client{BaseURL: https://gw.example/elevenlabs}"
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %[1]v"} {
		for _, v := range []any{c, *c, []*elevenlabs.Client{c}, struct{ C *elevenlabs.Client }{c}} {
			got := fmt.Sprintf(verb, v)
			out.WriteString(got + "\n")
			if !strings.Contains(got, want) {
				t.Errorf("Sprintf(%q) of a %T does not show %q", verb, v, want)
			}
		}
	}
	text := slog.New(slog.NewTextHandler(&out, nil))
	text.Info("configured", "client", c, "value", *c)
	jsonLog := slog.New(slog.NewJSONHandler(&out, nil))
	jsonLog.Info("configured", "client", c)
	checkNoKey(t, "the printed Client", out.String())

	// The escape hatch's generated client holds the Client's transport,
	// which %+v would print field by field.
	out.Reset()
	raw, ok := c.API().ClientInterface.(*api.Client)
	if !ok {
		t.Fatalf("API().ClientInterface is a %T, want *api.Client", c.API().ClientInterface)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c.API(), raw, *raw, raw.Client} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	text.Info("escape hatch", "api", raw, "value", *raw)
	jsonLog.Info("escape hatch", "api", raw)
	checkNoKey(t, "the printed generated client", out.String())

	// fmt calls no Format method for an unexported field, nor inside a
	// value printed with a verb that does not suit it (%s of a pointer):
	// it prints the fields raw, following pointers to structs.
	out.Reset()
	type service struct {
		client *elevenlabs.Client
		name   string
	}
	type byValue struct{ client elevenlabs.Client }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{service{c, "rotation"}, &service{c, "rotation"}, byValue{*c}, &byValue{*c}, struct{ API any }{c.API()}} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	text.Info("in a caller's struct", "service", service{c, "rotation"}, "value", byValue{*c})
	checkNoKey(t, "a caller's struct holding the Client, printed", out.String())
	if strings.Contains(out.String(), "fragments") {
		t.Error("a caller's struct holding the Client, printed, shows the key's matcher")
	}
	var zero elevenlabs.Client
	if got := fmt.Sprint(zero); got != "elevenlabs.Client{BaseURL: none}" {
		t.Errorf("zero Client prints %q", got)
	}
}

// TestMisuseIsAnErrorNotAPanic: a Client not made by New (zero or nil)
// and a nil context are errors, and nothing is sent.
func TestMisuseIsAnErrorNotAPanic(t *testing.T) {
	var zero elevenlabs.Client
	var nilClient *elevenlabs.Client
	for name, c := range map[string]*elevenlabs.Client{"zero": &zero, "nil": nilClient} {
		if _, err := c.GetSecret(context.Background(), "sec_full"); err == nil || !strings.Contains(err.Error(), "not made by elevenlabs.New") {
			t.Errorf("%s Client: GetSecret error = %v, want one naming New", name, err)
		}
		if got := c.BaseURL(); got != "" {
			t.Errorf("%s Client: BaseURL = %q", name, got)
		}
		c.CloseIdleConnections()
	}
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	var noContext context.Context
	if _, err := newClient(t, srv).GetSecret(noContext, "sec_full"); err == nil || !strings.Contains(err.Error(), "nil Context") {
		t.Errorf("nil context: error = %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestUserAgentVersion: the User-Agent names the version of this module
// that a program was built with, as the module its users import.
func TestUserAgentVersion(t *testing.T) {
	const path = "github.com/convai-secrets-go/elevenlabs"
	dep := func(version string, replace *debug.Module) *debug.Module {
		return &debug.Module{Path: path, Version: version, Replace: replace}
	}
	cases := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "unknown"},
		{"this module's own tests", &debug.BuildInfo{Main: debug.Module{Path: path, Version: "(devel)"}}, true, "(devel)"},
		{"a dependency", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{
			{Path: "github.com/oapi-codegen/runtime", Version: "v1.9.0"}, dep("v1.2.3", nil)}}, true, "v1.2.3"},
		{"replaced by a version", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{
			dep("v1.2.3", &debug.Module{Path: "example.com/fork", Version: "v1.2.4-fix"})}}, true, "v1.2.4-fix"},
		{"replaced by a directory", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{
			dep("v1.2.3", &debug.Module{Path: "../elevenlabs"})}}, true, "(devel)"},
		{"not linked", &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}}, true, "unknown"},
	}
	for _, tc := range cases {
		if got := elevenlabs.ModuleVersionForTest(tc.info, tc.ok); got != tc.want {
			t.Errorf("%s: version %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSendsKeyAndUserAgent(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	c := newClient(t, srv)
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	req := srv.Requests()[0]
	if got := req.Header.Values("xi-api-key"); len(got) != 1 || got[0] != testKey {
		t.Errorf("xi-api-key header: sent %d values, want exactly the configured key", len(got))
	}
	// The version is the one the toolchain recorded for this module
	// ("(devel)" inside the module itself, v1.2.3 in an importer's binary).
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info in the test binary")
	}
	wantPrefix := "elevenlabs-secrets-go/" + info.Main.Version + " (github.com/convai-secrets-go/elevenlabs; "
	if ua := req.Header.Get("User-Agent"); !strings.HasPrefix(ua, wantPrefix) {
		t.Errorf("User-Agent = %q, want it to start %q", ua, wantPrefix)
	}
}

func TestAPIKeyFromEnvironment(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)

	t.Setenv(elevenlabs.APIKeyEnv, "")
	_, err := elevenlabs.New(elevenlabs.WithBaseURL(srv.URL))
	if err == nil || !strings.Contains(err.Error(), elevenlabs.APIKeyEnv) {
		t.Fatalf("New without a key: error = %v, want one naming %s", err, elevenlabs.APIKeyEnv)
	}

	t.Setenv(elevenlabs.APIKeyEnv, "env-key-1234")
	c, err := elevenlabs.New(elevenlabs.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	c = newClient(t, srv) // WithAPIKey overrides the environment
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if reqs[0].Header.Get("xi-api-key") != "env-key-1234" {
		t.Error("the key from the environment was not sent")
	}
	if reqs[1].Header.Get("xi-api-key") != testKey {
		t.Error("WithAPIKey did not override the environment")
	}

	t.Setenv(elevenlabs.APIKeyEnv, "bad key\n")
	_, err = elevenlabs.New(elevenlabs.WithBaseURL(srv.URL))
	if err == nil || !strings.Contains(err.Error(), elevenlabs.APIKeyEnv) {
		t.Errorf("New with an unusable key in the environment: error = %v", err)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Setenv(elevenlabs.APIKeyEnv, "")
	key := elevenlabs.WithAPIKey(testKey)
	cases := []struct {
		name string
		opts []elevenlabs.Option
		want string
	}{
		{"no key", nil, "no API key"},
		{"empty key", []elevenlabs.Option{elevenlabs.WithAPIKey("")}, "empty"},
		{"key with newline", []elevenlabs.Option{elevenlabs.WithAPIKey(testKey + "\r\nX-Evil: 1")}, "cannot be sent"},
		{"key with spaces", []elevenlabs.Option{elevenlabs.WithAPIKey(" " + testKey)}, "white space"},
		{"region and base URL", []elevenlabs.Option{key, elevenlabs.WithRegion(elevenlabs.RegionEU), elevenlabs.WithBaseURL("https://gw.example")}, "exclusive"},
		{"base URL and region", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example"), elevenlabs.WithRegion(elevenlabs.RegionDefault)}, "exclusive"},
		{"unknown region", []elevenlabs.Option{key, elevenlabs.WithRegion("moon")}, "unknown region"},
		{"plain http", []elevenlabs.Option{key, elevenlabs.WithBaseURL("http://api.elevenlabs.io")}, "plain http"},
		{"other scheme", []elevenlabs.Option{key, elevenlabs.WithBaseURL("ftp://api.elevenlabs.io")}, "scheme"},
		{"no host", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https:///v1")}, "no host"},
		{"relative", []elevenlabs.Option{key, elevenlabs.WithBaseURL("api.elevenlabs.io")}, "base URL (a value of 17 bytes) has no scheme: it must start with https://"},
		{"host and port", []elevenlabs.Option{key, elevenlabs.WithBaseURL("localhost:8080")}, "base URL (a value of 14 bytes) has no scheme"},
		{"address and port", []elevenlabs.Option{key, elevenlabs.WithBaseURL("127.0.0.1:8080")}, "base URL (a value of 14 bytes) has no scheme"},
		{"scheme-relative", []elevenlabs.Option{key, elevenlabs.WithBaseURL("//api.elevenlabs.io")}, "has no scheme"},
		{"credentials", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://user:pw@gw.example")}, "credentials"},
		{"query", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/?x=1")}, `base URL "https://gw.example/" has a query (?..., not shown)`},
		{"empty query", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/?")}, "has a query"},
		{"fragment", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/#x")}, `base URL "https://gw.example/" has a fragment (#..., not shown)`},
		{"dot-dot segment", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/elevenlabs/..")}, ". or .. path segment"},
		{"encoded dot-dot segment", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/%2e%2E/elevenlabs")}, ". or .. path segment"},
		{"dot segment", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/./elevenlabs/")}, ". or .. path segment"},
		{"unparsable", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw example/%zz")}, "invalid base URL"},
		// The key pasted into a base URL appears in none of its errors.
		{"key as user name", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://" + testKey + "@gw.example")}, "credentials"},
		{"key as password, unparsable", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://u:" + testKey + "@gw example/%zz")}, "invalid base URL"},
		{"key in URL, other scheme", []elevenlabs.Option{key, elevenlabs.WithBaseURL("ftp://" + testKey + "@gw.example")}, "scheme"},
		{"key in the query", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example/?k=" + testKey)}, "query"},
		{"nil http client", []elevenlabs.Option{key, elevenlabs.WithHTTPClient(nil)}, "nil"},
		{"zero body limit", []elevenlabs.Option{key, elevenlabs.WithMaxResponseBytes(0)}, "positive"},
		{"zero backoff", []elevenlabs.Option{key, elevenlabs.WithBackoff(0, time.Second)}, "want 0 < initial <= max"},
		{"backoff cap below start", []elevenlabs.Option{key, elevenlabs.WithBackoff(time.Second, time.Millisecond)}, "want 0 < initial <= max"},
		// A cap past MaxBackoff, or "no cap" as the longest Duration, is a
		// mistake (and once gave waits of 0 or less).
		{"backoff cap over MaxBackoff", []elevenlabs.Option{key, elevenlabs.WithBackoff(time.Second, elevenlabs.MaxBackoff+1)}, "<= max <= 1h0m0s"},
		{"backoff cap the longest Duration", []elevenlabs.Option{key, elevenlabs.WithBackoff(time.Second, math.MaxInt64)}, "<= max <= 1h0m0s"},
		{"port out of range", []elevenlabs.Option{key, elevenlabs.WithBaseURL("http://127.0.0.1:99999")}, "port must be 1 to 65535"},
		{"port zero", []elevenlabs.Option{key, elevenlabs.WithBaseURL("https://gw.example:0")}, "port must be 1 to 65535"},
		{"empty base URL", []elevenlabs.Option{key, elevenlabs.WithBaseURL("")}, "the base URL is empty"},
		{"zero read idle timeout", []elevenlabs.Option{key, elevenlabs.WithReadIdleTimeout(0)}, "want 10ms to 24h"},
		{"read idle timeout beyond a day", []elevenlabs.Option{key, elevenlabs.WithReadIdleTimeout(math.MaxInt64)}, "want 10ms to 24h"},
		// It would do nothing: a caller's Transport has its own timeouts.
		{"read idle timeout with a Transport of yours", []elevenlabs.Option{key, elevenlabs.WithReadIdleTimeout(time.Minute),
			elevenlabs.WithHTTPClient(&http.Client{Transport: http.DefaultTransport})}, "has its own timeouts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := elevenlabs.New(tc.opts...)
			if err == nil {
				t.Fatalf("New = %v, want an error containing %q", c, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			checkNoKey(t, "the error", err.Error())
		})
	}
}

// TestNewErrorsHideAKeyPastedElsewhere: a key pasted where a base URL or a
// region goes (a swapped configuration value) is not repeated by New's
// error, whether it comes from the environment or from WithAPIKey, before
// or after the option that fails.
func TestNewErrorsHideAKeyPastedElsewhere(t *testing.T) {
	// want is what the error says instead of the key.
	misplaced := map[string]struct {
		opt  elevenlabs.Option
		want string
	}{
		"base URL":               {elevenlabs.WithBaseURL(testKey), "base URL (a value of 22 bytes) has no scheme: it must start with https:// (or http:// for a loopback host)"}, // not a URL: not quoted
		"base URL's port":        {elevenlabs.WithBaseURL("https://gw.example:" + testKey), "[REDACTED]"},
		"base URL's path, ftp":   {elevenlabs.WithBaseURL("ftp://gw.example/" + testKey), "[REDACTED]"},
		"base URL's path, http":  {elevenlabs.WithBaseURL("http://gw.example/" + testKey), "[REDACTED]"},
		"region":                 {elevenlabs.WithRegion(elevenlabs.Region(testKey)), "[REDACTED]"},
		"region holding the key": {elevenlabs.WithRegion(elevenlabs.Region(testKey + "x")), "[REDACTED]"},
		// A valid base URL holding the key is refused: the key would be
		// in every request line and log record.
		"base URL's path":              {elevenlabs.WithBaseURL("https://gw.example/gw/" + testKey), "the base URL contains the API key"},
		"base URL's path, escaped":     {elevenlabs.WithBaseURL("https://gw.example/%" + fmt.Sprintf("%X", testKey[0]) + testKey[1:]), "the base URL contains the API key"},
		"base URL's host, upper-cased": {elevenlabs.WithBaseURL("https://" + strings.ToUpper(testKey) + ".gw.example"), "the base URL contains the API key"},
	}
	for name, tc := range misplaced {
		for _, source := range []string{"environment", "environment with a line break", "WithAPIKey before", "WithAPIKey after"} {
			t.Run(name+"/"+source, func(t *testing.T) {
				var opts []elevenlabs.Option
				switch source {
				case "environment":
					t.Setenv(elevenlabs.APIKeyEnv, testKey)
					opts = []elevenlabs.Option{tc.opt}
				case "environment with a line break": // as read from a file
					t.Setenv(elevenlabs.APIKeyEnv, testKey+"\r\n")
					opts = []elevenlabs.Option{tc.opt}
				case "WithAPIKey before":
					t.Setenv(elevenlabs.APIKeyEnv, "")
					opts = []elevenlabs.Option{elevenlabs.WithAPIKey(testKey), tc.opt}
				default:
					t.Setenv(elevenlabs.APIKeyEnv, "")
					opts = []elevenlabs.Option{tc.opt, elevenlabs.WithAPIKey(testKey)}
				}
				c, err := elevenlabs.New(opts...)
				if err == nil {
					t.Fatalf("New = %v, want an error", c)
				}
				// (A valid base URL meets the unusable key first.)
				keyFirst := source == "environment with a line break" && strings.Contains(err.Error(), "white space (from ELEVENLABS_API_KEY)")
				if !strings.Contains(err.Error(), tc.want) && !keyFirst {
					t.Errorf("error %q does not say %q", err, tc.want)
				}
				checkNoKey(t, "the error", err.Error())
			})
		}
	}
}

// TestRedirectToAnotherNameOfTheSameServerIsRefused: the origin is the
// scheme, host name and port as configured: a redirect to the same server
// under another name (localhost for 127.0.0.1) or scheme is refused too.
func TestRedirectToAnotherNameOfTheSameServerIsRefused(t *testing.T) {
	var target string
	srv := contract.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}), nil, contract.AllowOffSpecResponses())
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, origin := range []string{"http://localhost:" + u.Port(), "https://" + u.Host} {
		target = origin + "/v1/convai/secrets/sec_full"
		before := len(srv.Requests())
		_, err := newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "moved")
		if !errors.Is(err, elevenlabs.ErrRedirectRefused) {
			t.Errorf("redirect to %s: error = %v, want it refused", origin, err)
		}
		if n := len(srv.Requests()) - before; n != 1 {
			t.Errorf("redirect to %s: the server got %d requests, want 1", origin, n)
		}
	}
}

func TestPlainHTTPAllowedToLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://LocalHost:1", "http://[::1]:9", "http://127.0.0.2", "http://[::ffff:127.0.0.1]:1"} {
		if _, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(u)); err != nil {
			t.Errorf("New(WithBaseURL(%s)): %v", u, err)
		}
	}
	// Names that resolve to loopback only through DNS, and addresses that
	// are not loopback, are refused.
	for _, u := range []string{"http://10.0.0.1", "http://localhost.evil.example", "http://127.0.0.1.nip.io", "http://0.0.0.0", "http://[::]", "http://127.1", "http://localhost."} {
		if _, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(u)); err == nil {
			t.Errorf("New(WithBaseURL(%s)) accepted plain http to a non-loopback host", u)
		}
	}
}

func TestBaseURLKeepsPathPrefix(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), []string{"/elevenlabs"})
	for _, suffix := range []string{"/elevenlabs", "/elevenlabs/"} {
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+suffix))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
			t.Fatalf("%s: %v", suffix, err)
		}
	}
	for _, req := range srv.Requests() {
		if req.Path != "/elevenlabs/v1/convai/secrets/sec_full" {
			t.Errorf("path = %s, want /elevenlabs/v1/convai/secrets/sec_full", req.Path)
		}
	}
}

// TestBaseURLKeepsAnEscapedPathPrefix: a prefix with an escaped slash
// is kept as written, one at its end too, with or without a trailing
// slash after it; only the trailing slash goes.
func TestBaseURLKeepsAnEscapedPathPrefix(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.RequestURI)
		mu.Unlock()
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	defer srv.Close()
	for _, tc := range []struct{ prefix, want string }{
		{"/team%2F", "/team%2F"},
		{"/team%2F/", "/team%2F"},
		{"/a%2Fb", "/a%2Fb"},
		{"/a%2Fb//", "/a%2Fb"},
		{"/t%20eam/", "/t%20eam"},
	} {
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+tc.prefix))
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseURL() != srv.URL+tc.want {
			t.Errorf("WithBaseURL(...%s): BaseURL() = %s, want ...%s", tc.prefix, c.BaseURL(), tc.want)
		}
		mu.Lock()
		got = nil
		mu.Unlock()
		if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
			t.Fatalf("%s: %v", tc.prefix, err)
		}
		resp, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil)
		if err != nil || resp.StatusCode() != 200 {
			t.Fatalf("%s: API(): %v", tc.prefix, err)
		}
		mu.Lock()
		want := tc.want + "/v1/convai/secrets/sec_full"
		if len(got) != 2 || got[0] != want || got[1] != want {
			t.Errorf("WithBaseURL(...%s) sent %q, want %s twice", tc.prefix, got, want)
		}
		mu.Unlock()
	}
}

func TestGetSecretDecodesEveryDependent(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	s, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	if err != nil {
		t.Fatal(err)
	}
	if s.SecretID != "sec_full" || s.Name != "DatabaseCredentials" || s.Type != elevenlabs.ConvAIWorkspaceStoredSecretConfigTypeStored {
		t.Errorf("secret = %+v", s)
	}
	u := s.UsedBy
	flags := []*bool{u.ToolsHasMore, u.AgentsHasMore, u.PhoneNumbersHasMore}
	if flags[0] == nil || !*flags[0] || flags[1] == nil || *flags[1] || flags[2] == nil || !*flags[2] {
		t.Errorf("has_more flags decoded wrong")
	}

	var tools, agents, mcps []any
	for _, d := range u.Tools {
		v, err := d.ValueByDiscriminator()
		if err != nil {
			t.Fatal(err)
		}
		tools = append(tools, v)
	}
	for _, d := range u.Agents {
		v, err := d.ValueByDiscriminator()
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, v)
	}
	for _, d := range *u.MCPServers {
		v, err := d.ValueByDiscriminator()
		if err != nil {
			t.Fatal(err)
		}
		mcps = append(mcps, v)
	}
	refs := func(ids ...string) *[]string { return &ids }
	want := map[string][]any{
		"tools": {
			elevenlabs.DependentAvailableToolIdentifier{Type: elevenlabs.DependentAvailableToolIdentifierTypeAvailable, ID: "tool_1", Name: "DataSyncTool", CreatedAtUnixSecs: 1685000000, AccessLevel: elevenlabs.ToolAccessLevelAdmin},
			elevenlabs.DependentUnknownToolIdentifier{Type: elevenlabs.DependentUnknownToolIdentifierTypeUnknown, ID: "tool_2"},
		},
		"agents": {
			elevenlabs.DependentAvailableAgentIdentifier{Type: elevenlabs.DependentAvailableAgentIdentifierTypeAvailable, ID: "agent_1", Name: "SupportAgent", CreatedAtUnixSecs: 1685100000, AccessLevel: elevenlabs.AgentAccessLevelEditor, ReferencedResourceIDs: refs("res_1", "res_2")},
			elevenlabs.DependentUnknownAgentIdentifier{Type: elevenlabs.DependentUnknownAgentIdentifierTypeUnknown, ID: "agent_2", ReferencedResourceIDs: refs("res_3")},
		},
		"mcp_servers": {
			elevenlabs.DependentAvailableMCPServerIdentifier{Type: elevenlabs.DependentAvailableMCPServerIdentifierTypeAvailable, ID: "mcp_1", Name: "PrimaryMCP", CreatedAtUnixSecs: 1685200000, AccessLevel: elevenlabs.MCPServerAccessLevelViewer},
			elevenlabs.DependentUnknownMCPServerIdentifier{Type: elevenlabs.DependentUnknownMCPServerIdentifierTypeUnknown, ID: "mcp_2"},
		},
	}
	got := map[string][]any{"tools": tools, "agents": agents, "mcp_servers": mcps}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dependents (-want +got):\n%s", diff)
	}
	wantPhones := []elevenlabs.DependentPhoneNumberIdentifier{
		{PhoneNumberID: "pn_1", PhoneNumber: "+15551234567", Label: "Support Line", Provider: elevenlabs.TelephonyProviderTwilio},
		{PhoneNumberID: "pn_2", PhoneNumber: "+15557654321", Label: "SIP", Provider: elevenlabs.TelephonyProviderSIPTrunk},
	}
	if diff := cmp.Diff(wantPhones, *u.PhoneNumbers); diff != "" {
		t.Errorf("phone numbers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]elevenlabs.SecretDependencyType{elevenlabs.SecretDependencyTypeConversationInitiationWebhook}, u.Others); diff != "" {
		t.Errorf("others (-want +got):\n%s", diff)
	}
	for _, d := range u.Tools {
		if kind, _ := d.Discriminator(); kind != "available" && kind != "unknown" {
			t.Errorf("tool discriminator %q", kind)
		}
	}
}

func TestErrorsBecomeAPIError(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		header  []string
		want    elevenlabs.APIError
		inError []string
	}{
		{
			name:   "401 ElevenLabs detail",
			status: 401, body: `{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}`,
			header:  []string{"request-id", "req_401"},
			want:    elevenlabs.APIError{StatusCode: 401, Code: "invalid_api_key", Message: "Invalid API key", RequestID: "req_401"},
			inError: []string{"GET http://", "/v1/convai/secrets/sec_x", "401 Unauthorized", "invalid_api_key", "Invalid API key", "req_401"},
		},
		{
			name:   "404 detail string",
			status: 404, body: `{"detail":"Secret not found"}`,
			header:  []string{"x-request-id", "req_404"},
			want:    elevenlabs.APIError{StatusCode: 404, Message: "Secret not found", RequestID: "req_404"},
			inError: []string{"404 Not Found", "Secret not found"},
		},
		{
			name:   "422 validation",
			status: 422, body: `{"detail":[{"loc":["path","secret_id"],"msg":"field required","type":"missing"},{"loc":["query",3],"msg":"bad","type":"value_error"}]}`,
			want:    elevenlabs.APIError{StatusCode: 422, Message: "path.secret_id: field required; query.3: bad"},
			inError: []string{"422 Unprocessable Entity", "path.secret_id: field required"},
		},
		{
			name:   "429",
			status: 429, body: `{"detail":{"status":"too_many_concurrent_requests","message":"Slow down"}}`,
			header:  []string{"Retry-After", "0"},
			want:    elevenlabs.APIError{StatusCode: 429, Code: "too_many_concurrent_requests", Message: "Slow down"},
			inError: []string{"429 Too Many Requests", "Slow down"},
		},
		{
			name:   "500 HTML page",
			status: 500, body: "<html><head><title>500</title><style>p{}</style></head><body><h1>Internal   Server\nError</h1></body></html>",
			header:  []string{"Content-Type", "text/html"},
			want:    elevenlabs.APIError{StatusCode: 500, Message: "500 Internal Server Error"},
			inError: []string{"500 Internal Server Error: 500 Internal Server Error"},
		},
		{
			// A proxy's page whose heading repeats its title reads once.
			name:   "502 nginx page",
			status: 502, body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			header:  []string{"Content-Type", "text/html"},
			want:    elevenlabs.APIError{StatusCode: 502, Message: "502 Bad Gateway nginx"},
			inError: []string{"502 Bad Gateway: 502 Bad Gateway nginx"},
		},
		{
			name:   "server echoes the key",
			status: 403, body: `{"detail":"key ` + testKey + ` is not allowed"}`,
			want:    elevenlabs.APIError{StatusCode: 403, Message: "key [REDACTED] is not allowed"},
			inError: []string{"[REDACTED]"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := contract.NewServer(t, jsonHandler(tc.status, tc.body, tc.header...), nil)
			c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
			s, err := c.GetSecret(context.Background(), "sec_x")
			if s != nil {
				t.Errorf("secret = %+v, want nil", s)
			}
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			got := elevenlabs.APIError{StatusCode: apiErr.StatusCode, Code: apiErr.Code, Message: apiErr.Message, RequestID: apiErr.RequestID}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if tc.status == 422 {
				if len(apiErr.ValidationErrors) != 2 || apiErr.ValidationErrors[0].Msg != "field required" || apiErr.ValidationErrors[1].Type != "value_error" {
					t.Errorf("ValidationErrors = %+v", apiErr.ValidationErrors)
				}
				loc, err := apiErr.ValidationErrors[1].Loc[1].AsValidationErrorLocItems1()
				if err != nil || loc != 3 {
					t.Errorf("integer loc = %v, %v", loc, err)
				}
				for i, want := range [][]string{{"path", "secret_id"}, {"query", "3"}} {
					if got := elevenlabs.ValidationLoc(apiErr.ValidationErrors[i]); !slices.Equal(got, want) {
						t.Errorf("ValidationLoc(ValidationErrors[%d]) = %q, want %q", i, got, want)
					}
				}
			}
			// The statuses callers branch on most have sentinels.
			if got, want := errors.Is(err, elevenlabs.ErrNotFound), tc.status == 404; got != want {
				t.Errorf("errors.Is(err, ErrNotFound) = %v for status %d", got, tc.status)
			}
			if got, want := errors.Is(err, elevenlabs.ErrUnauthorized), tc.status == 401 || tc.status == 403; got != want {
				t.Errorf("errors.Is(err, ErrUnauthorized) = %v for status %d", got, tc.status)
			}
			if apiErr.Method != http.MethodGet || !strings.HasSuffix(apiErr.URL, "/v1/convai/secrets/sec_x") {
				t.Errorf("Method, URL = %s %s", apiErr.Method, apiErr.URL)
			}
			for _, want := range tc.inError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			checkNoKey(t, "the error", err.Error())
			checkNoKey(t, "APIError.Body", string(apiErr.Body))
		})
	}
}

// echoSecret answers every request with fullSecret for the ID it asks for.
var echoSecret = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	id, err := json.Marshal(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:])
	if err != nil {
		panic(err)
	}
	jsonHandler(200, strings.Replace(fullSecret, `"sec_full"`, string(id), 1)).ServeHTTP(w, r)
})

func TestBadSecretIDsSendNothing(t *testing.T) {
	srv := contract.NewServer(t, echoSecret, nil)
	c := newClient(t, srv)
	bad := []string{
		"", ".", "..", "a/b", "../../v1/user", "..%2F..%2Fv1", "a?b=1", "a#frag", `a\b`,
		"a b", "tab\there", "new\nline", "nul\x00", "\x7f", "bad\xffutf8", "\u2028", strings.Repeat("x", 513),
		"..;x", "a;b=c", "..\uFF1Bx",
	}
	for _, id := range bad {
		_, err := c.GetSecret(context.Background(), id)
		if !errors.Is(err, elevenlabs.ErrInvalidSecretID) {
			t.Errorf("GetSecret(%q) error = %v, want ErrInvalidSecretID", id, err)
		}
		if err := elevenlabs.ValidateSecretID(id); !errors.Is(err, elevenlabs.ErrInvalidSecretID) {
			t.Errorf("ValidateSecretID(%q) = %v, want ErrInvalidSecretID", id, err)
		}
	}
	// The API key passed as the ID (or inside it, or a piece of it: 12
	// characters or more, in any case) would be sent in the URL, into
	// access logs on the way: refused, and not quoted.
	for _, id := range []string{testKey, "sec_" + testKey, testKey[:12], "x" + strings.ToUpper(testKey[5:17])} {
		_, err := c.GetSecret(context.Background(), id)
		if !errors.Is(err, elevenlabs.ErrInvalidSecretID) || !strings.Contains(err.Error(), "contains the API key") {
			t.Errorf("GetSecret(<the key>) error = %v, want ErrInvalidSecretID naming the mistake", err)
		} else {
			checkNoKey(t, "the error", err.Error())
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("bad IDs sent %d requests, want 0", n)
	}

	// Unusual but harmless IDs are sent as one path segment.
	for _, id := range []string{"sec_full", "...", "a.b", "a:b", "sec-ä", strings.Repeat("y", 512)} {
		if _, err := c.GetSecret(context.Background(), id); err != nil {
			t.Errorf("GetSecret(%q): %v", id, err)
		}
		if err := elevenlabs.ValidateSecretID(id); err != nil {
			t.Errorf("ValidateSecretID(%q) = %v, want nil", id, err)
		}
	}
	for i, req := range srv.Requests() {
		rest, ok := strings.CutPrefix(req.Path, "/v1/convai/secrets/")
		if !ok || strings.Contains(rest, "/") {
			t.Errorf("request %d went to %s", i, req.Path)
		}
	}
}

// newerThanTheSpec are the values and fields the module's tests (here,
// in elevenlabstest and in cmd/secrets) send as ones openapi.yaml does not
// know yet, to test forward compatibility.
var newerThanTheSpec = []string{
	"env_backed", "rotated_at", "shared", "owner", "color", "vonage", "post_call_webhook",
	"workflows", "workflows_has_more", "workflow", "draft", "remote", "published",
	"mcp_servers_has_more", "webhooks", "webhooks_has_more", "batch_calls", "batch_calls_has_more",
	"knowledge_bases", "archived", "archived_at", "folder", "blob", "note", "summary", "team",
	"quota", "count", "total", "environment",
}

// TestProbesAreNewerThanTheSpec: when a new spec adopts a value or field
// the tests use as unknown, the forward-compatibility tests would fail for
// the wrong reason; this one says what happened instead.
func TestProbesAreNewerThanTheSpec(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for _, e := range s.Enum {
			known[fmt.Sprint(e)] = true
		}
		for name, p := range s.Properties {
			known[name] = true
			walk(p)
		}
		walk(s.Items)
		for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, r := range list {
				walk(r)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	if len(known) < 20 {
		t.Fatalf("found only %d enum values and property names in openapi.yaml", len(known))
	}
	for _, v := range newerThanTheSpec {
		if known[v] {
			t.Errorf("openapi.yaml now has %q, which the tests send as newer than the spec: use another value in the tests (grep for it) and in newerThanTheSpec", v)
		}
	}
}

func TestForwardCompatibleResponses(t *testing.T) {
	body := `{
	  "type": "env_backed", "secret_id": "sec_new", "name": "N", "rotated_at": 123,
	  "used_by": {
	    "tools": [{"type": "shared", "id": "tool_s", "owner": {"team": "x"}},
	              {"type": "available", "id": "t", "name": "n", "created_at_unix_secs": 1, "access_level": "owner", "color": "red"}],
	    "agents": [],
	    "phone_numbers": [{"phone_number_id": "p", "phone_number": "+1", "label": "l", "provider": "vonage"}],
	    "others": ["post_call_webhook"],
	    "workflows": [{"id": "wf"}],
	    "workflows_has_more": true
	  }
	}`
	srv := contract.NewServer(t, jsonHandler(200, body), nil, contract.AllowOffSpecResponses())
	s, err := newClient(t, srv).GetSecret(context.Background(), "sec_new")
	if err != nil {
		t.Fatalf("a response with new fields, values and variants must decode: %v", err)
	}
	if s.Type != "env_backed" || s.UsedBy.Others[0] != "post_call_webhook" || (*s.UsedBy.PhoneNumbers)[0].Provider != "vonage" {
		t.Errorf("unknown enum values not kept: %+v", s)
	}
	if s.Type.Valid() || s.UsedBy.Others[0].Valid() {
		t.Error("Valid() reports a value this spec does not know as valid")
	}
	shared := s.UsedBy.Tools[0]
	kind, err := shared.Discriminator()
	if err != nil || kind != "shared" {
		t.Errorf("Discriminator() = %q, %v; want shared", kind, err)
	}
	if _, err := shared.ValueByDiscriminator(); err == nil {
		t.Error("ValueByDiscriminator() of an unknown variant: want an error")
	}
	raw, err := shared.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var gotRaw, wantRaw any
	_ = json.Unmarshal(raw, &gotRaw)
	_ = json.Unmarshal([]byte(`{"type": "shared", "id": "tool_s", "owner": {"team": "x"}}`), &wantRaw)
	if diff := cmp.Diff(wantRaw, gotRaw); diff != "" {
		t.Errorf("raw JSON of the unknown variant (-want +got):\n%s", diff)
	}
	v, err := s.UsedBy.Tools[1].ValueByDiscriminator()
	if err != nil {
		t.Fatal(err)
	}
	if tool := v.(elevenlabs.DependentAvailableToolIdentifier); tool.AccessLevel != "owner" {
		t.Errorf("new access level lost: %+v", tool)
	}
	// A new kind of dependent is kept, so the secret does not read as
	// used by less than it is.
	wantNewer := map[string]any{"workflows": []any{map[string]any{"id": "wf"}}, "workflows_has_more": true}
	if diff := cmp.Diff(wantNewer, s.UsedBy.AdditionalProperties); diff != "" {
		t.Errorf("used_by fields newer than the spec (-want +got):\n%s", diff)
	}
}

func TestUndecodable2xxIsAnError(t *testing.T) {
	cases := []struct {
		name, contentType, body, want string
	}{
		{"html", "text/html", "<html><body>Sign in to the Wi-Fi</body></html>", "Sign in to the Wi-Fi"},
		{"truncated", "application/json", `{"type":"stored","secret_id":"s`, "unexpected end"},
		{"null", "application/json", "null", "no secret_id"},
		{"empty object", "application/json", "{}", "no secret_id"},
		{"empty body", "application/json", "", "unexpected end"},
		{"wrong shape", "application/json", `{"secret_id": 5}`, "cannot unmarshal"},
		{"another secret", "application/json", strings.Replace(fullSecret, "sec_full", `sec_other\u001b`, 1), `the response is for another secret (secret_id "sec_other\x1b")`},
		// A secret whose dependents are not reported is not a secret
		// used by nothing.
		{"no used_by", "application/json", `{"type":"stored","secret_id":"sec_x","name":"n"}`, "no used_by.agents in the response"},
		{"null used_by", "application/json", `{"type":"stored","secret_id":"sec_x","name":"n","used_by":null}`, "no used_by.agents"},
		{"no tools", "application/json", `{"type":"stored","secret_id":"sec_x","name":"n","used_by":{"agents":[],"others":[]}}`, "no used_by.tools"},
		{"no agents", "application/json", `{"type":"stored","secret_id":"sec_x","name":"n","used_by":{"tools":[],"others":[]}}`, "no used_by.agents"},
		{"null others", "application/json", `{"type":"stored","secret_id":"sec_x","name":"n","used_by":{"tools":[],"agents":[],"others":null}}`, "no used_by.others"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := contract.NewServer(t, jsonHandler(200, tc.body, "Content-Type", tc.contentType, "request-id", "req_"+tc.name), nil, contract.AllowOffSpecResponses())
			s, err := newClient(t, srv).GetSecret(context.Background(), "sec_x")
			if s != nil || err == nil {
				t.Fatalf("GetSecret = %v, %v; want nil and an error", s, err)
			}
			var decErr *elevenlabs.DecodeError
			if !errors.As(err, &decErr) || decErr.StatusCode != 200 || decErr.RequestID != "req_"+tc.name {
				t.Fatalf("error %v is not a *DecodeError for a 200 with its request id", err)
			}
			for _, want := range []string{"200 OK", tc.want, "(request id req_" + tc.name + ")"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// TestGetSecretWithTheGeneratedBuilder: GetSecret builds its request from
// the generated builder's URL; with the builder itself (as for a spec whose
// path does not end with the ID) it sends the same request.
func TestGetSecretWithTheGeneratedBuilder(t *testing.T) {
	srv := contract.NewServer(t, echoSecret, []string{"/gw"})
	for _, opts := range [][]elevenlabs.Option{nil, {elevenlabs.WithGeneratedRequestForTest()}} {
		c, err := elevenlabs.New(append(opts, elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+"/gw/"))...)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"sec_full", "a:b", "sec-ä", "..."} {
			if s, err := c.GetSecret(context.Background(), id); err != nil || s.SecretID != id {
				t.Errorf("GetSecret(%q) = %v, %v", id, s, err)
			}
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 8 {
		t.Fatalf("%d requests, want 8", len(reqs))
	}
	for i := range 4 {
		own, gen := reqs[i], reqs[i+4]
		if own.Method != gen.Method || own.Path != gen.Path || !cmp.Equal(own.Header, gen.Header) || own.Invalid != nil {
			t.Errorf("request %d: %s %s by GetSecret, %s %s by the generated builder, headers equal: %t, spec: %v", i, own.Method, own.Path, gen.Method, gen.Path, cmp.Equal(own.Header, gen.Header), own.Invalid)
		}
	}
	if got := elevenlabs.SecretURLPrefixForTest("https://gw.example/elevenlabs/"); got != "https://gw.example/elevenlabs/v1/convai/secrets/" {
		t.Errorf("the generated builder's URL up to the ID: %q", got)
	}
}

func TestAPIEscapeHatchSharesKeyAndBaseURL(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), []string{"/gw"})
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+"/gw"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != 200 || resp.JSON200 == nil || resp.JSON200.SecretID != "sec_full" {
		t.Fatalf("raw response: status %d, JSON200 %v", resp.StatusCode(), resp.JSON200)
	}
	req := srv.Requests()[0]
	if req.Header.Get("xi-api-key") != testKey || req.Path != "/gw/v1/convai/secrets/sec_full" {
		t.Errorf("raw request did not share the key and base URL (path %s)", req.Path)
	}

	// A key in the params does not replace the Client's.
	other := "xi-other-key-0123456789"
	if _, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", &api.GetSecretParams{XiAPIKey: &other}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests()[1].Header.Get("xi-api-key"); got != testKey {
		t.Error("the params' key replaced the Client's")
	}
	// Each API() is the caller's own: emptying one's request editors
	// (which set the key) leaves the Client and the next API() whole.
	raw := c.API()
	raw.ClientInterface.(*api.Client).RequestEditors = nil
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Errorf("GetSecret after a caller changed an API(): %v", err)
	}
	if _, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil); err != nil || srv.Requests()[3].Header.Get("xi-api-key") != testKey {
		t.Errorf("a later API() lost the key: %v", err)
	}
	var zero elevenlabs.Client
	if zero.API() != nil {
		t.Error("API() of a Client not made by New is not nil")
	}

	// It goes through the Client's transport: the caller's, when given.
	var trips atomic.Int32
	counting := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		trips.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err = elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+"/gw"), elevenlabs.WithHTTPClient(counting))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil); err != nil || trips.Load() != 1 {
		t.Errorf("API() made %d trips through the Client's transport (%v), want 1", trips.Load(), err)
	}
}

func TestCallerHTTPClientIsRespectedNotModified(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	var seen []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.Path)
		return http.DefaultTransport.RoundTrip(r)
	})}
	orig := *hc
	c := newClient(t, srv, elevenlabs.WithHTTPClient(hc))
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"/v1/convai/secrets/sec_full"}) {
		t.Errorf("caller's transport saw %v", seen)
	}
	if hc.CheckRedirect != nil || fmt.Sprintf("%p", hc.Transport) != fmt.Sprintf("%p", orig.Transport) {
		t.Error("New modified the caller's *http.Client")
	}
}

func TestRedirects(t *testing.T) {
	// Another origin: it must never see a request from the client, with or
	// without the key.
	other := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	srv := contract.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/convai/secrets/sec_full":
			if r.URL.RawQuery == "" { // once, to the same URL with a query
				http.Redirect(w, r, r.URL.Path+"?moved=1", http.StatusFound)
				return
			}
			jsonHandler(200, fullSecret).ServeHTTP(w, r)
		case "/v1/convai/secrets/renamed":
			http.Redirect(w, r, "/v1/convai/secrets/sec_full?moved=1", http.StatusFound)
		case "/v1/convai/secrets/away":
			http.Redirect(w, r, other.URL+"/v1/convai/secrets/sec_full", http.StatusTemporaryRedirect)
		default:
			jsonHandler(200, fullSecret).ServeHTTP(w, r)
		}
	}), nil)
	// A caller's CheckRedirect that allows everything does not open the
	// way to another origin; one that refuses is respected.
	allowAll := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	refuseAll := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("caller refuses redirects") }}
	for _, tc := range []struct {
		name    string
		opts    []elevenlabs.Option
		sameErr string // "" when the same-origin redirect is followed
	}{
		{"default", nil, ""},
		{"caller allows all", []elevenlabs.Option{elevenlabs.WithHTTPClient(allowAll)}, ""},
		{"caller refuses all", []elevenlabs.Option{elevenlabs.WithHTTPClient(refuseAll)}, "caller refuses redirects"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Requests())
			c := newClient(t, srv, append(tc.opts, elevenlabs.WithMaxRetries(0))...)
			s, err := c.GetSecret(context.Background(), "sec_full")
			switch {
			case tc.sameErr == "" && (err != nil || s.SecretID != "sec_full"):
				t.Fatalf("same-origin redirect: %v, %v", s, err)
			case tc.sameErr == "":
				if got := srv.Requests()[before+1].Header.Get("xi-api-key"); got != testKey {
					t.Error("the key was not sent after a same-origin redirect")
				}
			case err == nil || !strings.Contains(err.Error(), tc.sameErr):
				t.Errorf("same-origin redirect: error = %v, want %q", err, tc.sameErr)
			}

			// A redirect to another secret answers for that one: an error,
			// whoever allows the redirect.
			if tc.sameErr == "" {
				var decErr *elevenlabs.DecodeError
				_, err = c.GetSecret(context.Background(), "renamed")
				if !errors.As(err, &decErr) || !strings.Contains(err.Error(), `the response is for another secret (secret_id "sec_full")`) {
					t.Errorf("redirect to another secret: error = %v, want a *DecodeError saying so", err)
				}
			}

			_, err = c.GetSecret(context.Background(), "away")
			if !errors.Is(err, elevenlabs.ErrRedirectRefused) || !strings.Contains(err.Error(), "refusing redirect to another origin: "+other.URL) {
				t.Errorf("cross-origin redirect: error = %v, want a refusal naming the other origin", err)
			}
			if n := len(other.Requests()); n != 0 {
				t.Errorf("the other origin got %d requests", n)
			}
		})
	}
}

func TestKeyStaysOnConfiguredOrigin(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	other := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	otherURL, _ := url.Parse(other.URL)
	c := newClient(t, srv)
	// A caller's request editor moves the raw request to another origin
	// after the key was set: the transport must drop the key.
	moveAway := func(_ context.Context, req *http.Request) error {
		req.URL.Host, req.Host = otherURL.Host, otherURL.Host
		req.Header["xi-api-key"] = []string{testKey} // a non-canonical copy too
		return nil
	}
	resp, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil, moveAway)
	if err != nil || resp.StatusCode() != 200 {
		t.Fatalf("raw call: %v, %v", resp.Status(), err)
	}
	reqs := other.Requests()
	if len(reqs) != 1 {
		t.Fatalf("other origin got %d requests, want 1", len(reqs))
	}
	if len(reqs[0].Header.Values("Xi-Api-Key")) != 0 {
		t.Error("the API key was sent to an origin other than the configured one")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("configured origin got %d requests, want 0", n)
	}
}

func TestResponseBodyLimit(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, fullSecret, "request-id", "req_big"), nil)
	_, err := newClient(t, srv, elevenlabs.WithMaxResponseBytes(100)).GetSecret(context.Background(), "sec_full")
	var decErr *elevenlabs.DecodeError
	if !errors.Is(err, elevenlabs.ErrResponseTooLarge) || !errors.As(err, &decErr) || decErr.StatusCode != 200 || decErr.RequestID != "req_big" {
		t.Fatalf("error = %v, want a *DecodeError for the 200, with its request id, wrapping ErrResponseTooLarge", err)
	}
	if _, err := newClient(t, srv, elevenlabs.WithMaxResponseBytes(int64(len(fullSecret)))).GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatalf("a body exactly at the limit: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// exampleResponse is the example response of the docs page
// (get-secret.later.md), shared with the fake server.
func exampleResponse(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("elevenlabstest", "testdata", "get-secret-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDocsExampleResponse(t *testing.T) {
	srv := contract.NewServer(t, jsonHandler(200, exampleResponse(t)), nil)
	s, err := newClient(t, srv).GetSecret(context.Background(), "sec_9f8b7c6d5e4a3b2c1d0e")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "DatabaseCredentials" || len(s.UsedBy.Tools) != 1 || len(s.UsedBy.Agents) != 1 || len(*s.UsedBy.MCPServers) != 1 || len(*s.UsedBy.PhoneNumbers) != 1 {
		t.Fatalf("example decoded to %+v", s)
	}
	v, err := s.UsedBy.Agents[0].ValueByDiscriminator()
	if err != nil {
		t.Fatal(err)
	}
	agent := v.(elevenlabs.DependentAvailableAgentIdentifier)
	if agent.Name != "CustomerSupportAgent" || agent.ReferencedResourceIDs == nil || (*agent.ReferencedResourceIDs)[0] != "res_789xyz123uvw" {
		t.Errorf("agent = %+v", agent)
	}
}

// TestKeyEchoedInEscapesIsScrubbed: a key with characters JSON or HTML
// escapes (<, >, &, ") does not appear in the raw body, but decoding the
// body spells it out; it must be scrubbed after decoding too.
func TestKeyEchoedInEscapesIsScrubbed(t *testing.T) {
	const key = `sk_<odd>&"key"_0123456789`
	echo := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), key) {
			t.Fatalf("the test's body holds the key unescaped: %s", b)
		}
		return string(b)
	}
	long := strings.Repeat("x", 190) + key // cut short, the key must not leave a prefix
	for name, body := range map[string]string{
		"detail string":  echo(map[string]any{"detail": "bad key " + key}),
		"detail object":  echo(map[string]any{"detail": map[string]string{"status": key, "message": "bad key " + key}}),
		"long detail":    echo(map[string]any{"detail": long}),
		"validation msg": echo(map[string]any{"detail": []map[string]any{{"loc": []any{"header", key}, "msg": "bad " + key, "type": key}}}),
		"HTML page":      "<html><body><p>bad key " + html.EscapeString(key) + "</p></body></html>",
		"long HTML page": "<p>" + strings.Repeat("x", 190) + html.EscapeString(key) + "</p>",
	} {
		t.Run(name, func(t *testing.T) {
			srv := contract.NewServer(t, jsonHandler(422, body), nil, contract.AllowOffSpecResponses())
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(key), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetSecret(context.Background(), "sec_1")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			all := fmt.Sprintf("%v %+v", err, *apiErr)
			for _, v := range apiErr.ValidationErrors {
				all += fmt.Sprintf(" %s %s", v.Msg, v.Type)
				for _, l := range v.Loc {
					s, _ := l.AsValidationErrorLocItems0()
					all += " " + s
				}
			}
			for _, leak := range []string{key, key[:8]} {
				if strings.Contains(all, leak) {
					t.Errorf("the error holds %q of the key: %s", leak, all)
				}
			}
			if !strings.Contains(all, "[REDACTED]") {
				t.Errorf("the error does not mark the redaction: %s", all)
			}
		})
	}
}

// TestKeyCutByTheLimitIsScrubbed: an error body cut at
// WithMaxResponseBytes in the middle of an echoed key keeps no start of
// the key longer than 3 bytes (which could be any word's), in the error
// or its Body, wherever the cut falls.
func TestKeyCutByTheLimitIsScrubbed(t *testing.T) {
	const before = `{"detail":"invalid key `
	body := before + testKey + `"}`
	srv := contract.NewServer(t, jsonHandler(401, body), nil, contract.AllowOffSpecResponses())
	for limit := len(before) + 1; limit < len(before)+len(testKey); limit++ {
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL),
			elevenlabs.WithMaxRetries(0), elevenlabs.WithMaxResponseBytes(int64(limit)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetSecret(context.Background(), "sec_1")
		var apiErr *elevenlabs.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
			t.Fatalf("limit %d: error = %v, want an *APIError for the 401", limit, err)
		}
		want := before + "[REDACTED]"
		if kept := limit - len(before); kept < 4 {
			want = before + testKey[:kept]
		}
		if got := string(apiErr.Body); got != want {
			t.Errorf("limit %d: Body = %q, want %q (a cut key's start of 4 bytes or more hidden)", limit, got, want)
		}
		if strings.Contains(err.Error(), testKey[:4]) {
			t.Errorf("limit %d: the error holds the key's start: %v", limit, err)
		}
	}
	// A body that ends where the limit does, with no key at its end, is
	// kept whole.
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL),
		elevenlabs.WithMaxRetries(0), elevenlabs.WithMaxResponseBytes(int64(len(body))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_1")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || string(apiErr.Body) != before+"[REDACTED]"+`"}` {
		t.Errorf("error = %v, want an *APIError whose Body is the whole body, key redacted", err)
	}
}

// TestREADMERegionsTable keeps the README's regions table equal to the
// Regions the package knows, name and base URL, in order.
func TestREADMERegionsTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `Region\\w+` \\| `([^`]*)` \\| `([^`]*)` \\|")
	var got, want []string
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	for _, r := range elevenlabs.Regions() {
		want = append(want, r.String()+" "+r.BaseURL())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README regions table (-Regions() +README), update the table:\n%s", diff)
	}
}

// TestShortPlaceholderKeys: a key shorter than MinScrubbedKeyLen is a
// placeholder ("test"), not a credential: ordinary IDs and error texts
// containing it are left alone. From that length on, it is hidden.
func TestShortPlaceholderKeys(t *testing.T) {
	for _, tc := range []struct {
		key      string
		scrubbed bool
	}{
		{"test", false},
		{"secrets", false}, // 7 bytes
		{"Unauthd1", true}, // 8 bytes
	} {
		// Named by length: a test's output shows no key, placeholder or not.
		t.Run(fmt.Sprintf("%d-byte key", len(tc.key)), func(t *testing.T) {
			srv := contract.NewServer(t, jsonHandler(401, `{"detail":{"status":"invalid_api_key","message":"Unauthd1 is not a key for secrets; test again"}}`), nil)
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(tc.key), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			id := "sec_test_secrets_Unauthd1"
			_, err = c.GetSecret(context.Background(), id)
			if tc.scrubbed {
				if !errors.Is(err, elevenlabs.ErrInvalidSecretID) || len(srv.Requests()) != 0 {
					t.Errorf("ID containing the key: error %v, %d requests; want ErrInvalidSecretID and none", err, len(srv.Requests()))
				}
				_, err = c.GetSecret(context.Background(), "sec_1")
				if strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), "[REDACTED]") {
					t.Errorf("error %q: want the key redacted", err)
				}
				return
			}
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
				t.Fatalf("error = %v, want the 401 for an ordinary ID", err)
			}
			if want := "/v1/convai/secrets/" + id + ": 401 Unauthorized: invalid_api_key: Unauthd1 is not a key for secrets; test again"; !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "[REDACTED]") {
				t.Errorf("error %q: want it whole, containing %q", err, want)
			}
		})
	}
}

// TestValidationLoc: each element of a validation error's loc as text: a
// string as itself (escapes decoded), an integer as its digits, anything
// else as its JSON; Message joins them with dots.
func TestValidationLoc(t *testing.T) {
	var v elevenlabs.ValidationError
	if err := json.Unmarshal([]byte(`{"loc":["body","a\"b",0,-12,1.5,true,null],"msg":"m","type":"t"}`), &v); err != nil {
		t.Fatal(err)
	}
	want := []string{"body", `a"b`, "0", "-12", "1.5", "true", "null"}
	if got := elevenlabs.ValidationLoc(v); !slices.Equal(got, want) {
		t.Errorf("ValidationLoc = %q, want %q", got, want)
	}
	if got := elevenlabs.ValidationLoc(elevenlabs.ValidationError{}); len(got) != 0 {
		t.Errorf("ValidationLoc of no loc = %q", got)
	}
}

// TestErrNotFoundNeedsTheAPIsAnswer: errors.Is(err, ErrNotFound) says
// "the API has no such secret" only for a 404 carrying the API's error
// body; a 404 from a proxy, a gateway or a wrong base URL (FastAPI's bare
// {"detail": "Not Found"} for a path without a route) is an *APIError
// with StatusCode 404 that does not match, so a tool never takes a
// misconfiguration for a deleted secret.
func TestErrNotFoundNeedsTheAPIsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType string
		notFound                bool
	}{
		{"ElevenLabs error object", `{"detail":{"status":"secret_not_found","message":"Secret not found"}}`, "application/json", true},
		{"detail text", `{"detail":"Secret not found"}`, "application/json", true},
		{"route 404 (wrong base URL)", `{"detail":"Not Found"}`, "application/json", false},
		{"nginx page", "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>", "text/html", false},
		{"Go mux", "404 page not found\n", "text/plain; charset=utf-8", false},
		{"empty body", "", "", false},
		{"null detail", `{"detail":null}`, "application/json", false},
		{"empty detail text", `{"detail":""}`, "application/json", false},
		{"another JSON shape", `{"error":"not found"}`, "application/json", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, jsonHandler(http.StatusNotFound, tc.body, "Content-Type", tc.contentType))
			c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
			_, err := c.GetSecret(context.Background(), "sec_x")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
				t.Fatalf("error = %v, want an *APIError with StatusCode 404", err)
			}
			if got := errors.Is(err, elevenlabs.ErrNotFound); got != tc.notFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", got, tc.notFound)
			}
			if errors.Is(err, elevenlabs.ErrUnauthorized) {
				t.Error("a 404 matches ErrUnauthorized")
			}
		})
	}
}

// TestAPIErrorMadeByHand: an *APIError a caller builds in a test of their
// own (a fake that returns one) reads well and matches the sentinels: a
// 404 is ErrNotFound if it says whose it is (a Code or Message, or the
// API's body), not as a bare status, which a gateway's 404 also has.
func TestAPIErrorMadeByHand(t *testing.T) {
	for _, tc := range []struct {
		err                 *elevenlabs.APIError
		text                string
		notFound, unauthzed bool
	}{
		{&elevenlabs.APIError{StatusCode: 404}, "elevenlabs: 404 Not Found", false, false},
		{&elevenlabs.APIError{StatusCode: 404, Code: "secret_not_found", Message: "Secret not found"}, "elevenlabs: 404 Not Found: secret_not_found: Secret not found", true, false},
		{&elevenlabs.APIError{StatusCode: 404, Message: "Not Found"}, "elevenlabs: 404 Not Found: Not Found", false, false},
		{&elevenlabs.APIError{StatusCode: 404, Message: "Secret not found", Body: []byte("<html>404</html>")}, "elevenlabs: 404 Not Found: Secret not found", false, false},
		{&elevenlabs.APIError{StatusCode: 404, Message: "Secret not found", Body: []byte(`{"detail":"Secret not found"}`)}, "elevenlabs: 404 Not Found: Secret not found", true, false},
		{&elevenlabs.APIError{StatusCode: 401, Code: "invalid_api_key"}, "elevenlabs: 401 Unauthorized: invalid_api_key", false, true},
		{&elevenlabs.APIError{Method: "GET", URL: "https://api.elevenlabs.io/v1/convai/secrets/x", StatusCode: 500, Status: "500 Internal Server Error"},
			"elevenlabs: GET https://api.elevenlabs.io/v1/convai/secrets/x: 500 Internal Server Error", false, false},
		{&elevenlabs.APIError{}, "elevenlabs: 0", false, false},
	} {
		if got := tc.err.Error(); got != tc.text {
			t.Errorf("Error() = %q, want %q", got, tc.text)
		}
		if got := errors.Is(tc.err, elevenlabs.ErrNotFound); got != tc.notFound {
			t.Errorf("%q: errors.Is(ErrNotFound) = %v", tc.text, got)
		}
		if got := errors.Is(tc.err, elevenlabs.ErrUnauthorized); got != tc.unauthzed {
			t.Errorf("%q: errors.Is(ErrUnauthorized) = %v", tc.text, got)
		}
	}
}

// TestSecretIDConstraintsAreKnown: the spec gives the secret_id path
// parameter no pattern or length, so ValidateSecretID refuses only what
// would move the request off its path, and elevenlabstest decides its
// own well-formed IDs. A constraint the spec adds fails here, pointing at
// the code that must apply it, rather than as a raw contract failure.
func TestSecretIDConstraintsAreKnown(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		for _, p := range item.Get.Parameters {
			if p.Value.Name != "secret_id" || p.Value.In != "path" {
				continue
			}
			found = true
			s := p.Value.Schema.Value
			if s.Pattern != "" || s.MinLength != 0 || s.MaxLength != nil || len(s.Enum) > 0 || s.Format != "" {
				maxLen := "none"
				if s.MaxLength != nil {
					maxLen = fmt.Sprint(*s.MaxLength)
				}
				t.Errorf("openapi.yaml now constrains secret_id (pattern %q, minLength %d, maxLength %s, format %q, enum %v): apply it in ValidateSecretID (validate.go), with a test, and in elevenlabstest's validSecretID and MaxSecretIDLen (store.go), and update this test",
					s.Pattern, s.MinLength, maxLen, s.Format, s.Enum)
			}
		}
	}
	if !found {
		t.Error("openapi.yaml has no GET with a secret_id path parameter: update GetSecret, validate.go and this test")
	}
}
