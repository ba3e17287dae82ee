package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadIdleDeadlineRestartsWithEachRequest: net/http keeps reading
// from a pooled connection while it is idle, so the read that receives a
// response was started (and its deadline set) long before the request
// went out. Writing the request must move that deadline: a response that
// comes within 3/4 of the read idle timeout of the request succeeds on the
// reused connection, and is asked for once, however long the connection
// idled before (here: long enough that a deadline set when it went idle
// would fail the read).
func TestReadIdleDeadlineRestartsWithEachRequest(t *testing.T) {
	const (
		// Margins of 15% of the timeout (600ms) both ways, for a loaded
		// CI machine: the response comes 15% before the guarantee ends,
		// and 10% after a deadline set when idling began.
		timeout = 4 * time.Second
		idle    = timeout / 2                  // before the request: half the deadline gone
		delay   = timeout*3/4 - timeout*15/100 // within the guarantee; past a deadline set when idle began
	)
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			var requests, conns atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Proto != proto {
					t.Errorf("request over %s, want %s", r.Proto, proto)
				}
				if requests.Add(1) == 2 {
					time.Sleep(delay)
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"type":"stored","secret_id":"sec_1","name":"n","used_by":{"tools":[],"agents":[],"others":[],"phone_numbers":[]}}`))
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.EnableHTTP2 = proto == "HTTP/2.0"
			srv.StartTLS()
			t.Cleanup(srv.Close)

			c := defaultTransportClient(t, srv, timeout, func(tr *http.Transport) {
				tr.IdleConnTimeout = 0 // keep the connection pooled: this test is about its read deadline
			})
			for i := range 2 {
				if i == 1 {
					time.Sleep(idle)
				}
				if _, err := c.GetSecret(context.Background(), "sec_1"); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			if n := requests.Load(); n != 2 {
				t.Errorf("server got %d requests for 2 calls, want 2", n)
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("%d connections, want 1 (the second call must reuse the first's)", n)
			}
		})
	}
}

// TestReadIdleTimeoutOverHTTP2SendsOnce: over HTTP/2, the API's
// protocol, a server that stops answering on a connection the client
// reuses gets the request once: the read idle timeout ends the attempt
// and net/http does not send it again (over HTTP/1 it may, once:
// TestReadIdleTimeoutOnAReusedHTTP1Connection).
func TestReadIdleTimeoutOverHTTP2SendsOnce(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			t.Errorf("request over %s, want HTTP/2", r.Proto)
		}
		if requests.Add(1) > 1 {
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"type":"stored","secret_id":"sec_1","name":"n","used_by":{"tools":[],"agents":[],"others":[],"phone_numbers":[]}}`))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := defaultTransportClient(t, srv, 300*time.Millisecond, nil) // no retries
	if _, err := c.GetSecret(context.Background(), "sec_1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // far past the timeout: a hang
	defer cancel()
	_, err := c.GetSecret(ctx, "sec_1")
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the read idle timeout", err)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("server got %d requests for 2 calls without retries, want 2", n)
	}
}

