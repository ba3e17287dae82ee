package elevenlabstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// secretPath is the path of the docs example secret.
func secretPath(t testing.TB) string {
	return "/v1/convai/secrets/" + samples(t)[0].SecretID
}

func TestStatusFaults(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	normal := get(t, srv, path, testKey)
	srv.AddFaults(
		elevenlabstest.Fault{Status: 503, RetryAfter: "2"},
		elevenlabstest.Fault{Status: 429, RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"},
		elevenlabstest.Fault{Status: 500, Header: http.Header{"X-Trace": {"abc"}}, Body: []byte(`{"detail":"boom"}`)},
		elevenlabstest.Fault{Status: 401},
	)
	if n := srv.PendingFaults(); n != 4 {
		t.Fatalf("PendingFaults = %d, want 4", n)
	}
	type answer struct {
		Status               int
		RetryAfter, Trace    string
		ContentType, Body    string
		ContentLengthMatches bool
	}
	var got []answer
	for range 5 {
		x := get(t, srv, path, "") // no key: faults come first
		got = append(got, answer{x.status, x.header.Get("Retry-After"), x.header.Get("X-Trace"), x.header.Get("Content-Type"), string(x.body), x.header.Get("Content-Length") == strconv.Itoa(len(x.body))})
	}
	want := []answer{
		{503, "2", "", "application/json", `{"detail":{"status":"service_unavailable","message":"Service Unavailable"}}`, true},
		{429, "Wed, 21 Oct 2015 07:28:00 GMT", "", "application/json", `{"detail":{"status":"too_many_concurrent_requests","message":"Too many concurrent requests, please try again later."}}`, true},
		{500, "", "abc", "application/json", `{"detail":"boom"}`, true},
		{401, "", "", "application/json", `{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}`, true}, // as the API refuses a key
		{401, "", "", "application/json", `{"detail":{"status":"needs_authorization","message":"Neither authorization header nor xi-api-key received, please provide one."}}`, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("PendingFaults = %d after use, want 0", n)
	}
	if x := get(t, srv, path, testKey); x.status != 200 || !bytes.Equal(x.body, normal.body) {
		t.Errorf("after the faults: %d, want the normal 200", x.status)
	}
	if n := len(srv.Requests()); n != 7 {
		t.Errorf("%d requests recorded, want 7 (faulted ones too)", n)
	}
}

func TestRepeatedAndClearedFaults(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	srv.AddFaults(slices.Repeat([]elevenlabstest.Fault{{Status: 502}}, 3)...)
	for i := range 3 {
		if x := get(t, srv, path, testKey); x.status != 502 {
			t.Errorf("request %d: %d, want 502", i, x.status)
		}
	}
	srv.AddFaults(elevenlabstest.Fault{Status: 500}, elevenlabstest.Fault{Status: 500})
	srv.ClearFaults()
	if x := get(t, srv, path, testKey); x.status != 200 {
		t.Errorf("after ClearFaults: %d, want 200", x.status)
	}
	// The zero Fault answers normally but uses up a request.
	srv.AddFaults(elevenlabstest.Fault{}, elevenlabstest.Fault{Status: 504})
	if x := get(t, srv, path, testKey); x.status != 200 {
		t.Errorf("zero Fault: %d, want 200", x.status)
	}
	if x := get(t, srv, path, testKey); x.status != 504 {
		t.Errorf("fault after a zero Fault: %d, want 504", x.status)
	}
}

func TestFaultsAreTakenOncePerRequestUnderConcurrency(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	const n = 40
	statuses := []int{}
	for i := range n {
		statuses = append(statuses, 500+i%4)
	}
	var faults []elevenlabstest.Fault
	for _, s := range statuses {
		faults = append(faults, elevenlabstest.Fault{Status: s})
	}
	srv.AddFaults(faults...)
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	for range n + 10 {
		wg.Go(func() {
			x := get(t, srv, path, testKey)
			mu.Lock()
			got[x.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	want := map[int]int{200: 10}
	for _, s := range statuses {
		want[s]++
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestHTMLErrorPage(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddFaults(elevenlabstest.HTMLErrorPage(http.StatusBadGateway))
	x := get(t, srv, secretPath(t), testKey)
	if x.status != 502 || x.header.Get("Content-Type") != "text/html" {
		t.Fatalf("%d %s, want 502 text/html", x.status, x.header.Get("Content-Type"))
	}
	if !bytes.Contains(x.body, []byte("<title>502 Bad Gateway</title>")) || json.Valid(x.body) {
		t.Errorf("body is not an HTML 502 page: %q", x.body)
	}
}

func TestBodyFaults(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	full := get(t, srv, path, testKey).body

	srv.AddFaults(elevenlabstest.Fault{Truncate: true})
	x := get(t, srv, path, testKey)
	if x.status != 200 || !bytes.Equal(x.body, full[:len(full)/2]) || json.Valid(x.body) {
		t.Errorf("Truncate: %d with %d bytes, want 200 with the first half (%d bytes) of the body", x.status, len(x.body), len(full)/2)
	}

	srv.AddFaults(elevenlabstest.Fault{Body: []byte(`{"type": "stored", "secret_id": }`)})
	x = get(t, srv, path, testKey)
	if x.status != 200 || string(x.body) != `{"type": "stored", "secret_id": }` || x.header.Get("Content-Type") != "application/json" {
		t.Errorf("Body: %d %q %s", x.status, x.body, x.header.Get("Content-Type"))
	}

	// A truncated error answer.
	srv.AddFaults(elevenlabstest.Fault{Status: 503, Truncate: true})
	x = get(t, srv, path, testKey)
	if x.status != 503 || json.Valid(x.body) || len(x.body) == 0 {
		t.Errorf("Status+Truncate: %d %q", x.status, x.body)
	}
}

func TestDropConnection(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	full := get(t, srv, path, testKey).body
	for _, f := range []elevenlabstest.Fault{{DropConnection: true}, {Status: 500, DropConnection: true}} {
		srv.AddFaults(f)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("the status line and headers should arrive: %v", err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("reading the body: %v, want an unexpected EOF", err)
		}
		if resp.StatusCode != max(f.Status, 200) || resp.ContentLength <= int64(len(body)) || len(body) == 0 {
			t.Errorf("status %d, Content-Length %d, got %d bytes; want %d and part of a longer body", resp.StatusCode, resp.ContentLength, len(body), max(f.Status, 200))
		}
		if f.Status == 0 && (resp.ContentLength != int64(len(full)) || !bytes.Equal(body, full[:len(body)])) {
			t.Errorf("dropped 200: Content-Length %d, want %d with the start of the secret", resp.ContentLength, len(full))
		}
	}
	// The server goes on serving.
	if x := get(t, srv, path, testKey); x.status != 200 {
		t.Errorf("after a dropped connection: %d", x.status)
	}
}

// TestConnectionFaults: NoAnswer closes the connection before any
// response, Reset resets it instead (the client sees a reset, mid-body
// with DropConnection too), and Stall sends half of the body and then
// nothing, until the client gives up.
func TestConnectionFaults(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	do := func(ctx context.Context) (*http.Response, []byte, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		req.Header.Set("xi-api-key", testKey)
		// A transport of its own, without keep-alives: net/http retries a
		// request on a reused connection that closes before answering.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}

	srv.AddFaults(elevenlabstest.Fault{NoAnswer: true})
	if _, _, err := do(context.Background()); !errors.Is(err, io.EOF) {
		t.Errorf("NoAnswer: %v, want EOF before any response", err)
	}
	srv.AddFaults(elevenlabstest.Fault{NoAnswer: true, Reset: true})
	if _, _, err := do(context.Background()); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("NoAnswer+Reset: %v, want a connection reset", err)
	}
	srv.AddFaults(elevenlabstest.Fault{DropConnection: true, Reset: true})
	if resp, body, err := do(context.Background()); resp == nil || resp.StatusCode != 200 || !errors.Is(err, syscall.ECONNRESET) || int64(len(body)) >= resp.ContentLength {
		t.Errorf("DropConnection+Reset: %v, %d bytes, %v; want a 200 reset mid-body", resp, len(body), err)
	}

	srv.AddFaults(elevenlabstest.Fault{Stall: true})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	req.Header.Set("xi-api-key", testKey)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatalf("Stall: the status line and headers should arrive: %v", err)
	}
	half := make([]byte, resp.ContentLength/2)
	if _, err := io.ReadFull(resp.Body, half); err != nil {
		t.Fatalf("Stall: the first half of the body should arrive: %v", err)
	}
	read := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 1))
		read <- err
	}()
	select {
	case err := <-read:
		t.Fatalf("Stall: a read after the first half returned %v, want it to wait", err)
	case <-time.After(50 * time.Millisecond): // waiting, as it should
	}
	cancel() // the client gives up; the server lets the connection go
	if err := <-read; !errors.Is(err, context.Canceled) {
		t.Errorf("Stall: the read ended with %v, want the client's cancellation", err)
	}
	resp.Body.Close()
	// The server goes on serving.
	if x := get(t, srv, path, testKey); x.status != 200 {
		t.Errorf("after the connection faults: %d", x.status)
	}
}

// TestCloseReleasesAStalledConnection: a client without a timeout, stuck
// on a Stall fault's body, is released when the server is closed.
func TestCloseReleasesAStalledConnection(t *testing.T) {
	t.Parallel()
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData())
	if err != nil {
		t.Fatal(err)
	}
	srv.AddFaults(elevenlabstest.Fault{Stall: true})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+secretPath(t), nil)
	req.Header.Set("xi-api-key", testKey)
	resp, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	read := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(resp.Body)
		read <- err
	}()
	srv.Close()
	select {
	case err := <-read:
		if err == nil {
			t.Error("the stalled body read to its end")
		}
	case <-time.After(time.Minute): // a liveness bound
		t.Fatal("Close did not release the stalled connection")
	}
}

// TestNoAnswerOnAReusedConnection: a client whose connection served a
// request before still sees NoAnswer (net/http replays a request that a
// reused connection closes on unanswered, on a new one), with and
// without Reset; the server goes on serving.
func TestNoAnswerOnAReusedConnection(t *testing.T) {
	t.Parallel()
	srv := start(t)
	path := secretPath(t)
	client := &http.Client{Transport: &http.Transport{}}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := client.Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		return err
	}
	for _, f := range []elevenlabstest.Fault{{NoAnswer: true}, {NoAnswer: true, Reset: true}} {
		if err := get(); err != nil { // a connection to reuse
			t.Fatal(err)
		}
		srv.AddFaults(f)
		if err := get(); err == nil {
			t.Errorf("%+v on a reused connection: the client got an answer", f)
		}
		if n := srv.PendingFaults(); n != 0 {
			t.Errorf("%+v: %d faults still queued", f, n)
		}
	}
	if err := get(); err != nil {
		t.Errorf("after the faults: %v", err)
	}
	// A request net/http does not replay (a POST with a body) meets the
	// fault once, and the next request does not meet it again.
	srv.AddFaults(elevenlabstest.Fault{NoAnswer: true})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader("{}"))
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Error("a POST on a reused connection got an answer")
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("after a POST met NoAnswer: %d faults still queued", n)
	}
	if err := get(); err != nil {
		t.Errorf("the request after the POST: %v", err)
	}
}

