package contract

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps the server's complaints instead of
// failing the test, so a test can check that a violation is reported.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) complaints() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

const validSecret = `{"type":"stored","secret_id":"sec_1","name":"N","used_by":{"tools":[],"agents":[],"others":[]}}`

func body(status int, b string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, b)
	}
}

// TestServerReportsViolations: the server is the contract test's judge;
// it must accept what the spec allows and report what it does not, on
// both sides of the wire.
func TestServerReportsViolations(t *testing.T) {
	cases := []struct {
		name    string
		method  string
		path    string
		handler http.HandlerFunc
		opts    []Option
		want    string // in the complaint; "" for none
	}{
		{"valid request and response", "GET", "/v1/convai/secrets/sec_1", body(200, validSecret), nil, ""},
		{"valid 422", "GET", "/v1/convai/secrets/sec_1", body(422, `{"detail":[{"loc":["path","secret_id"],"msg":"m","type":"t"}]}`), nil, ""},
		{"unknown path", "GET", "/v1/convai/secretz/sec_1", body(200, validSecret), nil, "no route"},
		{"path off the operation", "GET", "/v1/convai/secrets/a/b", body(200, validSecret), nil, "no route"},
		{"wrong method", "POST", "/v1/convai/secrets/sec_1", body(200, validSecret), nil, "no route"},
		{"200 missing a required field", "GET", "/v1/convai/secrets/sec_1", body(200, `{"type":"stored","secret_id":"sec_1","used_by":{"tools":[],"agents":[],"others":[]}}`), nil, `response 200 to /v1/convai/secrets/sec_1 breaks openapi.yaml: response body doesn't match schema #/components/schemas/ConvAIWorkspaceStoredSecretConfig: Error at "/name": property "name" is missing`},
		{"200 with an unknown enum value", "GET", "/v1/convai/secrets/sec_1", body(200, strings.Replace(validSecret, `"others":[]`, `"others":["not_a_dependency"]`, 1)), nil, "response 200"},
		{"422 of the wrong shape", "GET", "/v1/convai/secrets/sec_1", body(422, `{"detail":{"status":"x"}}`), nil, "response 422"},
		{"a query the operation does not define", "GET", "/v1/convai/secrets/sec_1?extra=1", body(200, validSecret), nil, "query string"},
		{"off-spec response allowed", "GET", "/v1/convai/secrets/sec_1", body(200, `{}`), []Option{AllowOffSpecResponses()}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := NewServer(rec, tc.handler, nil, tc.opts...)
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := rec.complaints()
			if strings.Contains(got, "Schema:") || strings.Contains(got, "Value:") {
				t.Errorf("a complaint prints the schema or the value: %s", got)
			}
			switch {
			case tc.want == "" && got != "":
				t.Errorf("server complained about valid traffic: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("server complaints %q, want one containing %q", got, tc.want)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server recorded %d requests, want 1", n)
			}
		})
	}
}

// TestQueryOfItsOwnRedirectPasses: a query is the server's choice when
// its own redirect put it in a Location; the request that follows one
// passes, and its query is recorded.
func TestQueryOfItsOwnRedirectPasses(t *testing.T) {
	rec := &recorder{TB: t}
	srv := NewServer(rec, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			http.Redirect(w, r, r.URL.Path+"?moved=1", http.StatusFound)
			return
		}
		body(200, validSecret)(w, r)
	}), nil, AllowOffSpecResponses())
	resp, err := srv.Client().Get(srv.URL + "/v1/convai/secrets/sec_1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := rec.complaints(); got != "" {
		t.Errorf("server complained about the query of its own redirect: %s", got)
	}
	if reqs := srv.Requests(); len(reqs) != 2 || reqs[1].Query != "moved=1" {
		t.Errorf("requests = %+v, want two, the second with the query moved=1", reqs)
	}
}

// TestQueryOfAnotherAnswersLocationIsRefused: only a redirect's Location
// makes its query the server's choice; one in another answer's Location
// (a 201's, say) does not.
func TestQueryOfAnotherAnswersLocationIsRefused(t *testing.T) {
	rec := &recorder{TB: t}
	srv := NewServer(rec, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Path+"?moved=1")
		body(200, validSecret)(w, r)
	}), nil, AllowOffSpecResponses())
	for _, path := range []string{"/v1/convai/secrets/sec_1", "/v1/convai/secrets/sec_1?moved=1"} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := rec.complaints(); !strings.Contains(got, "query string") {
		t.Errorf("complaints %q, want the second request's query refused", got)
	}
}