// TestRequestAfterUnansweredWriteAndIdling: over HTTP/2, a call
// cancelled after its headers makes the client's last write a stream
// reset, which expects no answer; a request after the connection then
// idles still gets 3/4 of the read idle timeout for its response (the
// default transport closes connections idle for a quarter of it, so the
// request does not go onto one whose deadline has been running).
func TestRequestAfterUnansweredWriteAndIdling(t *testing.T) {
	const timeout = 2 * time.Second // margins of 400ms, for a loaded CI machine
	var requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch requests.Add(1) {
		case 2: // headers, then nothing until the caller cancels
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		case 3:
			time.Sleep(timeout * 55 / 100) // within the 3/4, with a margin; past a deadline set by call 2's write
		}
		w.Write([]byte(`{"type":"stored","secret_id":"sec_1","name":"n","used_by":{"tools":[],"agents":[],"others":[],"phone_numbers":[]}}`))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := defaultTransportClient(t, srv, timeout, nil)
	start := time.Now()
	if _, err := c.GetSecret(context.Background(), "sec_1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(timeout * 35 / 100) // past a quarter: the next write moves the deadline
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(timeout*30/100, cancel)
	if _, err := c.GetSecret(ctx, "sec_1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("call 2: error = %v, want it cancelled", err)
	}
	time.Sleep(time.Until(start.Add(timeout * 105 / 100)))
	if _, err := c.GetSecret(context.Background(), "sec_1"); err != nil {
		t.Errorf("call 3, answered within 3/4 of the read idle timeout: %v", err)
	}
}

// TestDefaultTransportClosesIdleConnectionsFirst: the default transport
// closes an idle connection after at most a quarter of the read idle
// timeout, so that a request never goes onto a connection whose deadline
// has less than 3/4 of it left.
func TestDefaultTransportClosesIdleConnectionsFirst(t *testing.T) {
	for _, d := range []time.Duration{DefaultReadIdleTimeout, 300 * time.Millisecond, 10 * time.Minute} {
		tr := defaultTransport(d)
		if tr.IdleConnTimeout <= 0 || tr.IdleConnTimeout > d/4 {
			t.Errorf("read idle timeout %s: IdleConnTimeout = %s, want above 0 and at most %s", d, tr.IdleConnTimeout, d/4)
		}
	}
}

// deadlineConn is a net.Conn whose reads return one byte and which
// records the read deadline last set.
type deadlineConn struct {
	net.Conn
	deadline time.Time
}

func (c *deadlineConn) Read(p []byte) (int, error)        { return 1, nil }
func (c *deadlineConn) Write(p []byte) (int, error)       { return len(p), nil }
func (c *deadlineConn) SetReadDeadline(t time.Time) error { c.deadline = t; return nil }

// TestIdleTimeoutConnDeadlineFollowsEachRequest: whatever reads and
// writes came before, and however long ago, a request written on the
// connection, or a byte read, leaves the read deadline 3/4 of the timeout
// away or more, and never more than the timeout.
func TestIdleTimeoutConnDeadlineFollowsEachRequest(t *testing.T) {
	const timeout = 80 * time.Millisecond
	raw := &deadlineConn{}
	c := newIdleTimeoutConn(raw, timeout)
	check := func(step string) {
		t.Helper()
		// Measured after the call: time passing only shrinks what is left.
		if left := time.Until(raw.deadline); left < timeout*3/4-timeout/8 || left > timeout {
			t.Fatalf("after %s: deadline %s away, want 3/4 to all of %s", step, left, timeout)
		}
	}
	for i, pause := range []time.Duration{0, timeout / 8, timeout / 3, 0, timeout, 2 * timeout} {
		time.Sleep(pause)
		if _, err := c.Write([]byte("GET")); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("request %d, written after %s", i+1, pause))
		time.Sleep(pause / 2)
		if _, err := c.Read(make([]byte, 1)); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("response %d, read after %s", i+1, pause/2))
	}
}

// expiringConn is a net.Conn whose first read fails as an expired read
// deadline does, and whose later reads return one byte.
type expiringConn struct {
	net.Conn
	reads int
}

func (c *expiringConn) Read(p []byte) (int, error) {
	if c.reads++; c.reads == 1 {
		return 0, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	}
	return 1, nil
}
func (c *expiringConn) SetReadDeadline(time.Time) error { return nil }

// TestIdleTimeoutConnStaysExpired: once the read deadline has ended a
// read, every later read fails the same way without reading: net/http
// reads again after a failed read (through bufio, which forgets the
// error), and each read would otherwise start a new wait.
func TestIdleTimeoutConnStaysExpired(t *testing.T) {
	raw := &expiringConn{}
	c := newIdleTimeoutConn(raw, time.Minute)
	for i := range 3 {
		n, err := c.Read(make([]byte, 1))
		var netErr net.Error
		if n != 0 || !errors.As(err, &netErr) || !netErr.Timeout() {
			t.Fatalf("read %d = %d, %v; want 0 and the timeout", i+1, n, err)
		}
	}
	if raw.reads != 1 {
		t.Errorf("%d reads reached the connection, want 1", raw.reads)
	}
}