func TestDelayThenAnswer(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddFaults(elevenlabstest.Fault{Delay: 20 * time.Millisecond, Status: 503, RetryAfter: "1"})
	x := get(t, srv, secretPath(t), testKey)
	if x.status != 503 || x.header.Get("Retry-After") != "1" {
		t.Errorf("delayed answer: %d Retry-After %q", x.status, x.header.Get("Retry-After"))
	}
	srv.AddFaults(elevenlabstest.Fault{Delay: 20 * time.Millisecond})
	if x := get(t, srv, secretPath(t), testKey); x.status != 200 {
		t.Errorf("delay alone: %d, want the normal 200", x.status)
	}
}

// waitForRequests waits until srv has recorded n requests or ctx ends.
func waitForRequests(ctx context.Context, t *testing.T, srv *elevenlabstest.Server, n int) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for len(srv.Requests()) < n {
		select {
		case <-ctx.Done():
			t.Fatalf("the server did not receive %d requests: %v", n, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestDelayEndsWithTheClient: a delay as long as the test's deadline ends
// when the client gives up, and Close does not wait for it.
func TestDelayEndsWithTheClient(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddFaults(elevenlabstest.Fault{Delay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := getInBackground(ctx, t, srv)
	waitForRequests(t.Context(), t, srv, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("client error %v, want context.Canceled", err)
	}
	srv.Close() // returns: the handler saw the client go
}

// livenessBound bounds waits for what takes milliseconds, so that a
// broken Close or delay fails the test instead of hanging it until go
// test's timeout.
const livenessBound = time.Minute

// TestDelayEndsWithClose: Close ends a pending delay; the client gets an
// error, not an answer.
func TestDelayEndsWithClose(t *testing.T) {
	t.Parallel()
	// NewServer, not Start: if Close hung, a cleanup waiting for it
	// would hang too. This one does not wait.
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { go srv.Close() })
	srv.AddFaults(elevenlabstest.Fault{Delay: time.Hour})
	// On failure, the client gives up when the test returns, which ends
	// the delay through the request's context, and with it Close.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := getInBackground(ctx, t, srv)
	waitForRequests(t.Context(), t, srv, 1)
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case err := <-errc:
		if err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("client error %v, want a connection error", err)
		}
	case <-time.After(livenessBound):
		t.Fatalf("the client had no answer %v after Close: Close did not end the delay", livenessBound)
	}
	select {
	case <-closed:
	case <-time.After(livenessBound):
		t.Fatalf("Close did not return within %v", livenessBound)
	}
}

// TestCloseDoesNotWaitForAnUnreadBody: a client that got the headers of a
// large answer and never reads the body (a test that forgot to) does not
// hang Close: after its grace period Close closes the connection.
func TestCloseDoesNotWaitForAnUnreadBody(t *testing.T) {
	t.Parallel()
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys(testKey))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { go srv.Close() })
	// Far more than socket buffers hold: the handler blocks writing it.
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: bytes.Repeat([]byte("x"), 64<<20)})
	resp, err := http.Get(srv.URL + "/v1/convai/secrets/sec_x")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close() // after Close: the body is never read before
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(livenessBound):
		t.Fatalf("Close did not return within %v while a client held an unread body", livenessBound)
	}
}

