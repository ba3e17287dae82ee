package elevenlabs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/api"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
	"golang.org/x/text/unicode/norm"
)

// FuzzSecretID checks the ID check against the request the generated code
// builds: an accepted ID always lands as exactly one path segment under
// /v1/convai/secrets/ on the configured host, and decodes back to itself;
// and GetSecret sends exactly that request.
func FuzzSecretID(f *testing.F) {
	for _, seed := range []string{"sec_9f8b7c6d5e4a3b2c1d0e", "", ".", "..", "...", "a/b", "..%2F", "a?b", "a#b", `a\b`, "a b", "ä", "\xff", "\u2028", "%00", "a;b=c", "@evil.example", "//evil.example/x"} {
		f.Add(seed)
	}
	const server = "https://gateway.example/prefix/"
	// Two clients, one building GetSecret's request from the generated
	// builder's URL as it does by default, one with the generated builder
	// itself: each records what it would send.
	sent := map[bool]*http.Request{}
	clients := map[bool]*elevenlabs.Client{}
	for _, generated := range []bool{false, true} {
		opts := []elevenlabs.Option{elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(server), elevenlabs.WithMaxRetries(0),
			elevenlabs.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent[generated] = r
				return nil, errors.New("recorded")
			})})}
		if generated {
			opts = append(opts, elevenlabs.WithGeneratedRequestForTest())
		}
		c, err := elevenlabs.New(opts...)
		if err != nil {
			f.Fatal(err)
		}
		clients[generated] = c
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := elevenlabs.ValidateSecretID(id)
		if err != nil {
			if !errors.Is(err, elevenlabs.ErrInvalidSecretID) {
				t.Fatalf("rejection %v does not wrap ErrInvalidSecretID", err)
			}
			return
		}
		req, err := api.NewGetSecretRequest(server, id, nil)
		if err != nil {
			t.Fatalf("accepted ID %q, but the request cannot be built: %v", id, err)
		}
		if req.URL.Host != "gateway.example" || req.URL.Scheme != "https" || req.URL.RawQuery != "" || req.URL.Fragment != "" {
			t.Fatalf("accepted ID %q moved the request to %s", id, req.URL.Redacted())
		}
		rest, ok := strings.CutPrefix(req.URL.EscapedPath(), "/prefix/v1/convai/secrets/")
		if !ok || rest == "" || strings.Contains(rest, "/") {
			t.Fatalf("accepted ID %q gave path %s", id, req.URL.EscapedPath())
		}
		if got, err := url.PathUnescape(rest); err != nil || got != id {
			t.Fatalf("accepted ID %q arrives as %q (%v)", id, got, err)
		}
		// GetSecret sends what the generated builder builds.
		for generated, c := range clients {
			sent[generated] = nil
			if _, err := c.GetSecret(context.Background(), id); sent[generated] == nil {
				t.Fatalf("GetSecret(%q), generated builder %t: nothing sent (%v)", id, generated, err)
			}
		}
		own, gen := sent[false], sent[true]
		if own.URL.String() != gen.URL.String() || own.URL.String() != req.URL.String() || own.Method != gen.Method || !cmp.Equal(own.Header, gen.Header) {
			t.Fatalf("ID %q: GetSecret sends %s %s; the generated builder %s %s (headers equal: %t)", id, own.Method, own.URL, gen.Method, gen.URL, cmp.Equal(own.Header, gen.Header))
		}
	})
}