// TestValidateSecret: the body validator agrees with the spec on a
// valid body and on ones that break it.
func TestValidateSecret(t *testing.T) {
	if err := ValidateSecret([]byte(validSecret)); err != nil {
		t.Errorf("valid body: %v", err)
	}
	for _, b := range []string{
		`{"type":"stored","secret_id":"sec_1","used_by":{"tools":[],"agents":[],"others":[]}}`,
		strings.Replace(validSecret, `"tools":[]`, `"tools":[{"type":"available","id":1,"name":"n","created_at_unix_secs":1,"access_level":"admin"}]`, 1),
		`[]`,
		`{"type":`, // not JSON
	} {
		if err := ValidateSecret([]byte(b)); err == nil {
			t.Errorf("ValidateSecret(%s) = nil, want an error", b)
		}
	}
}

// TestTransportRecordsTheIntendedHost: a request meant for a spec server
// reaches the test server, which records that host and routes on it; a
// host that is in no server list is no route.
func TestTransportRecordsTheIntendedHost(t *testing.T) {
	rec := &recorder{TB: t}
	srv := NewServer(rec, body(200, validSecret), nil)
	hc := &http.Client{Transport: NewTransport(srv)}
	for _, u := range []string{"https://api.eu.residency.elevenlabs.io/v1/convai/secrets/sec_1", "https://api.example.com/v1/convai/secrets/sec_1"} {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Host != "api.eu.residency.elevenlabs.io" || reqs[1].Host != "api.example.com" {
		t.Fatalf("recorded %+v, want the EU host then api.example.com", reqs)
	}
	if reqs[0].Invalid != nil {
		t.Errorf("request to a spec server was refused: %v", reqs[0].Invalid)
	}
	if reqs[1].Invalid == nil || !strings.Contains(rec.complaints(), "no route") {
		t.Errorf("request to a host outside the spec was accepted (complaints %q)", rec.complaints())
	}
}

func TestKeyPieceAt(t *testing.T) {
	const key = "sk_0123456789abcdefABCDEF"
	for _, tc := range []struct {
		text string
		want int
	}{
		{"nothing here", -1},
		{"the key: " + key, 0},
		{"upper-cased: " + strings.ToUpper(key[5:20]), 5},
		{"JSON: sk_01234\\u00356789ab", 0},
		{"HTML: sk_01234&#53;6789ab", 0},
		{"URL: sk_01234%356789ab", 0},
		{"eleven only: " + key[3:14], -1},
		{"lower-cased: " + strings.ToLower(key[13:25]), 13},
	} {
		if got := KeyPieceAt(tc.text, key); got != tc.want {
			t.Errorf("KeyPieceAt(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
	if got := KeyPieceAt(`JSON's \/ and \": xi\/ab\/cd\"ef\/gh`, `xi/ab/cd"ef/gh`); got != 0 {
		t.Errorf("a key written with JSON's escapes of / and \": %d, want 0", got)
	}
	if got := KeyPieceAt(`JSON's \\: xi\\ab\\cd\\ef\\gh`, `xi\ab\cd\ef\gh`); got != 0 {
		t.Errorf("a key written with JSON's escape of \\: %d, want 0", got)
	}
	if got := KeyPieceAt("short key: abc-defgh", "abc-defgh"); got != 0 {
		t.Errorf("a key shorter than a piece: %d, want 0 (found whole)", got)
	}
}

// TestBriefKeepsEveryProblem: Brief leaves out the schema and value
// blocks only: each problem stays, those of every branch of a oneOf
// (" Or Error at ...") and of a list of them (" | Error at ...").
func TestBriefKeepsEveryProblem(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{strings.Replace(validSecret, `"tools":[]`, `"tools":[{"type":"weird","id":"t"}]`, 1),
			[]string{`["available"]`, `["unknown"]`}},
		{strings.Replace(validSecret, `"agents":[]`, `"agents":[{"type":"available","id":"a","referenced_resource_ids":[1,2]}]`, 1),
			[]string{`"/name": property "name" is missing`, `"/referenced_resource_ids/0"`}},
		{`{"type":"stored","secret_id":"sec_1","used_by":{"tools":[{"type":"available","id":"x"}],"agents":[],"others":[]}}`,
			[]string{`"/name": property "name" is missing`, `"/used_by/tools/0"`, `"created_at_unix_secs" is missing`, `"access_level" is missing`}},
	} {
		err := ValidateSecret([]byte(tc.body))
		if err == nil {
			t.Fatalf("ValidateSecret(%s) = nil, want an error", tc.body)
		}
		got := Brief(err)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("Brief lacks %s:\n%s\n\nfrom:\n%s", w, got, err)
			}
		}
		if strings.Contains(got, "Schema:") || strings.Contains(got, "Value:") {
			t.Errorf("Brief keeps a schema or value block:\n%s", got)
		}
	}
}