// TestStatusFaultsWithoutABody: a 422 fault answers with a spec-valid
// HTTPValidationError, a 200 fault with the answer the request earns.
func TestStatusFaultsWithoutABody(t *testing.T) {
	t.Parallel()
	srv := start(t)
	router := specRouter(t, srv)
	path := secretPath(t)

	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusUnprocessableEntity})
	x := get(t, srv, path, testKey)
	if x.status != http.StatusUnprocessableEntity || x.header.Get("Content-Type") != "application/json" {
		t.Fatalf("422 fault: %d %s", x.status, x.header.Get("Content-Type"))
	}
	checkSpec(t, router, x)
	var body struct {
		Detail []struct {
			Loc       []any
			Msg, Type string
		}
	}
	if err := json.Unmarshal(x.body, &body); err != nil || len(body.Detail) != 1 {
		t.Fatalf("422 fault body %s: %v, want one validation error", x.body, err)
	}
	if d := body.Detail[0]; !slices.Equal(d.Loc, []any{"path", "secret_id"}) || d.Msg == "" || d.Type == "" {
		t.Errorf("422 fault: validation error %+v, want one at path.secret_id with a msg and a type", d)
	}

	for _, tc := range []struct{ name, path, key string }{
		{"stored secret", path, testKey},
		{"unknown secret", "/v1/convai/secrets/sec_missing", testKey},
		{"no key", path, ""},
		{"malformed ID", "/v1/convai/secrets/sec.1", testKey},
	} {
		want := get(t, srv, tc.path, tc.key)
		srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK})
		got := get(t, srv, tc.path, tc.key)
		if got.status != want.status || !bytes.Equal(got.body, want.body) || got.header.Get("Content-Type") != want.header.Get("Content-Type") {
			t.Errorf("200 fault, %s: %d %s, want the answer without the fault: %d %s", tc.name, got.status, got.body, want.status, want.body)
		}
		if got.status == http.StatusOK || got.status == http.StatusUnprocessableEntity {
			checkSpec(t, router, got)
		}
	}
	// The 422, then a request without and one with the fault per case.
	if srv.PendingFaults() != 0 || len(srv.Requests()) != 1+2*4 {
		t.Errorf("%d faults pending, %d requests: each 200 fault should take one request", srv.PendingFaults(), len(srv.Requests()))
	}

	// With a Body, a 200 fault answers 200 with it, whatever the request.
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: []byte(`{"anything":true}`)})
	if x := get(t, srv, "/v1/convai/secrets/sec_missing", ""); x.status != http.StatusOK || string(x.body) != `{"anything":true}` {
		t.Errorf("200 fault with a Body: %d %s", x.status, x.body)
	}
}

