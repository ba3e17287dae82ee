package elevenlabs

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
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
		timeout = 2 * time.Second
		idle    = timeout / 2                        // before the request: half the deadline gone
		delay   = timeout*3/4 - 300*time.Millisecond // within the guarantee; past a deadline set when idle began
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

			tr := defaultTransport(timeout)
			// Keep the connection pooled, without HTTP/2 PINGs (whose
			// answers would move the deadline too): this test is about the
			// request's effect on the read deadline.
			tr.IdleConnTimeout, tr.HTTP2 = 0, nil
			tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
			t.Cleanup(tr.CloseIdleConnections)
			c, err := New(WithAPIKey("test-key-0123456789"), WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}), WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
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

// TestDefaultTransportClosesIdleConnectionsFirst: the default transport
// closes an idle connection before its read deadline (at least 3/4 of the
// read idle timeout after its last use) could fail a request sent on it,
// and checks an HTTP/2 peer's liveness with PINGs.
func TestDefaultTransportClosesIdleConnectionsFirst(t *testing.T) {
	for _, d := range []time.Duration{DefaultReadIdleTimeout, 300 * time.Millisecond, 10 * time.Minute} {
		tr := defaultTransport(d)
		if tr.IdleConnTimeout <= 0 || tr.IdleConnTimeout >= d*3/4 {
			t.Errorf("read idle timeout %s: IdleConnTimeout = %s, want above 0 and below %s", d, tr.IdleConnTimeout, d*3/4)
		}
		if h := tr.HTTP2; h == nil || h.SendPingTimeout <= 0 || h.SendPingTimeout+h.PingTimeout > d {
			t.Errorf("read idle timeout %s: HTTP2 = %+v, want a PING health check that ends within it", d, h)
		}
	}
}
