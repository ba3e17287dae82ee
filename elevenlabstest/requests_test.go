package elevenlabstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv := start(t)
	id := samples(t)[0].SecretID
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	get(t, srv, "/v1/convai/secrets/sec_missing", "")
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/v1/convai/secrets/"+id, nil)
	req.Header.Add("xi-api-key", "other-key")
	req.Header.Add("xi-api-key", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	type summary struct {
		Method, Host, Path string
		KeyHeader          []string
		KeyIsTestKey       bool
		KeyIsEmpty         bool
	}
	var got []summary
	for _, r := range reqs {
		got = append(got, summary{r.Method, r.Host, r.Path, r.Header.Values("xi-api-key"), r.APIKey == elevenlabstest.Key(testKey), r.APIKey == ""})
	}
	want := []summary{
		{"GET", host, "/v1/convai/secrets/" + id, []string{elevenlabstest.Redacted}, true, false},
		{"GET", host, "/v1/convai/secrets/sec_missing", nil, false, true},
		{"DELETE", host, "/v1/convai/secrets/" + id, []string{elevenlabstest.Redacted, elevenlabstest.Redacted}, false, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if ua := reqs[0].Header.Get("User-Agent"); !strings.HasPrefix(ua, "elevenlabs-secrets-go/") {
		t.Errorf("User-Agent %q not recorded", ua)
	}
	if reqs[2].APIKey != elevenlabstest.Key("other-key") {
		t.Error("APIKey is not the first key sent")
	}

	// The copy is the caller's: changing it changes nothing recorded.
	reqs[0].Header.Set("X-Mutated", "1")
	if srv.Requests()[0].Header.Get("X-Mutated") != "" {
		t.Error("Requests returned the server's own headers")
	}
}

// TestRequestIDsMatchTheAnswers: Request.RequestID is the request-id the
// server answered that request with, also when a delayed request is
// answered after one that came later.
func TestRequestIDsMatchTheAnswers(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusServiceUnavailable, Delay: 200 * time.Millisecond})
	answered := make(chan string, 2) // "path request-id", in the order answered
	var wg sync.WaitGroup
	send := func(path string) { // not get: it may not t.Fatal off the test's goroutine
		defer wg.Done()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		answered <- path + " " + resp.Header.Get("request-id")
	}
	wg.Add(1)
	go send("/v1/convai/secrets/sec_slow")
	for len(srv.Requests()) == 0 { // the delayed request has arrived
		time.Sleep(time.Millisecond)
	}
	wg.Add(1)
	send("/v1/convai/secrets/sec_fast")
	wg.Wait()
	close(answered)
	var got, want []string
	for a := range answered {
		got = append(got, a)
	}
	for _, r := range srv.Requests() {
		want = append(want, r.Path+" "+r.RequestID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" || want[0] == want[1] {
		t.Errorf("request ids answered (-recorded +answered):\n%s", diff)
	}
}

func TestKeysNeverPrint(t *testing.T) {
	t.Parallel()
	srv := start(t)
	get(t, srv, "/v1/convai/secrets/x", testKey)
	get(t, srv, "/v1/convai/secrets/x", "another-secret-key-991")
	reqs := srv.Requests()
	a, b := reqs[0], reqs[1]

	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		outputs = append(outputs, fmt.Sprintf(verb, a), fmt.Sprintf(verb, a.APIKey), fmt.Sprintf(verb, reqs))
	}
	js, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js), a.APIKey.String(), cmp.Diff(a, b), cmp.Diff(a.APIKey, b.APIKey))
	for i, out := range outputs {
		if strings.Contains(out, testKey) || strings.Contains(out, "another-secret-key-991") {
			t.Errorf("output %d shows a key", i)
		}
	}
	// Keys still tell apart, in print and with ==.
	if a.APIKey == b.APIKey || a.APIKey.String() == b.APIKey.String() || !strings.HasPrefix(a.APIKey.String(), "Key(sha256:") {
		t.Errorf("keys do not tell apart: %v %v", a.APIKey, b.APIKey)
	}
	if d := cmp.Diff(a.APIKey, b.APIKey); d == "" {
		t.Error("cmp.Diff of two different keys is empty")
	}
	if got := elevenlabstest.Key("").String(); got != "Key(none)" {
		t.Errorf("empty key prints %q", got)
	}
}