// addFaultsPanic calls srv.AddFaults and returns what it panicked with,
// "" if it did not.
func addFaultsPanic(srv *elevenlabstest.Server, faults ...elevenlabstest.Fault) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	srv.AddFaults(faults...)
	return ""
}

// TestAddFaultsRefusesWhatHTTPCannotSend: a status net/http cannot send,
// or would send as something else, or a header that would misdescribe
// the server's own (spec-valid) body, is refused when queued, and
// nothing of that call is queued.
func TestAddFaultsRefusesWhatHTTPCannotSend(t *testing.T) {
	t.Parallel()
	srv := start(t)
	location := http.Header{"Location": {"/elsewhere"}}
	cases := []struct {
		fault elevenlabstest.Fault
		want  string
	}{
		{elevenlabstest.Fault{Status: 42}, "status 42: want 0"},
		{elevenlabstest.Fault{Status: -1}, "status -1: want 0"},
		{elevenlabstest.Fault{Status: 1000}, "status 1000: want 0"},
		{elevenlabstest.Fault{Status: 100}, "status 100: want 0"},
		{elevenlabstest.Fault{Status: 199}, "status 199: want 0"},
		{elevenlabstest.Fault{Status: 600}, "status 600: want 0"},
		{elevenlabstest.Fault{Status: 500, Header: http.Header{"content-length": {"5"}}}, "the Header sets Content-Length, which the server sets itself"},
		{elevenlabstest.Fault{Header: http.Header{"Request-Id": {"mine"}}}, "the Header sets Request-Id, which the server sets itself"},
		{elevenlabstest.Fault{Header: http.Header{"Content-Type": {"text/plain"}}}, "the Header sets Content-Type for the server's own 200 or 422 body"},
		{elevenlabstest.Fault{Status: 422, Header: http.Header{"content-type": {"text/html"}}}, "the Header sets Content-Type for the server's own 200 or 422 body"},
		{elevenlabstest.Fault{Status: 200, Header: http.Header{"Content-Encoding": {"gzip"}}}, "the Header sets Content-Encoding for the server's own 200 or 422 body"},
		{elevenlabstest.Fault{Status: 200, Header: http.Header{"Content-Type": {"application/json", "text/plain"}}}, "the Header sets Content-Type for the server's own 200 or 422 body"},
		{elevenlabstest.Fault{SecretID: "a/b", Status: 500}, `SecretID "a/b": no request path carries it`},
		{elevenlabstest.Fault{SecretID: "..", Status: 500}, `SecretID "..": no request path carries it`},
		{elevenlabstest.Fault{Status: 302}, "status 302: a redirect needs a Location"},
		{elevenlabstest.Fault{Status: 308}, "status 308: a redirect needs a Location"},
		{elevenlabstest.Fault{Status: 204, Body: []byte("x")}, "status 204 has no body"},
		{elevenlabstest.Fault{Status: 204, Truncate: true}, "status 204 has no body"},
		{elevenlabstest.Fault{Status: 304, Header: location, Body: []byte{}}, "status 304 has no body"},
		{elevenlabstest.Fault{DropConnection: true, NoAnswer: true}, "at most one of DropConnection, Stall and NoAnswer"},
		{elevenlabstest.Fault{Stall: true, DropConnection: true}, "at most one of DropConnection, Stall and NoAnswer"},
		{elevenlabstest.Fault{Reset: true}, "fault with Reset: it applies to the connection DropConnection or NoAnswer closes"},
		{elevenlabstest.Fault{Reset: true, Stall: true}, "fault with Reset: it applies to the connection DropConnection or NoAnswer closes"},
	}
	for _, tc := range cases {
		msg := addFaultsPanic(srv, elevenlabstest.Fault{Status: 503}, tc.fault)
		if want := "elevenlabstest: AddFaults: fault 1: " + tc.want; !strings.HasPrefix(msg, want) {
			t.Errorf("AddFaults(503, %+v) panicked with %q, want %q...", tc.fault, msg, want)
		}
		if n := srv.PendingFaults(); n != 0 {
			t.Fatalf("%d faults queued by a refused call, want none", n)
		}
	}
}

