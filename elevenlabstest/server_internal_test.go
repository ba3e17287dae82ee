package elevenlabstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// failingListen is a config.listen that fails as a system out of file
// descriptors or ports would.
func failingListen() Option {
	return func(c *config) error {
		c.listen = func(string, string) (net.Listener, error) {
			return nil, &net.OpError{Op: "listen", Net: "tcp", Err: errors.New("too many open files")}
		}
		return nil
	}
}

// TestListenFailureIsAnError: NewServer returns a listen failure as an
// error (httptest.NewServer would panic), and Start fails the test with
// it.
func TestListenFailureIsAnError(t *testing.T) {
	t.Parallel()
	srv, err := NewServer(WithSampleData(), failingListen())
	if srv != nil || err == nil || err.Error() != "elevenlabstest: listening on a loopback address: listen tcp: too many open files" {
		t.Fatalf("NewServer returned a server: %t, error %v; want no server and the listen error", srv != nil, err)
	}
	var tb RecordingTB
	if srv := Start(&tb, failingListen()); srv != nil || tb.Fatal != err.Error() {
		t.Errorf("Start returned a server: %t, Fatalf(%q); want no server and Fatalf with the listen error", srv != nil, tb.Fatal)
	}
	if len(tb.Cleanups) != 0 {
		t.Errorf("Start registered %d cleanups for a server that did not start", len(tb.Cleanups))
	}
}

// TestListenFallsBackToIPv6Loopback: on a host without IPv4 loopback,
// the server listens on ::1 (as httptest does).
func TestListenFallsBackToIPv6Loopback(t *testing.T) {
	t.Parallel()
	var tried []string
	ipv6Only := func(c *config) error {
		c.listen = func(network, address string) (net.Listener, error) {
			tried = append(tried, network+" "+address)
			if network != "tcp6" {
				return nil, &net.OpError{Op: "listen", Net: network, Err: errors.New("cannot assign requested address")}
			}
			// A host running this test may have no ::1 either: the
			// fallback's listener stands in for it.
			if ln, err := net.Listen(network, address); err == nil {
				return ln, nil
			}
			return net.Listen("tcp", "127.0.0.1:0")
		}
		return nil
	}
	srv, err := NewServer(WithSampleData(), ipv6Only)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if want := []string{"tcp 127.0.0.1:0", "tcp6 [::1]:0"}; !slices.Equal(tried, want) {
		t.Errorf("listened on %q, want %q", tried, want)
	}
	resp, err := http.Get(srv.URL + "/v1/convai/secrets/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a request without a key got %s, want 401 Unauthorized", resp.Status)
	}
}

// RecordingTB records what Start does with its TB; unlike testing.T, its
// Fatalf returns. (Exported for this package's external tests too.)
type RecordingTB struct {
	Fatal    string
	Cleanups []func()
}

func (r *RecordingTB) Helper()                        {}
func (r *RecordingTB) Cleanup(fn func())              { r.Cleanups = append(r.Cleanups, fn) }
func (r *RecordingTB) Fatalf(format string, a ...any) { r.Fatal = fmt.Sprintf(format, a...) }

// TestSampleBodyFallsBackToTheStoredForm: a sample file is served as it
// is only when it is what AddSecret would store; otherwise (a field the
// spec does not know, a missing list or type) as AddSecret stores it.
func TestSampleBodyFallsBackToTheStoredForm(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, raw, want string }{
		{"as stored, keys in another order",
			`{"used_by": {"others": [], "agents": [], "tools": []}, "name": "X", "type": "stored", "secret_id": "sec_x"}`,
			`{"used_by":{"others":[],"agents":[],"tools":[]},"name":"X","type":"stored","secret_id":"sec_x"}`},
		{"an unknown field", `{"secret_id": "sec_x", "name": "X", "type": "stored", "color": "red", "used_by": {"tools": [], "agents": [], "others": []}}`, ""},
		{"no type, no others", `{"secret_id": "sec_x", "name": "X", "used_by": {"tools": [], "agents": []}}`, ""},
	}
	for _, tc := range cases {
		id, body, err := sampleBody([]byte(tc.raw))
		if err != nil || id != "sec_x" {
			t.Fatalf("%s: sampleBody: %q, %v", tc.name, id, err)
		}
		want := []byte(tc.want)
		if tc.want == "" {
			var s elevenlabs.Secret
			if err := json.Unmarshal([]byte(tc.raw), &s); err != nil {
				t.Fatal(err)
			}
			if want, err = encodeSecret(s); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(body, want) {
			t.Errorf("%s: body\n%s\nwant\n%s", tc.name, body, want)
		}
	}
	if _, _, err := sampleBody([]byte(`{"secret_id": "a.b", "name": "X", "used_by": {"tools": [], "agents": [], "others": []}}`)); err == nil {
		t.Error("a sample AddSecret would refuse: no error")
	}
}