// TestCredentialHeadersAreRedacted: Request.Header hides every value of
// the headers that carry credentials, and the key wherever else it is,
// and nothing else.
func TestCredentialHeadersAreRedacted(t *testing.T) {
	t.Parallel()
	srv := start(t)
	secrets := map[string][]string{
		"xi-api-key":          {testKey},
		"Authorization":       {"Bearer secret-bearer-token-1"},
		"Proxy-Authorization": {"Basic c2VjcmV0LXByb3h5LWNyZWRz"},
		"Cookie":              {"session=secret-cookie-2", "other=secret-cookie-3"},
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/convai/secrets/sec_x", nil)
	for name, vals := range secrets {
		for _, v := range vals {
			req.Header.Add(name, v)
		}
	}
	req.Header.Set("X-Trace", "visible")
	// The key in a header of another name, alone or inside a value.
	req.Header.Set("X-Api-Key-Copy", testKey)
	req.Header.Set("X-Debug", "key="+testKey+"; trace=1")
	// In another case, escaped, as a header's name.
	req.Header.Set("X-Upper", strings.ToUpper(testKey))
	req.Header.Set("X-Escaped", url.QueryEscape(testKey))
	req.Header.Set("X-"+testKey, "named after the key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	r := srv.Requests()[0]
	for name, vals := range secrets {
		got := r.Header.Values(name)
		if len(got) != len(vals) || slices.ContainsFunc(got, func(v string) bool { return v != elevenlabstest.Redacted }) {
			t.Errorf("%s recorded as %d values, not all redacted; want %d redacted", name, len(got), len(vals))
		}
	}
	if r.Header.Get("X-Trace") != "visible" {
		t.Errorf("X-Trace = %q, want it kept", r.Header.Get("X-Trace"))
	}
	if got := r.Header.Get("X-Api-Key-Copy") + " | " + r.Header.Get("X-Debug"); got != "[REDACTED] | key=[REDACTED]; trace=1" {
		t.Errorf("headers holding the key recorded as %q, want the key replaced", strings.ReplaceAll(got, testKey, "<key>"))
	}
	if got := r.Header.Get("X-Upper") + " | " + r.Header.Get("X-Escaped"); got != "[REDACTED] | [REDACTED]" {
		t.Errorf("the key in upper case and escaped recorded as %q, want it hidden", strings.ReplaceAll(strings.ToLower(got), strings.ToLower(testKey), "<key>"))
	}
	if got := r.Header.Get("X-[REDACTED]"); got != "named after the key" {
		t.Errorf("the header named after the key recorded as X-[REDACTED]: %q, want its value", got)
	}
	if r.APIKey != elevenlabstest.Key(testKey) {
		t.Error("APIKey is not the xi-api-key sent")
	}
	js, _ := json.Marshal(r)
	for _, out := range []string{fmt.Sprintf("%+v", r), string(js)} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(testKey)) {
			t.Error("the printed request shows the key, in some case")
		}
		for _, vals := range secrets {
			for _, v := range vals {
				if strings.Contains(out, v) {
					t.Errorf("the printed request shows a credential of %d bytes", len(v))
				}
			}
		}
	}
}

// TestQueriesAreRecorded: Request.RawQuery is the query as sent, so a
// test can catch code that adds one; values that are keys are hidden.
func TestQueriesAreRecorded(t *testing.T) {
	t.Parallel()
	srv := start(t, elevenlabstest.WithAPIKeys(testKey, "second-key-4a1f"))
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), samples(t)[0].SecretID); err != nil {
		t.Fatal(err)
	}
	queries := []struct{ sent, recorded string }{
		{"page=2&name=a%20b&name=c", "page=2&name=a%20b&name=c"},
		{"", ""},
		{"xi_api_key=" + testKey + "&page=2", "xi_api_key=[REDACTED]&page=2"},
		{"k=second%2Dkey%2D4a1f&" + testKey, "k=[REDACTED]&[REDACTED]"},
		{"k=%zz&flag", "k=%zz&flag"},
		{"auth=Bearer%20" + testKey + "&page=2", "auth=[REDACTED]&page=2"}, // a key inside a value
		{testKey + "=1&a=" + testKey, "[REDACTED]=1&a=[REDACTED]"},         // a key as a name
		{"a=1&%" + testKey + "=b", "a=1&[REDACTED]=b"},                     // a name that does not unescape
		{"second%2Dkey%2D4a1f=x", "[REDACTED]=x"},                          // an escaped name
	}
	for _, q := range queries {
		u := srv.URL + "/v1/convai/secrets/sec_x"
		if q.sent != "" {
			u += "?" + q.sent
		}
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// A key sent in the header is hidden from the query too, even one
	// the server does not accept.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/convai/secrets/sec_x?key=unaccepted-key-77", nil)
	req.Header.Set("xi-api-key", "unaccepted-key-77")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	want := []string{""} // GetSecret sends no query
	for _, q := range queries {
		want = append(want, q.recorded)
	}
	want = append(want, "key=[REDACTED]")
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.RawQuery)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		// Keys left in the query print as a placeholder, not as they are.
		hide := strings.NewReplacer(testKey, "<key>", "second-key-4a1f", "<key>", "second%2Dkey%2D4a1f", "<key>", "unaccepted-key-77", "<key>")
		t.Errorf("recorded queries (-want +got):\n%s", hide.Replace(diff))
	}
}