// TestSilentHTTP2ServerFailsTheAttempt: over HTTP/2, with the default
// transport as it is, a server that keeps the connection but never
// answers fails the attempt after the read idle timeout, also while
// further requests keep streaming onto the connection (writes that the
// peer does not answer must not keep extending the wait). No context
// deadline, no WithTimeout: the liveness bound is the test's own.
func TestSilentHTTP2ServerFailsTheAttempt(t *testing.T) {
	const timeout = 400 * time.Millisecond
	for _, steady := range []bool{false, true} {
		t.Run(map[bool]string{false: "one request", true: "requests keep coming"}[steady], func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.ProtoMajor != 2 {
					t.Errorf("request over %s, want HTTP/2", r.Proto)
				}
				<-r.Context().Done()
			}))
			srv.EnableHTTP2 = true
			srv.StartTLS()
			t.Cleanup(srv.Close)
			c := defaultTransportClient(t, srv, timeout, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			first := make(chan error, 1)
			go func() { _, err := c.GetSecret(ctx, "sec_1"); first <- err }()
			limit := time.After(20 * timeout) // far past the timeout: the call hangs
			tick := time.NewTicker(timeout / 8)
			defer tick.Stop()
			for {
				select {
				case err := <-first:
					if err == nil || !strings.Contains(err.Error(), "timeout") || errors.Is(err, context.Canceled) {
						t.Fatalf("error = %v, want a read timeout", err)
					}
					return
				case <-tick.C:
					if steady {
						go c.GetSecret(ctx, "sec_2") // another request onto the silent connection
					}
				case <-limit:
					t.Fatalf("the call still waits after %v: the read idle timeout (%v) did not end it", 20*timeout, timeout)
				}
			}
		})
	}
}

// defaultTransportClient returns a Client without retries sending to the
// TLS server srv through the default transport with the given read idle
// timeout (trusting srv's certificate), changed by tune if not nil.
func defaultTransportClient(t *testing.T, srv *httptest.Server, timeout time.Duration, tune func(*http.Transport)) *Client {
	t.Helper()
	tr := defaultTransport(timeout)
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	if tune != nil {
		tune(tr)
	}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := New(WithAPIKey("test-key-0123456789"), WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}), WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBodyBufferFollowsWhatArrives: a Content-Length reserves memory only
// in step with the bytes that come, so a server that declares 8 MB and
// sends little (and many of them, on many connections) cannot make the
// client hold 8 MB each; an honest body of that size still reads in a few
// allocations, not far beyond its size. (Bytes allocated, counted by the
// runtime: deterministic, not a timing.)
func TestBodyBufferFollowsWhatArrives(t *testing.T) {
	const declared, limit = 8_000_000, 8 << 20
	cases := []struct {
		sent     int
		maxAlloc int // bytes readLimited may allocate
	}{
		{10, 2 * presize}, // the presize, rounded up to whole pages
		{100 << 10, presizeGrowth*100<<10 + 2*presize},
		{declared, 2 * declared}, // all of it: honest
	}
	for _, tc := range cases {
		body := &brokenOff{data: make([]byte, tc.sent), end: io.ErrUnexpectedEOF}
		if tc.sent == declared {
			body.end = io.EOF
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		got, err := readLimited(body, declared, limit, false)
		runtime.ReadMemStats(&m1)
		if len(got) != tc.sent {
			t.Fatalf("sent %d bytes: read %d (%v)", tc.sent, len(got), err)
		}
		if allocated := m1.TotalAlloc - m0.TotalAlloc; allocated > uint64(tc.maxAlloc) {
			t.Errorf("Content-Length %d, %d bytes sent: reading allocated %d bytes, want at most %d", declared, tc.sent, allocated, tc.maxAlloc)
		}
	}
}

// TestBodyWithoutLengthDoublesItsBuffer: a body without a Content-Length
// reads in a number of allocations logarithmic in its size, whatever the
// limit, also math.MaxInt64 ("no limit", where one byte past the limit
// overflows).
func TestBodyWithoutLengthDoublesItsBuffer(t *testing.T) {
	const size = 256 << 10
	for _, limit := range []int64{8 << 20, size, math.MaxInt64} {
		allocs := testing.AllocsPerRun(3, func() {
			got, err := readLimited(&brokenOff{data: make([]byte, size), end: io.EOF}, -1, limit, false)
			if len(got) != size || err != nil {
				t.Fatalf("limit %d: read %d bytes, %v", limit, len(got), err)
			}
		})
		// 512 B doubled to 256 KiB is 10 buffers (the body's own is one
		// more); growing a byte at a time would be a quarter million.
		if allocs > 14 {
			t.Errorf("limit %d: %0.f allocations to read a 256 KiB body, want about 11", limit, allocs)
		}
	}
}

// brokenOff is a body that gives data, in reads of at most 32 KiB as a
// connection gives them, then ends with end.
type brokenOff struct {
	data []byte
	end  error
}

func (b *brokenOff) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, b.end
	}
	n := copy(p[:min(len(p), 32<<10)], b.data)
	b.data = b.data[n:]
	return n, nil
}