// TestHeadersThatKeepBodiesTrue: a fault may set Content-Type or
// Content-Encoding where the body it leaves is not the server's own
// spec-valid 200 or 422: another status, a Body of its own, a body it
// breaks; and a JSON Content-Type with parameters on the server's own.
func TestHeadersThatKeepBodiesTrue(t *testing.T) {
	t.Parallel()
	srv := start(t)
	for _, f := range []elevenlabstest.Fault{
		{Status: 503, Header: http.Header{"Content-Type": {"text/plain"}}},
		{Status: 200, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}},
		{Header: http.Header{"Content-Type": {"Application/JSON"}}},
		{Truncate: true, Header: http.Header{"Content-Encoding": {"gzip"}}},
		{DropConnection: true, Header: http.Header{"Content-Type": {"text/plain"}}},
		{Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("ok")},
	} {
		if msg := addFaultsPanic(srv, f); msg != "" {
			t.Errorf("AddFaults(%+v) panicked: %s", f, msg)
		}
	}
	srv.ClearFaults()
}

// TestHTMLErrorPageIsAnError: an error page under a status that is not
// an error (none, a success, a redirect, beyond HTTP's) is a mistake in
// the test, refused where it is made.
func TestHTMLErrorPageIsAnError(t *testing.T) {
	t.Parallel()
	for _, status := range []int{0, 200, 302, 399, 600, 700} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			elevenlabstest.HTMLErrorPage(status)
			return
		}()
		if want := fmt.Sprintf("elevenlabstest: HTMLErrorPage: status %d is not an error status (400 to 599)", status); msg != want {
			t.Errorf("HTMLErrorPage(%d) panicked with %q, want %q", status, msg, want)
		}
	}
	for _, status := range []int{400, 502, 599} {
		if f := elevenlabstest.HTMLErrorPage(status); f.Status != status {
			t.Errorf("HTMLErrorPage(%d).Status = %d", status, f.Status)
		}
	}
}