// TestMethodAndHostHideKeys: a key in the method or the host (a request
// meant for https://<key>.example through Transport) is hidden there too.
func TestMethodAndHostHideKeys(t *testing.T) {
	t.Parallel()
	srv := start(t)
	hc := &http.Client{Transport: srv.Transport()}
	for _, tc := range []struct{ method, url string }{
		{http.MethodGet, "https://" + testKey + ".example/v1/convai/secrets/sec_x"},
		{"X" + testKey, "https://api.elevenlabs.io/v1/convai/secrets/sec_x"},
	} {
		req, err := http.NewRequest(tc.method, tc.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Method+" "+r.Host)
	}
	want := []string{"GET [REDACTED].example", "X[REDACTED] api.elevenlabs.io"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recorded method and host (-want +got):\n%s", strings.ReplaceAll(diff, testKey, "<key>"))
	}
}

// TestPathsHideKeys: a path segment that holds a key (one the server
// accepts, or the request's own xi-api-key), escaped or not, is recorded
// as [REDACTED]; the rest of the path is kept as sent.
func TestPathsHideKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, elevenlabstest.WithAPIKeys(testKey, "second-key-4a1f"))
	for _, tc := range []struct{ path, header string }{
		{"/v1/convai/secrets/" + testKey, testKey},
		{"/v1/convai/secrets/second%2Dkey%2D4a1f", testKey},
		{"/v1/unaccepted-key-77/secrets/sec_x", "unaccepted-key-77"},
		{"/v1/convai/secrets/sec%20x", testKey},
		{"/v1/convai/secrets/prefix-" + testKey, testKey},                 // a key inside a segment
		{"/v1/convai/secrets/id%3D" + testKey + "%3Bx", "other-key-9c3e"}, // escaped around it
	} {
		get(t, srv, tc.path, tc.header)
	}
	want := []string{"/v1/convai/secrets/[REDACTED]", "/v1/convai/secrets/[REDACTED]", "/v1/[REDACTED]/secrets/sec_x", "/v1/convai/secrets/sec%20x",
		"/v1/convai/secrets/[REDACTED]", "/v1/convai/secrets/[REDACTED]"}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Path)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		hide := strings.NewReplacer(testKey, "<key>", "second%2Dkey%2D4a1f", "<key>", "unaccepted-key-77", "<key>")
		t.Errorf("recorded paths (-want +got):\n%s", hide.Replace(diff))
	}

	// A key shorter than MinScrubbedKeyLen is a placeholder: hiding it
	// would blank ordinary segments.
	short := start(t, elevenlabstest.WithAPIKeys("test"))
	get(t, short, "/v1/convai/secrets/test?q=test", "test")
	if r := short.Requests(); len(r) != 1 || r[0].Path != "/v1/convai/secrets/test" || r[0].RawQuery != "q=test" {
		t.Errorf("recorded %+v, want the path and query as sent", r)
	}
}

func TestClearRequests(t *testing.T) {
	t.Parallel()
	srv := start(t)
	get(t, srv, "/v1/convai/secrets/sec_a", testKey)
	get(t, srv, "/v1/convai/secrets/sec_b", testKey)
	srv.ClearRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests after ClearRequests, want 0", n)
	}
	get(t, srv, "/v1/convai/secrets/sec_c", testKey)
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
	}
	if diff := cmp.Diff([]string{"/v1/convai/secrets/sec_c"}, paths); diff != "" {
		t.Errorf("requests after ClearRequests and one more (-want +got):\n%s", diff)
	}
}