// TestBodyThatNeverProgressesFails: a body (a caller's transport's) whose
// reads return neither data nor an error fails with io.ErrNoProgress, as
// bufio does, rather than spinning for ever; a few empty reads between
// data are fine.
func TestBodyThatNeverProgressesFails(t *testing.T) {
	got, err := readLimited(&emptyReads{data: []byte("ab"), every: maxEmptyReads - 1}, -1, 1<<20, false)
	if err != nil || string(got) != "ab" {
		t.Errorf("%d empty reads between bytes: read %q, %v; want \"ab\"", maxEmptyReads-1, got, err)
	}
	// In a goroutine, so that a read that spins fails the test (at a
	// liveness bound) instead of hanging it.
	done := make(chan struct{})
	go func() {
		defer close(done)
		got, err = readLimited(&emptyReads{data: []byte("ab"), every: -1}, -1, 1<<20, false)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("endless empty reads: readLimited did not return")
	}
	if !errors.Is(err, io.ErrNoProgress) || string(got) != "ab" {
		t.Errorf("endless empty reads after \"ab\": read %q, %v; want \"ab\" and io.ErrNoProgress", got, err)
	}
}

// emptyReads gives data a byte at a time with every empty reads before
// each, then EOF; every < 0: endless empty reads after data.
type emptyReads struct {
	data         []byte
	every, since int
}

func (e *emptyReads) Read(p []byte) (int, error) {
	if len(e.data) == 0 && e.every >= 0 {
		return 0, io.EOF
	}
	if e.every < 0 && len(e.data) == 0 || e.since < e.every {
		e.since++
		return 0, nil
	}
	e.since = 0
	n := copy(p[:1], e.data)
	e.data = e.data[n:]
	return n, nil
}

// TestSameHost: a Host header names the URL's host if it differs only in
// ASCII case or in writing the scheme's default port.
func TestSameHost(t *testing.T) {
	// Plain http's default port is 80.
	local := &url.URL{Scheme: "http", Host: "localhost"}
	for host, want := range map[string]bool{"localhost": true, "localhost:80": true, "localhost:443": false, "LOCALHOST:80": true} {
		if got := sameHost(host, local); got != want {
			t.Errorf("sameHost(%q, %s) = %v, want %v", host, local, got, want)
		}
	}
	u := &url.URL{Scheme: "https", Host: "api.elevenlabs.io"}
	for host, want := range map[string]bool{
		"api.elevenlabs.io":       true,
		"API.ElevenLabs.IO":       true,
		"api.elevenlabs.io:443":   true,
		"api.elevenlabs.io:8443":  false,
		"api.elevenlabs.io.":      false,
		"api.eleven\u212alabs.io": false,
		"api.\u0435levenlabs.io":  false, // Cyrillic е
		"evil.example":            false,
	} {
		if got := sameHost(host, u); got != want {
			t.Errorf("sameHost(%q, %s) = %v, want %v", host, u, got, want)
		}
	}
}