// TestStatusFaultsWithoutAnErrorBody: a 2xx other than 200, or a
// redirect, answers with an empty body (never an error body under a
// success status); 599 is still an error.
func TestStatusFaultsWithoutAnErrorBody(t *testing.T) {
	t.Parallel()
	srv := start(t)
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cases := []struct {
		fault                elevenlabstest.Fault
		contentType, body    string
		location, retryAfter string
	}{
		{fault: elevenlabstest.Fault{Status: 201}},
		{fault: elevenlabstest.Fault{Status: 204}},
		{fault: elevenlabstest.Fault{Status: 299}},
		{fault: elevenlabstest.Fault{Status: 302, Header: http.Header{"Location": {"/elsewhere"}}}, location: "/elsewhere"},
		{fault: elevenlabstest.Fault{Status: 307, RetryAfter: "1", Header: http.Header{"Location": {"https://other.example/"}}}, location: "https://other.example/", retryAfter: "1"},
		{fault: elevenlabstest.Fault{Status: 304}},
		{fault: elevenlabstest.Fault{Status: 300}},
		{fault: elevenlabstest.Fault{Status: 202, Body: []byte(`{"queued":true}`)}, contentType: "application/json", body: `{"queued":true}`},
		{fault: elevenlabstest.Fault{Status: 599}, contentType: "application/json", body: `{"detail":{"status":"status_599","message":"Status 599"}}`},
	}
	for _, tc := range cases {
		srv.AddFaults(tc.fault)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+secretPath(t), nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatalf("status %d: %v", tc.fault.Status, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("status %d: reading the body: %v", tc.fault.Status, err)
		}
		type answer struct {
			Status                                  int
			ContentType, Body, Location, RetryAfter string
		}
		got := answer{resp.StatusCode, resp.Header.Get("Content-Type"), string(body), resp.Header.Get("Location"), resp.Header.Get("Retry-After")}
		want := answer{tc.fault.Status, tc.contentType, tc.body, tc.location, tc.retryAfter}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("status %d fault (-want +got):\n%s", tc.fault.Status, diff)
		}
	}
}