// FuzzDecodeResponse feeds arbitrary responses to GetSecret through an
// in-memory transport: no input may panic, and every outcome is either a
// secret with an ID or an error of the documented kind.
func FuzzDecodeResponse(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("elevenlabstest", "testdata", "get-secret-example.json"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", string(example)},
		{200, "application/json", fullSecret},
		{200, "application/json", `{"type":"stored","secret_id":"s","name":"n","used_by":{"tools":[{"type":"x"}],"agents":[{}],"others":[1]}}`},
		{200, "application/json", `{"secret_id":"s","used_by":{"tools":[null,{"type":null},[],"s"]}}`},
		{200, "application/json", `{"type":"stored","secret_id":"s","name":"n","used_by":{"tools":[],"agents":[],"others":[],"workflows":[{"id":"w"}],"W\u006frkflows":1},"Used_By":{"x":true}}`},
		{200, "application/json", `{"type":"stored","secret_id":"s","name":"n","used_by":{"tools":[],"agents":[],"others":[],"x":1,"big":1e400},"used_by":null}`},
		{200, "text/html", "<html><script>x</script><p>hi"},
		{200, "application/json", "null"},
		{200, "application/json", ""},
		{404, "application/json", `{"detail":"Not Found"}`},
		{401, "application/json", `{"detail":{"status":"invalid_api_key","message":"bad"}}`},
		{422, "application/json", `{"detail":[{"loc":["path",1,{}],"msg":"m","type":"t"}]}`},
		{422, "application/json", `{"detail":[null]}`},
		{500, "text/html", "<html><style>" + strings.Repeat("<", 50)},
		{503, "text/plain", "\xff\xfe bad utf8 " + testKey},
	}
	for _, s := range seeds {
		f.Add(s.status, s.ct, []byte(s.body), int64(len(s.body)), int64(0))
	}
	// A Content-Length that lies, either way, or is absent; body limits
	// from tiny to the largest a caller can set.
	f.Add(200, "application/json", []byte(fullSecret), int64(math.MaxInt64), int64(math.MaxInt64))
	f.Add(200, "application/json", []byte(fullSecret), int64(1<<40), int64(1<<41))
	f.Add(200, "application/json", []byte(fullSecret), int64(-1), int64(10))
	f.Add(503, "text/html", []byte("<p>busy</p>"), int64(3), int64(4))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, contentLength, limit int64) {
		if status < 200 || status > 599 {
			return // net/http itself rejects such codes
		}
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{
				StatusCode:    status,
				Header:        http.Header{"Content-Type": {contentType}},
				Body:          io.NopCloser(bytes.NewReader(body)),
				ContentLength: max(contentLength, -1),
				Request:       r,
			}, nil
		})
		opts := []elevenlabs.Option{elevenlabs.WithAPIKey(testKey), elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithMaxRetries(0)}
		if limit > 0 {
			opts = append(opts, elevenlabs.WithMaxResponseBytes(limit))
		}
		c, err := elevenlabs.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		// Ask for the secret the body is for, when it names one that can
		// be asked for.
		id := "sec_fuzz"
		var named struct {
			SecretID string `json:"secret_id"`
		}
		if json.Unmarshal(body, &named) == nil && elevenlabs.ValidateSecretID(named.SecretID) == nil && !strings.Contains(named.SecretID, testKey) {
			id = named.SecretID
		}
		s, err := c.GetSecret(context.Background(), id)
		if (s == nil) == (err == nil) {
			t.Fatalf("GetSecret = %v, %v: want exactly one of a secret and an error", s, err)
		}
		if status == 200 && err != nil && !errors.Is(err, elevenlabs.ErrResponseTooLarge) && id != "sec_fuzz" &&
			contract.ValidateSecret(body) == nil && generatedTypesDecode(body) {
			t.Fatalf("GetSecret refused a body kin-openapi finds spec-valid: %v", err)
		}
		if err != nil {
			checkNoKey(t, "the error", err.Error())
			var apiErr *elevenlabs.APIError
			var decErr *elevenlabs.DecodeError
			switch {
			case status >= 300 && !(errors.As(err, &apiErr) && apiErr.StatusCode == status):
				t.Fatalf("status %d: error %v is not an *APIError with that status", status, err)
			case status < 300 && !errors.As(err, &decErr) && !errors.Is(err, elevenlabs.ErrResponseTooLarge):
				t.Fatalf("status %d: error %v is neither a *DecodeError nor ErrResponseTooLarge", status, err)
			}
			return
		}
		if s.SecretID != id {
			t.Fatalf("a secret for %q, asked for %q", s.SecretID, id)
		}
		// The used_by fields the spec does not name, as encoding/json
		// sees them, are kept, decoded, and nothing else is.
		var raw struct {
			UsedBy mergedObject `json:"used_by"`
		}
		if err := json.Unmarshal(body, &raw); err == nil {
			var want map[string]any
			for name, v := range raw.UsedBy {
				if !slices.ContainsFunc(specUsedBy, func(known string) bool { return strings.EqualFold(name, known) }) {
					if want == nil {
						want = map[string]any{}
					}
					want[name] = v
				}
			}
			if diff := cmp.Diff(want, s.UsedBy.AdditionalProperties); diff != "" {
				t.Fatalf("AdditionalProperties of %q (-want +got):\n%s", body, diff)
			}
		}
		// Every dependent of a secret returned decodes as its kind, unless
		// its kind (never empty) is newer than this package.
		for _, d := range dependents(s) {
			kind, err := d.Discriminator()
			if err != nil || kind == "" {
				t.Fatalf("a dependent of %q without a type passed: %q, %v", body, kind, err)
			}
			if _, err := d.ValueByDiscriminator(); err != nil && err.Error() != "unknown discriminator value: "+kind {
				t.Fatalf("a dependent of %q does not decode as its kind %q: %v", body, kind, err)
			}
		}
	})
}