// TestDelayEndsWithTheClientOrTheServer: a fault's Delay ends at once
// when the request's context is done (the client gave up), or when the
// server is closed, rather than running its course.
func TestDelayEndsWithTheClientOrTheServer(t *testing.T) {
	s, err := NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v1/convai/secrets/x", nil)
	waited := func(r *http.Request, end func()) bool {
		t.Helper()
		done := make(chan bool, 1)
		go func() { done <- s.wait(r, time.Hour) }()
		end()
		select {
		case ok := <-done:
			return ok
		case <-time.After(time.Minute): // a liveness bound
			t.Fatal("the hour's delay did not end")
			return true
		}
	}
	if waited(r, cancel) {
		t.Error("a delay ended by the client's cancellation reports it ran its course")
	}
	r = httptest.NewRequest(http.MethodGet, "/v1/convai/secrets/x", nil)
	if waited(r, s.Close) {
		t.Error("a delay ended by Close reports it ran its course")
	}
}

// TestWithAPIKeysRefusesWhatAHeaderCannotCarry: like the client's own
// check, from '!' to '~': DEL and non-ASCII are refused.
func TestWithAPIKeysRefusesWhatAHeaderCannotCarry(t *testing.T) {
	for key, ok := range map[string]bool{"k!~": true, "k\x7f": false, "k\x80": false, "k y": false} {
		if _, err := NewServer(WithAPIKeys(key)); (err == nil) != ok {
			t.Errorf("WithAPIKeys(%q): %v, want accepted: %v", key, err, ok)
		}
	}
}

// laterUnion is a union of dependents as a later spec may generate it,
// with a variant this package was not written for.
type laterUnion struct {
	variant any
	raw     []byte
}

func (u *laterUnion) Discriminator() (string, error)     { return "later", nil }
func (u *laterUnion) ValueByDiscriminator() (any, error) { return u.variant, nil }
func (u *laterUnion) UnmarshalJSON(b []byte) error {
	u.raw = b
	return nil
}

// TestNormalizeDependentReadsAnyVariant: a variant that a later spec adds
// is read as the ones this package was written for are (an ID it must
// have; an AccessLevel, if it has one, the spec lists), with no change
// to the fake; one it cannot read is an error that says where to teach it.
func TestNormalizeDependentReadsAnyVariant(t *testing.T) {
	type shared struct {
		ID          string                      `json:"id"`
		AccessLevel *elevenlabs.ToolAccessLevel `json:"access_level,omitempty"`
		Type        string                      `json:"type"`
	}
	owner, viewer := elevenlabs.ToolAccessLevel("owner"), elevenlabs.ToolAccessLevelViewer
	cases := []struct {
		variant any
		want    string // the error, or the JSON served
	}{
		{shared{ID: "t_1", Type: "later"}, `{"id":"t_1","type":"later"}`},
		{shared{ID: "t_2", AccessLevel: &viewer, Type: "later"}, `{"id":"t_2","access_level":"viewer","type":"later"}`},
		{shared{ID: "t_3", AccessLevel: &owner, Type: "later"}, `access_level "owner" is not in the spec`},
		{shared{Type: "later"}, "no id"},
		{struct{ Name string }{"n"}, "has no ID string: elevenlabstest's normalizeDependent (store.go)"},
		{struct{ ID, AccessLevel string }{"t_4", "viewer"}, "its AccessLevel is not an enum"},
		{"t_5", "is not a struct"},
	}
	for _, tc := range cases {
		out, err := normalizeDependent(laterUnion{variant: tc.variant})
		got := string(out.raw)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%#v: got %s, want %s", tc.variant, got, tc.want)
		}
	}
}

// TestSampleFilesAreSpecValid: each sample file, as written, conforms to
// the spec's 200 body; the fake would otherwise serve Go's zero value for
// a property the spec newly requires and a file lacks, and the served
// bodies, which the other tests check, would hide it.
func TestSampleFilesAreSpecValid(t *testing.T) {
	bodies, err := sampleBodies()
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(sampleFiles, "sampledata/*.json")
	if err != nil || len(names) != len(bodies)-1 {
		t.Fatalf("%d sample files for %d bodies (%v)", len(names), len(bodies), err)
	}
	slices.Sort(names) // as sampleBodies reads them, after the docs example
	names = append([]string{"testdata/get-secret-example.json"}, names...)
	for i, b := range bodies {
		if err := contract.ValidateSecret(b); err != nil {
			t.Errorf("elevenlabstest/%s breaks openapi.yaml: %s", names[i], contract.Brief(err))
		}
	}
}