// TestDropConnectionWithoutABody: an answer that has no body, to a HEAD
// or as a 204, is cut in its headers, so the client sees the fault
// rather than a whole answer (and, before, half a body arriving
// unasked on the connection).
func TestDropConnectionWithoutABody(t *testing.T) {
	t.Parallel()
	srv := start(t)
	for _, tc := range []struct {
		method string
		fault  elevenlabstest.Fault
	}{
		{http.MethodHead, elevenlabstest.Fault{DropConnection: true}},
		{http.MethodHead, elevenlabstest.Fault{Status: 503, DropConnection: true}},
		{http.MethodGet, elevenlabstest.Fault{Status: 204, DropConnection: true}},
	} {
		// A new transport for each: a request that fails on a reused
		// connection may be retried on a new one, hiding the fault.
		client := &http.Client{Transport: &http.Transport{}}
		srv.AddFaults(tc.fault)
		req, _ := http.NewRequest(tc.method, srv.URL+secretPath(t), nil)
		req.Header.Set("xi-api-key", testKey)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s with %+v: got %s, want the connection dropped", tc.method, tc.fault, resp.Status)
		} else if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s with %+v: %v, want an unexpected EOF", tc.method, tc.fault, err)
		}
		client.CloseIdleConnections()
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("the server received %d requests, want 3 (none retried)", n)
	}
	if x := get(t, srv, secretPath(t), testKey); x.status != 200 {
		t.Errorf("after dropped connections: %d", x.status)
	}
}