// dependent is what each generated union of used_by has.
type dependent interface {
	Discriminator() (string, error)
	ValueByDiscriminator() (any, error)
}

// dependents returns the items of the union lists of s's used_by.
func dependents(s *elevenlabs.Secret) []dependent {
	var deps []dependent
	for _, d := range s.UsedBy.Tools {
		deps = append(deps, d)
	}
	for _, d := range s.UsedBy.Agents {
		deps = append(deps, d)
	}
	if s.UsedBy.MCPServers != nil {
		for _, d := range *s.UsedBy.MCPServers {
			deps = append(deps, d)
		}
	}
	return deps
}

// generatedTypesDecode reports whether body decodes into the generated
// types, each dependent of a known kind into its variant. (A body can be
// spec-valid and not: JSON Schema's integer 1e3 is no Go int to
// encoding/json.)
func generatedTypesDecode(body []byte) bool {
	var s elevenlabs.Secret
	if json.Unmarshal(body, &s) != nil {
		return false
	}
	for _, d := range dependents(&s) {
		kind, err := d.Discriminator()
		if err != nil {
			return false
		}
		if _, err := d.ValueByDiscriminator(); err != nil && err.Error() != "unknown discriminator value: "+kind {
			return false
		}
	}
	return true
}

// TestLookalikesOfPathCharactersAreRefused: every character that NFKC
// (which some proxies and servers apply to paths) turns into a path
// character ('/', '\', '?', '#', '%', ';') or into dots alone is refused in an
// ID, and the package's list of them holds nothing else.
func TestLookalikesOfPathCharactersAreRefused(t *testing.T) {
	risky := 0
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			continue // refused anyway
		}
		n := norm.NFKC.String(string(r))
		if !strings.ContainsAny(n, `/\?#%;`) && (n == "" || strings.Trim(n, ".") != "") {
			if err := elevenlabs.ValidateSecretID("sec_" + string(r)); err != nil && strings.Contains(err.Error(), "NFKC") {
				t.Errorf("%U (NFKC %q) is refused as a lookalike of a path character, but is none", r, n)
			}
			continue
		}
		risky++
		for _, id := range []string{"sec_" + string(r) + "x", string(r), string(r) + string(r)} {
			if err := elevenlabs.ValidateSecretID(id); !errors.Is(err, elevenlabs.ErrInvalidSecretID) {
				t.Errorf("ValidateSecretID(%+q) = %v; NFKC makes %U %q", id, err, r, n)
			}
		}
	}
	if risky == 0 {
		t.Fatal("no character found whose NFKC form is a path character")
	}
}

// mergedObject decodes JSON objects as encoding/json decodes several into
// one struct field: each one's fields over the earlier ones', null
// changing nothing.
type mergedObject map[string]any

func (m *mergedObject) UnmarshalJSON(b []byte) error {
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil || fields == nil {
		return err
	}
	if *m == nil {
		*m = mergedObject{}
	}
	maps.Copy(*m, fields)
	return nil
}

// specUsedBy are the JSON names of the generated used_by type's fields.
var specUsedBy = func() []string {
	var names []string
	for f := range reflect.TypeFor[elevenlabs.ConvAIStoredSecretDependencies]().Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "-" {
			names = append(names, name)
		}
	}
	return names
}()