// TestAddFaultsKeepsItsOwnCopy: changing a fault's Header or Body after
// queueing it does not change what the server sends.
func TestAddFaultsKeepsItsOwnCopy(t *testing.T) {
	t.Parallel()
	srv := start(t)
	header := http.Header{"X-Trace": {"abc"}}
	body := []byte(`{"detail":"boom"}`)
	srv.AddFaults(elevenlabstest.Fault{Status: 500, Header: header, Body: body})
	header["X-Trace"][0] = "changed"
	header.Set("X-Added", "1")
	copy(body, `{"detail":"oops"}`)
	x := get(t, srv, secretPath(t), testKey)
	if got := [3]string{x.header.Get("X-Trace"), x.header.Get("X-Added"), string(x.body)}; got != [3]string{"abc", "", `{"detail":"boom"}`} {
		t.Errorf("X-Trace %q, X-Added %q, body %s; want the fault as queued: abc, none, {\"detail\":\"boom\"}", got[0], got[1], got[2])
	}
}

// getInBackground sends a GET for a sample secret under ctx and delivers
// its error: the client's, or one saying that an answer came.
func getInBackground(ctx context.Context, t *testing.T, srv *elevenlabstest.Server) <-chan error {
	errc := make(chan error, 1)
	url := srv.URL + secretPath(t)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = errors.New("got an answer: " + resp.Status)
		}
		errc <- err
	}()
	return errc
}

// TestFaultsAimedAtASecret: a fault with a SecretID is met only by a
// request for that secret; others pass it by and meet the first fault
// aimed at them or at none, in order.
func TestFaultsAimedAtASecret(t *testing.T) {
	t.Parallel()
	srv := start(t)
	srv.AddFaults(
		elevenlabstest.Fault{SecretID: "sec_a", Status: 503},
		elevenlabstest.Fault{Status: 500},
		elevenlabstest.Fault{SecretID: "sec_b", Status: 502},
	)
	for _, step := range []struct {
		path    string
		want    int
		pending int
	}{
		{"/v1/convai/secrets/sec_b", 500, 2}, // passes sec_a's by
		{"/elsewhere", 404, 2},               // no unaimed fault left
		{"/v1/convai/secrets/sec_c", 404, 2},
		{"/v1/convai/secrets/sec_a", 503, 1},
		{"/v1/convai/secrets/sec_a", 404, 1},
		{"/v1/convai/secrets/sec_b", 502, 0},
	} {
		if x := get(t, srv, step.path, testKey); x.status != step.want {
			t.Errorf("GET %s: status %d, want %d", step.path, x.status, step.want)
		}
		if n := srv.PendingFaults(); n != step.pending {
			t.Errorf("after GET %s: %d faults pending, want %d", step.path, n, step.pending)
		}
	}
	// An ID is matched unescaped, as the request's path carries it.
	srv.AddFaults(elevenlabstest.Fault{SecretID: "a b", Status: 503})
	if x := get(t, srv, "/v1/convai/secrets/a%20b", testKey); x.status != 503 {
		t.Errorf("GET .../a%%20b: status %d, want the fault's 503", x.status)
	}
}

// TestAimedFaultsInParallel: tests sharing one server, each aiming its
// faults at its own secret, each meet exactly their own, in order.
func TestAimedFaultsInParallel(t *testing.T) {
	t.Parallel()
	srv := start(t)
	const tests, requests, faults = 8, 6, 3
	for i := range tests {
		id := fmt.Sprintf("sec_test%d", i)
		srv.AddFaults(slices.Repeat([]elevenlabstest.Fault{{SecretID: id, Status: 500 + i}}, faults)...)
	}
	// status sends one GET for id (t.Fatal is for the test's goroutine).
	status := func(id string) int {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/convai/secrets/"+id, nil)
		if err != nil {
			return -1
		}
		req.Header.Set("xi-api-key", testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return -1
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	var wg sync.WaitGroup
	got := make([][]int, tests)
	for i := range tests {
		wg.Go(func() {
			for range requests {
				got[i] = append(got[i], status(fmt.Sprintf("sec_test%d", i)))
			}
		})
	}
	wg.Wait()
	for i, statuses := range got {
		want := append(slices.Repeat([]int{500 + i}, faults), slices.Repeat([]int{404}, requests-faults)...)
		if !slices.Equal(statuses, want) {
			t.Errorf("test %d met %v, want %v", i, statuses, want)
		}
	}
}
