package elevenlabs_test

// The fault suite: how the client rides out, or fails fast on, what
// networks and servers do wrong. The README's "Faults" table lists the
// same cases.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/api"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// script answers successive requests with its steps, then with fallback.
type script struct {
	mu       sync.Mutex
	steps    []http.HandlerFunc
	fallback http.Handler
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var step http.HandlerFunc
	if len(s.steps) > 0 {
		step, s.steps = s.steps[0], s.steps[1:]
	}
	s.mu.Unlock()
	if step != nil {
		step(w, r)
		return
	}
	s.fallback.ServeHTTP(w, r)
}

func steps(fallback http.Handler, steps ...http.HandlerFunc) *script {
	return &script{steps: steps, fallback: fallback}
}

func status(code int, body string, header ...string) http.HandlerFunc {
	return jsonHandler(code, body, header...).ServeHTTP
}

// resetMidBody promises a long body, sends part of it and resets the
// connection.
func resetMidBody(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(fullSecret), fullSecret[:40])
	buf.Flush()
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0) // close with RST, not FIN
	}
	conn.Close()
}

// closeBeforeAnswer reads the request and closes the connection without
// a byte of response (EOF before the status line).
func closeBeforeAnswer(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// hang never answers; it returns when the client gives up.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// stallBody sends the status line and the start of a 200 body, then
// nothing more until the client gives up.
func stallBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", fmt.Sprint(len(fullSecret)))
	w.WriteHeader(200)
	w.Write([]byte(fullSecret[:10]))
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// waits records the waits the client asks for, without sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) get() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func faultServer(t *testing.T, h http.Handler) *contract.Server {
	return contract.NewServer(t, h, nil, contract.AllowOffSpecResponses())
}

func TestFault429RetryAfterThenSuccess(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"seconds", "2", 2 * time.Second},
		{"HTTP-date", now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, steps(jsonHandler(200, fullSecret),
				status(429, `{"detail":"rate limited"}`, "Retry-After", tc.retryAfter)))
			var w waits
			c := newClient(t, srv, elevenlabs.WithRetryClockForTest(func() time.Time { return now }, w.sleep))
			s, err := c.GetSecret(context.Background(), "sec_full")
			if err != nil || s.SecretID != "sec_full" {
				t.Fatalf("GetSecret = %v, %v; want success after a retry", s, err)
			}
			if got := w.get(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("waits = %v, want [%v] from Retry-After %q", got, tc.want, tc.retryAfter)
			}
			if n := len(srv.Requests()); n != 2 {
				t.Errorf("server got %d requests, want 2", n)
			}
		})
	}
}

// TestUndecodableAnswerAfterRetriesCountsAttempts: a 503, retried, then a
// 200 that does not decode: the *DecodeError carries the attempts made,
// as an *APIError does, and its text says so.
func TestUndecodableAnswerAfterRetriesCountsAttempts(t *testing.T) {
	srv := faultServer(t, steps(jsonHandler(200, `{"secret_id":`), status(503, `{"detail":"overloaded"}`)))
	_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, (&waits{}).sleep)).GetSecret(context.Background(), "sec_full")
	var decErr *elevenlabs.DecodeError
	if !errors.As(err, &decErr) || decErr.Attempts != 2 || !strings.HasSuffix(err.Error(), "(after 2 attempts)") {
		t.Fatalf("error = %v, want a *DecodeError with Attempts 2 that says so", err)
	}
}

func TestFault503ThreeTimesThenError(t *testing.T) {
	srv := faultServer(t, jsonHandler(503, `{"detail":"overloaded"}`))
	var w waits
	c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep))
	_, err := c.GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 3 {
		t.Fatalf("error = %v, want a 503 *APIError after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q does not say how many attempts were made", err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("server got %d requests, want 3", n)
	}
	// Exponential backoff from 500ms, doubling, with ±50% jitter.
	got := w.get()
	if len(got) != 2 {
		t.Fatalf("waits = %v, want 2", got)
	}
	for i, bounds := range [][2]time.Duration{{250 * time.Millisecond, 750 * time.Millisecond}, {500 * time.Millisecond, 1500 * time.Millisecond}} {
		if got[i] < bounds[0] || got[i] > bounds[1] {
			t.Errorf("wait %d = %v, want within %v", i+1, got[i], bounds)
		}
	}
}

func TestFaultBackoffIsCapped(t *testing.T) {
	srv := faultServer(t, jsonHandler(500, `{}`))
	var w waits
	c := newClient(t, srv, elevenlabs.WithMaxRetries(12), elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if _, err := c.GetSecret(context.Background(), "sec_full"); err == nil {
		t.Fatal("want an error")
	}
	got := w.get()
	if len(got) != 12 {
		t.Fatalf("%d waits, want 12", len(got))
	}
	for _, d := range got {
		if d > 8*time.Second {
			t.Errorf("wait %v exceeds the 8s cap (all: %v)", d, got)
		}
	}
	// 500ms doubling reaches the cap's range by the fifth wait: from then
	// on every wait lies in 8/3s..8s.
	for i, d := range got[4:] {
		if d < 8*time.Second/3 {
			t.Errorf("wait %d = %v, want it in the cap's range 8/3s..8s (all: %v)", i+5, d, got)
		}
	}
}

// TestWithBackoffSetsTheWaits: WithBackoff's start and cap replace the
// defaults: the first wait is within the jitter of initial, none exceeds
// max, and the waits reach max's range (its upper two thirds).
func TestWithBackoffSetsTheWaits(t *testing.T) {
	srv := faultServer(t, jsonHandler(500, `{}`))
	var w waits
	c := newClient(t, srv, elevenlabs.WithMaxRetries(8), elevenlabs.WithBackoff(10*time.Millisecond, 40*time.Millisecond),
		elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if _, err := c.GetSecret(context.Background(), "sec_full"); err == nil {
		t.Fatal("want an error")
	}
	got := w.get()
	if len(got) != 8 || got[0] < 5*time.Millisecond || got[0] > 15*time.Millisecond || slices.Min(got[2:]) < 40*time.Millisecond/3 {
		t.Errorf("waits %v: want 8, the first within 10ms±50%%, from the third on in 40ms's range (40/3ms..40ms)", got)
	}
	for _, d := range got {
		if d > 40*time.Millisecond {
			t.Errorf("wait %v exceeds the 40ms cap (all: %v)", d, got)
		}
	}
}

// TestFaultCorruptGzipBodyNotRetried: a body sent whole with
// Content-Encoding gzip that does not decompress (net/http decompresses it
// for the client) would come the same again: one attempt, an error that
// says why. A gzip body cut short is a broken connection, and retried.
func TestFaultCorruptGzipBodyNotRetried(t *testing.T) {
	var whole bytes.Buffer
	zw := gzip.NewWriter(&whole)
	zw.Write([]byte(fullSecret))
	zw.Close()
	gz := whole.Bytes()
	badChecksum := bytes.Clone(gz)
	badChecksum[len(gz)-8] ^= 0xff                                     // the CRC-32 in the trailer
	badDeflate := append(bytes.Clone(gz[:10]), 0xff, 0xff, 0xff, 0xff) // a reserved block type
	for _, tc := range []struct {
		name     string
		body     []byte
		want     string
		attempts int
	}{
		{"not gzip", []byte(fullSecret), "gzip: invalid header", 1},
		{"bad checksum", badChecksum, "gzip: invalid checksum", 1},
		{"corrupt deflate data", badDeflate, "flate: corrupt input", 1},
		{"cut short", gz[:len(gz)/2], "unexpected EOF", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "application/json")
				w.Write(tc.body)
			}))
			var w waits
			c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep))
			_, err := c.GetSecret(context.Background(), "sec_full")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one saying %q", err, tc.want)
			}
			if n := len(srv.Requests()); n != tc.attempts {
				t.Errorf("server got %d requests, want %d", n, tc.attempts)
			}
			// The server answered: a body that does not decompress is a
			// 2xx that does not decode.
			var decErr *elevenlabs.DecodeError
			if isAnswer := errors.As(err, &decErr) && decErr.StatusCode == 200; isAnswer != (tc.attempts == 1) {
				t.Errorf("error = %v: a *DecodeError of the 200: %v, want %v", err, isAnswer, tc.attempts == 1)
			}
		})
	}
}

// rawAnswer answers a request with the bytes given, as written, and
// closes the connection: for answers net/http's server would not send.
func rawAnswer(t *testing.T, answer string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString(answer)
		rw.Flush()
	}
}

// TestFaultMalformedChunkedBodyNotRetried: a 200 whose chunked framing is
// malformed would come the same again: one attempt, a *DecodeError of the
// 200 that says why (not a network error).
func TestFaultMalformedChunkedBodyNotRetried(t *testing.T) {
	srv := faultServer(t, rawAnswer(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
	var w waits
	_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
	var decErr *elevenlabs.DecodeError
	if !errors.As(err, &decErr) || decErr.StatusCode != 200 || !strings.Contains(err.Error(), "invalid byte in chunk length") {
		t.Fatalf("error = %v, want a *DecodeError of the 200 naming the framing", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

// TestBodyErrorsThatRepeat: a 200 whose chunked body ends in a malformed
// trailer, or one too long to read, would come the same again: one
// attempt, a *DecodeError of the 200 (net/http's texts for them are what
// permanentBodyError knows).
func TestBodyErrorsThatRepeat(t *testing.T) {
	for name, trailer := range map[string]string{
		"trailer without a colon": "no colon here\r\n\r\n",
		"trailer too long":        "X-Pad: " + strings.Repeat("x", 8<<10) + "\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			srv := faultServer(t, rawAnswer(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"a\":1}\r\n0\r\n"+trailer))
			var w waits
			_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
			var decErr *elevenlabs.DecodeError
			if !errors.As(err, &decErr) || decErr.StatusCode != 200 {
				t.Fatalf("error = %v, want a *DecodeError of the 200", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server got %d requests, want 1", n)
			}
		})
	}
}

// TestStatusesAbove599AreNotRetried: net/http accepts status codes up to
// 999; only 5xx among them are server errors worth another try.
func TestStatusesAbove599AreNotRetried(t *testing.T) {
	for _, code := range []int{600, 799, 999} {
		srv := faultServer(t, rawAnswer(t, fmt.Sprintf("HTTP/1.1 %d Weird\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", code)))
		var w waits
		_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
		var apiErr *elevenlabs.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != code {
			t.Fatalf("status %d: error = %v, want an *APIError with it", code, err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("status %d: server got %d requests, want 1", code, n)
		}
	}
}

// TestBackoffJitterAtTheCap: once the waits reach WithBackoff's cap they
// stay jittered below it (spread over its upper two thirds), rather than
// piling up on the cap itself, where clients that failed together would
// retry together.
func TestBackoffJitterAtTheCap(t *testing.T) {
	const capped = 30 * time.Millisecond
	// From 1ms, the interval reaches the cap after 1ms·2^5; from the cap
	// itself (WithBackoff(d, d)), at once.
	for _, initial := range []time.Duration{time.Millisecond, capped} {
		t.Run(fmt.Sprint("from ", initial), func(t *testing.T) {
			srv := faultServer(t, jsonHandler(500, `{}`))
			var w waits
			c := newClient(t, srv, elevenlabs.WithMaxRetries(80), elevenlabs.WithBackoff(initial, capped),
				elevenlabs.WithRetryClockForTest(nil, w.sleep))
			if _, err := c.GetSecret(context.Background(), "sec_full"); err == nil {
				t.Fatal("want an error")
			}
			got := w.get()
			if len(got) != 80 {
				t.Fatalf("%d waits, want 80", len(got))
			}
			// Uniform over cap/3..cap, 70 waits all above cap/2, or all
			// below 5/6 of the cap, have a chance of 0.75^70, about 2e-9,
			// each.
			atCap := got[10:]
			if lo, hi := slices.Min(atCap), slices.Max(atCap); lo < capped/3 || hi > capped || lo > capped/2 || hi < capped*5/6 {
				t.Errorf("waits at the cap range over %v..%v, want them spread over %v..%v (all: %v)", lo, hi, capped/3, capped, got)
			}
			if n := slices.Index(got, capped); n >= 0 {
				t.Errorf("wait %d is exactly the cap %v: want jitter below it (all: %v)", n+1, capped, got)
			}
		})
	}
}

func TestFaultNoRetryOn4xxOrWhenDisabled(t *testing.T) {
	srv := faultServer(t, jsonHandler(404, `{"detail":"Secret not found"}`))
	var w waits
	c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if _, err := c.GetSecret(context.Background(), "sec_x"); err == nil {
		t.Fatal("want an error")
	}
	srv503 := faultServer(t, jsonHandler(503, `{}`))
	c = newClient(t, srv503, elevenlabs.WithMaxRetries(0), elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if _, err := c.GetSecret(context.Background(), "sec_x"); err == nil {
		t.Fatal("want an error")
	}
	if len(srv.Requests()) != 1 || len(srv503.Requests()) != 1 || len(w.get()) != 0 {
		t.Errorf("requests %d and %d, waits %v; want one each and no waits", len(srv.Requests()), len(srv503.Requests()), w.get())
	}
}

// checkRetriedFault checks that a fault that leaves the client without a
// whole answer is retried: once, then success; every time, an error after
// 3 attempts that names it (want reports whether it does).
func checkRetriedFault(t *testing.T, fault http.HandlerFunc, want func(error) bool) {
	t.Run("then success", func(t *testing.T) {
		srv := faultServer(t, steps(jsonHandler(200, fullSecret), fault))
		var w waits
		s, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
		if err != nil || s.SecretID != "sec_full" {
			t.Fatalf("GetSecret = %v, %v; want success on the second attempt", s, err)
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("server got %d requests, want 2", n)
		}
	})
	t.Run("every time", func(t *testing.T) {
		srv := faultServer(t, fault)
		var w waits
		_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
		if err == nil || !strings.Contains(err.Error(), "(after 3 attempts)") || !want(err) {
			t.Fatalf("error = %v, want one naming the fault, after 3 attempts", err)
		}
		if n := len(srv.Requests()); n != 3 {
			t.Errorf("server got %d requests, want 3", n)
		}
	})
}

func TestFaultConnectionResetMidBody(t *testing.T) {
	checkRetriedFault(t, resetMidBody, func(err error) bool {
		return strings.Contains(err.Error(), "unexpected EOF") || strings.Contains(err.Error(), "connection reset")
	})
}

// TestFaultDeadlineDuringErrorBody: an error response whose body stalls
// until the caller's deadline (or its http.Client's Timeout, or
// WithTimeout) ends the read is not taken for the API's answer: the deadline decides, as for a 2xx body
// (WithTimeout's attempts are retried).
func TestFaultDeadlineDuringErrorBody(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"detail":`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	t.Run("caller's deadline", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(stall))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := newClient(t, srv).GetSecret(ctx, "sec_full")
		var apiErr *elevenlabs.APIError
		if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &apiErr) {
			t.Fatalf("error = %v, want the deadline, not an *APIError", err)
		}
	})
	t.Run("caller's http.Client.Timeout", func(t *testing.T) {
		// Its timer closes the request's Cancel channel as well as ending
		// its context, and either may end the read first: 5 calls.
		srv := faultServer(t, http.HandlerFunc(stall))
		var w waits
		c := newClient(t, srv, elevenlabs.WithHTTPClient(&http.Client{Timeout: 150 * time.Millisecond}), elevenlabs.WithRetryClockForTest(nil, w.sleep))
		for range 5 {
			_, err := c.GetSecret(context.Background(), "sec_full")
			var apiErr *elevenlabs.APIError
			if err == nil || errors.As(err, &apiErr) || !strings.Contains(err.Error(), "after 3 attempts") {
				t.Fatalf("error = %v, want the client's timeout after 3 attempts, not an *APIError", err)
			}
		}
	})
	t.Run("WithTimeout", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(stall))
		var w waits
		c := newClient(t, srv, elevenlabs.WithTimeout(200*time.Millisecond), elevenlabs.WithRetryClockForTest(nil, w.sleep))
		err := within(t, 20*time.Second, func(ctx context.Context) error {
			_, err := c.GetSecret(ctx, "sec_full")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "attempt timed out after 200ms") || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Fatalf("error = %v, want per-attempt timeouts after 3 attempts", err)
		}
	})
}

// TestFaultErrorBodyBrokenOff: an error response whose body breaks off
// (a reset, or gzip that does not decompress) is still the API's answer:
// an *APIError with its status and the part of the body read, retried as
// its status is (a 404 not, a 503 up to 3 attempts).
func TestFaultErrorBodyBrokenOff(t *testing.T) {
	const body = `{"detail":{"status":"busy","message":"try again later, please"}}`
	reset := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(err)
			}
			fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				status, http.StatusText(status), len(body), body[:40])
			buf.Flush()
			if tcp, ok := conn.(*net.TCPConn); ok {
				tcp.SetLinger(0) // close with RST, not FIN
			}
			conn.Close()
		}
	}
	notGzip := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			io.WriteString(w, "<html><body>Service Unavailable</body></html>")
		}
	}
	for _, tc := range []struct {
		name     string
		handler  http.HandlerFunc
		status   int
		attempts int
		body     string
	}{
		{"404 reset mid-body", reset(404), 404, 1, body[:40]},
		{"503 reset mid-body", reset(503), 503, 3, body[:40]},
		{"503 not gzip", notGzip(503), 503, 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, tc.handler)
			var w waits
			_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Attempts != tc.attempts {
				t.Fatalf("error = %v, want an *APIError %d after %d attempts", err, tc.status, tc.attempts)
			}
			if string(apiErr.Body) != tc.body {
				t.Errorf("Body = %q, want the part read, %q", apiErr.Body, tc.body)
			}
			if n := len(srv.Requests()); n != tc.attempts {
				t.Errorf("server got %d requests, want %d", n, tc.attempts)
			}
		})
	}
}

// TestFaultConnectionClosedBeforeAnswer: a connection closed before any
// response (EOF) is retried.
func TestFaultConnectionClosedBeforeAnswer(t *testing.T) {
	checkRetriedFault(t, closeBeforeAnswer, func(err error) bool {
		return errors.Is(err, io.EOF) && strings.Contains(err.Error(), "EOF (after 3 attempts)")
	})
}

// TestFaultHTTP2StreamReset: over HTTP/2 (which the default transport
// negotiates with the API) a stream reset by the server, before the
// response or in the middle of its body, with the connection kept, is
// retried like a connection reset.
func TestFaultHTTP2StreamReset(t *testing.T) {
	for _, midBody := range []bool{false, true} {
		t.Run(map[bool]string{false: "before the response", true: "mid-body"}[midBody], func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.ProtoMajor != 2 {
					t.Errorf("request over %s, want HTTP/2", r.Proto)
				}
				w.Header().Set("Content-Type", "application/json")
				if requests.Add(1) == 1 {
					if midBody {
						io.WriteString(w, fullSecret[:len(fullSecret)/2])
						w.(http.Flusher).Flush()
					}
					panic(http.ErrAbortHandler) // RST_STREAM, INTERNAL_ERROR
				}
				io.WriteString(w, fullSecret)
			}))
			srv.EnableHTTP2 = true
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.StartTLS()
			t.Cleanup(srv.Close)
			var w waits
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL),
				elevenlabs.WithHTTPClient(srv.Client()), elevenlabs.WithRetryClockForTest(nil, w.sleep))
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.GetSecret(context.Background(), "sec_full")
			if err != nil || s.SecretID != "sec_full" {
				t.Fatalf("GetSecret = %v, %v; want success on the second attempt", s, err)
			}
			if n := requests.Load(); n != 2 {
				t.Errorf("server got %d requests, want 2", n)
			}
		})
	}
}

func TestFaultConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var w waits
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("http://"+addr), elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_full")
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("error = %v, want connection refused after 3 attempts", err)
	}
	checkNoKey(t, "the error", err.Error())
}

func TestFaultServerNeverAnswers(t *testing.T) {
	t.Run("caller deadline", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(hang))
		c := newClient(t, srv)
		const deadline = time.Second // ample for the request to reach the server, which counts it
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		_, err := c.GetSecret(ctx, "sec_full")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v, want the context's deadline", err)
		}
		// Liveness, not speed: the call must end with its deadline, not
		// after a retry, a backoff or a 60s per-attempt timeout. It ends
		// within a millisecond of it (0.5 to 0.9ms in 30 runs under the
		// race detector beside the whole suite); the margin allows for a
		// loaded machine.
		if elapsed := time.Since(start); elapsed > deadline+500*time.Millisecond {
			t.Errorf("GetSecret returned %v after its %v deadline", elapsed-deadline, deadline)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("server got %d requests, want 1 (no retry past the deadline)", n)
		}
	})
	t.Run("per-attempt timeout", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(hang))
		var w waits
		// 250ms: long enough for each request to reach the server on a
		// loaded machine (the test counts them).
		c := newClient(t, srv, elevenlabs.WithTimeout(250*time.Millisecond), elevenlabs.WithRetryClockForTest(nil, w.sleep))
		_, err := c.GetSecret(context.Background(), "sec_full")
		if err == nil || !strings.Contains(err.Error(), "attempt timed out after 250ms") || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Fatalf("error = %v, want per-attempt timeouts after 3 attempts", err)
		}
		if n := len(srv.Requests()); n != 3 {
			t.Errorf("server got %d requests, want 3", n)
		}
	})
}

// TestFaultSwitchingProtocols: a 101 answer (net/http hands back the
// connection itself as its body, which the request's context does not
// stop reading) ends the call at once as an *APIError, rather than
// waiting on the connection for a body.
func TestFaultSwitchingProtocols(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = http.ReadRequest(bufio.NewReader(conn))
		_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
		<-done // and then nothing, until the test ends
	}()
	// Were the connection read, nothing but the read idle timeout would
	// end the read, after the deadline: the call's error would be that.
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("http://"+ln.Addr().String()), elevenlabs.WithReadIdleTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // ample for one loopback exchange
	defer cancel()
	_, err = c.GetSecret(ctx, "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusSwitchingProtocols || apiErr.Attempts != 1 {
		t.Fatalf("error = %v, want an *APIError for the 101, not retried", err)
	}
}

func TestFaultSilentServerWithoutDeadline(t *testing.T) {
	// No context deadline, no WithTimeout: the default transport's read
	// idle timeout still ends each attempt, before and during the body.
	// A caller's *http.Client without a Transport gets the same guard.
	clients := map[string][]elevenlabs.Option{"default client": nil, "caller's client, no Transport": {elevenlabs.WithHTTPClient(&http.Client{})}}
	for name, h := range map[string]http.HandlerFunc{"no headers": hang, "body stalls": stallBody} {
		for clientName, opts := range clients {
			t.Run(name+"/"+clientName, func(t *testing.T) {
				srv := faultServer(t, h)
				var w waits
				c := newClient(t, srv, append(opts, elevenlabs.WithMaxRetries(1), elevenlabs.WithReadIdleTimeout(300*time.Millisecond), elevenlabs.WithRetryClockForTest(nil, w.sleep))...)
				err := within(t, 20*time.Second, func(ctx context.Context) error {
					_, err := c.GetSecret(ctx, "sec_full")
					return err
				})
				if err == nil || !strings.Contains(err.Error(), "timeout") || !strings.Contains(err.Error(), "after 2 attempts") {
					t.Fatalf("error = %v, want a read timeout after 2 attempts", err)
				}
				if n := len(srv.Requests()); n != 2 {
					t.Errorf("server got %d requests, want 2", n)
				}
			})
		}
	}
}

// TestFaultSilentInTheMiddleOfTheHeaders: a server that sends part of
// its status line or headers and then nothing fails the attempt with a
// timeout that the README's one check finds (net/http wraps it as a
// broken connection), retried as one. (That an attempt ends after one
// wait, not one per read net/http makes, is TestIdleTimeoutConnStaysExpired's
// check. A server that stops within its first few bytes, "H", can get a
// malformed response from net/http instead: see the README's Faults.)
func TestFaultSilentInTheMiddleOfTheHeaders(t *testing.T) {
	for _, partial := range []string{"HTTP/1.1 200 O", "HTTP/1.1 200 OK\r\nX-A: b", "HTTP/1.1 100 Continue\r\n"} {
		t.Run(strconv.Quote(partial), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			t.Cleanup(func() { close(done); ln.Close() })
			var requests atomic.Int32
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					go func() {
						defer conn.Close()
						if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
							return
						}
						requests.Add(1)
						_, _ = io.WriteString(conn, partial)
						<-done
					}()
				}
			}()
			var w waits
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("http://"+ln.Addr().String()),
				elevenlabs.WithReadIdleTimeout(100*time.Millisecond), elevenlabs.WithMaxRetries(1), elevenlabs.WithRetryClockForTest(nil, w.sleep))
			if err != nil {
				t.Fatal(err)
			}
			err = within(t, 20*time.Second, func(ctx context.Context) error {
				_, err := c.GetSecret(ctx, "sec_full")
				return err
			})
			var netErr net.Error
			if !errors.As(err, &netErr) || !netErr.Timeout() || !strings.Contains(err.Error(), "after 2 attempts") {
				t.Fatalf("error = %v, want a timeout after 2 attempts", err)
			}
			if n := requests.Load(); n != 2 {
				t.Errorf("server got %d requests, want 2", n)
			}
		})
	}
}

// TestReadIdleTimeoutOnAReusedHTTP1Connection: on a reused HTTP/1
// connection, a server that does not answer within the read idle timeout
// fails each attempt with a timeout, after the retries asked for; within
// an attempt it gets the GET at most twice, as DefaultReadIdleTimeout's
// doc says (net/http's own resend of an idempotent request whose reused
// connection failed: TestReadIdleTimeoutOverHTTP2SendsOnce shows the
// API's protocol does not resend).
func TestReadIdleTimeoutOnAReusedHTTP1Connection(t *testing.T) {
	for _, retries := range []int{0, 2} {
		t.Run(fmt.Sprintf("%d retries", retries), func(t *testing.T) {
			var calls atomic.Int32
			srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					w.Header().Set("Content-Type", "application/json")
					io.WriteString(w, fullSecret)
					return
				}
				hang(w, r)
			}))
			var w waits
			c := newClient(t, srv, elevenlabs.WithMaxRetries(retries), elevenlabs.WithReadIdleTimeout(200*time.Millisecond), elevenlabs.WithRetryClockForTest(nil, w.sleep))
			if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
				t.Fatal(err) // the connection the next call reuses
			}
			err := within(t, 20*time.Second, func(ctx context.Context) error {
				_, err := c.GetSecret(ctx, "sec_full")
				return err
			})
			var netErr net.Error
			if !errors.As(err, &netErr) || !netErr.Timeout() {
				t.Fatalf("error = %v, want a timeout", err)
			}
			attempts := retries + 1
			if n := len(srv.Requests()) - 1; n < attempts || n > 2*attempts {
				t.Errorf("server got %d requests for %d attempts, want %d to %d", n, attempts, attempts, 2*attempts)
			}
			if attempts > 1 && !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", attempts)) {
				t.Errorf("error = %v, want it to say after %d attempts", err, attempts)
			}
		})
	}
}

// TestEveryTimeoutIsANetErrorTimeout: whichever bound ends a call (the
// caller's deadline, WithTimeout, the read idle timeout) and wherever
// (before the status line or during the body), the README's one check
// finds a timeout; a cancelled context is not one.
func TestEveryTimeoutIsANetErrorTimeout(t *testing.T) {
	const short = 300 * time.Millisecond // ample for a loopback request to reach the server
	bounds := map[string]struct {
		opts     []elevenlabs.Option
		deadline bool
	}{
		"caller's deadline": {deadline: true},
		"WithTimeout":       {opts: []elevenlabs.Option{elevenlabs.WithTimeout(short)}},
		"read idle timeout": {opts: []elevenlabs.Option{elevenlabs.WithReadIdleTimeout(short)}},
	}
	for boundName, bound := range bounds {
		for where, h := range map[string]http.HandlerFunc{"no headers": hang, "body stalls": stallBody} {
			t.Run(boundName+"/"+where, func(t *testing.T) {
				srv := faultServer(t, h)
				c := newClient(t, srv, append(bound.opts, elevenlabs.WithMaxRetries(0))...)
				err := within(t, 20*time.Second, func(ctx context.Context) error {
					if bound.deadline {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, short)
						defer cancel()
					}
					_, err := c.GetSecret(ctx, "sec_full")
					return err
				})
				var netErr net.Error
				if !errors.As(err, &netErr) || !netErr.Timeout() {
					t.Fatalf("error = %v (%T), want one that errors.As finds a net.Error with Timeout() true in", err, err)
				}
			})
		}
	}
	t.Run("cancelled context", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(hang))
		c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for len(srv.Requests()) == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, err := c.GetSecret(ctx, "sec_full")
		var netErr net.Error
		if !errors.Is(err, context.Canceled) || errors.As(err, &netErr) && netErr.Timeout() {
			t.Fatalf("error = %v, want context.Canceled and no timeout", err)
		}
	})
}

// TestContextCauseAndErrorBothMatch: a context given a cause
// (WithTimeoutCause, WithCancelCause, as errgroup's is) ends a call with an
// error that matches both the cause and the context's error, whether the
// call ended during an attempt (where net/http returns the cause alone) or
// during a wait (where the wait ends with the context's error alone); a
// deadline's is still a net.Error timeout, and the last answer is kept.
func TestContextCauseAndErrorBothMatch(t *testing.T) {
	budget := errors.New("the caller's budget ran out")
	check := func(t *testing.T, err, ctxErr error, timeout bool) {
		t.Helper()
		var netErr net.Error
		if !errors.Is(err, ctxErr) || !errors.Is(err, budget) || (errors.As(err, &netErr) && netErr.Timeout()) != timeout {
			t.Errorf("error %v: errors.Is %v = %v, errors.Is the cause = %v, timeout = %v; want true, true, %v",
				err, ctxErr, errors.Is(err, ctxErr), errors.Is(err, budget), errors.As(err, &netErr) && netErr.Timeout(), timeout)
		}
	}
	t.Run("deadline during an attempt", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(hang))
		c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
		ctx, cancel := context.WithTimeoutCause(context.Background(), 300*time.Millisecond, budget)
		defer cancel()
		_, err := c.GetSecret(ctx, "sec_full")
		check(t, err, context.DeadlineExceeded, true)
	})
	cancelOnRequest := func(srv *contract.Server, cancel context.CancelCauseFunc) {
		go func() {
			for len(srv.Requests()) == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond) // the answer, if any, has come
			cancel(budget)
		}()
	}
	t.Run("cancelled during an attempt", func(t *testing.T) {
		srv := faultServer(t, http.HandlerFunc(hang))
		c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		cancelOnRequest(srv, cancel)
		_, err := c.GetSecret(ctx, "sec_full")
		check(t, err, context.Canceled, false)
	})
	t.Run("cancelled during a wait", func(t *testing.T) {
		srv := faultServer(t, jsonHandler(503, `{"detail":"busy"}`))
		c := newClient(t, srv, elevenlabs.WithBackoff(time.Minute, time.Minute))
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		cancelOnRequest(srv, cancel)
		_, err := c.GetSecret(ctx, "sec_full")
		check(t, err, context.Canceled, false)
		var apiErr *elevenlabs.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Errorf("error %v: want the 503 kept", err)
		}
	})
}

// within runs f and returns its error, failing the test if f is still
// running after limit: a liveness bound for tests of hang guards (limit is
// far above the expected time), so a broken guard fails with a clear
// message instead of at go test's timeout. f's context has no deadline; it
// is cancelled only once limit has passed, to end the hung call (and let
// the test server close).
func within(t *testing.T, limit time.Duration, f func(context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		cancel()
		<-done
		t.Fatalf("still running after %v: the call hangs", limit)
		return nil
	}
}

// TestFaultHostileHTMLErrorPage: an error page built to make tag
// stripping slow (megabytes of tags, unclosed scripts) costs no more than
// an ordinary one: the call returns, with a short message, long before the
// liveness bound (quadratic stripping took minutes for 1 MiB).
func TestFaultHostileHTMLErrorPage(t *testing.T) {
	const size = elevenlabs.DefaultMaxResponseBytes - 1024
	for _, unit := range []string{"<a>", "<script>", "<SCRIPT></scrip", "<", "<style><</", "<!--", `<a b="`, `<a b=">`, "< "} {
		t.Run(unit, func(t *testing.T) {
			page := strings.Repeat(unit, size/len(unit))
			srv := faultServer(t, jsonHandler(502, page, "Content-Type", "text/html"))
			c := newClient(t, srv, elevenlabs.WithMaxRetries(0))
			err := within(t, 30*time.Second, func(ctx context.Context) error {
				_, err := c.GetSecret(ctx, "sec_full")
				return err
			})
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || len(apiErr.Message) > 256 {
				t.Errorf("error = %.300v, want a 502 *APIError with a short message", err)
			}
		})
	}
}

// TestHTMLErrorPageText: the message of an HTML error page is its text,
// without tags, scripts or styles, whatever their case, on one line.
func TestHTMLErrorPageText(t *testing.T) {
	cases := []struct{ page, want string }{
		{"<html><SCRIPT>alert('<p>x</p>')</Script><p>Bad gateway</p></html>", "Bad gateway"},
		{"<html><head><Style>p{}</STYLE></head><body>Upstream\n<b>down</b></body>", "Upstream down"},
		{"<p>Down</p><style>p{} and the rest of the page", "Down"},
		{"<p>Down</p><script>never closed</scrip", "Down"},
		{"<h1>Oops</h1><scripts>not a script</scripts>", "Oops not a script"},
		{"<p>cut <b", "cut"},
		{"<p>Bad&nbsp;gateway &amp; more &bull; &#8212; &lt;b&gt;</p>", "Bad gateway & more • — <b>"},
		{"\ufeff<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway"},
		{"<head><!-- if (a > b) { show('pool db-7 is down') } --><title>503</title></head><p>Service Unavailable", "503 Service Unavailable"},
		{"<!-- <h1>hidden</h1> --><h1>Service &lt;Unavailable&gt;</h1>", "Service <Unavailable>"},
		{"<p>never closed <!-- comment", "never closed"},
		{`<div title="a > b" data-x='c > d'>Gateway Timeout</div>`, "Gateway Timeout"},
		{`<div title="unclosed>Gateway Timeout</div>`, ""},
		{"<p>1 < 2 and 3 <= 4</p>", "1 < 2 and 3 <= 4"},
		{`<?xml version="1.0"?><error>Bad gateway</error>`, "Bad gateway"},
		{`<img alt=it's>Gateway Timeout`, "Gateway Timeout"},
		{`<a b=c "d>Gateway Timeout`, "Gateway Timeout"},
	}
	for _, tc := range cases {
		srv := faultServer(t, jsonHandler(502, tc.page, "Content-Type", "text/html"))
		_, err := newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "sec_full")
		var apiErr *elevenlabs.APIError
		if !errors.As(err, &apiErr) || apiErr.Message != tc.want {
			t.Errorf("page %q: error %v, want the message %q", tc.page, err, tc.want)
		}
	}
}

func TestFaultOversizedBody(t *testing.T) {
	big := `{"type":"stored","secret_id":"s","name":"` + strings.Repeat("x", 1<<20) + `","used_by":{"tools":[],"agents":[],"others":[]}}`
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"with Content-Length", status(200, big)},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for i := 0; i < len(big); i += 4096 {
				w.Write([]byte(big[i:min(i+4096, len(big))]))
				w.(http.Flusher).Flush()
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, tc.h)
			_, err := newClient(t, srv, elevenlabs.WithMaxResponseBytes(64<<10)).GetSecret(context.Background(), "sec_full")
			if !errors.Is(err, elevenlabs.ErrResponseTooLarge) {
				t.Fatalf("error = %v, want ErrResponseTooLarge", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server got %d requests, want 1 (a too-large body is not retried)", n)
			}
		})
	}
}

func TestFaultTruncatedJSON(t *testing.T) {
	srv := faultServer(t, jsonHandler(200, fullSecret[:len(fullSecret)/2]))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	var decErr *elevenlabs.DecodeError
	if !errors.As(err, &decErr) || !strings.Contains(err.Error(), "unexpected end of JSON") {
		t.Fatalf("error = %v, want a *DecodeError for truncated JSON", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestFaultHTML502(t *testing.T) {
	page := "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	srv := faultServer(t, jsonHandler(502, page, "Content-Type", "text/html"))
	var w waits
	_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || apiErr.Attempts != 3 {
		t.Fatalf("error = %v, want a 502 *APIError after 3 attempts", err)
	}
	if apiErr.Message != "502 Bad Gateway nginx" {
		t.Errorf("Message = %q, want the page's text without markup (its title, repeated as its heading, once)", apiErr.Message)
	}

	// A long page is cut to a short excerpt on one line: the error stays
	// readable, the full body stays in apiErr.Body.
	long := "<html><body><h1>Bad Gateway</h1>" + strings.Repeat("<p>The upstream\nserver failed.</p>\n", 500) + "</body></html>"
	srv = faultServer(t, jsonHandler(502, long, "Content-Type", "text/html"))
	_, err = newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "sec_full")
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if n := len(apiErr.Message); n > 200+len("…") || !strings.HasPrefix(apiErr.Message, "Bad Gateway The upstream server failed.") || !strings.HasSuffix(apiErr.Message, "…") {
		t.Errorf("Message (%d bytes) = %q, want the start of the text, cut at 200 bytes and marked", n, apiErr.Message)
	}
	if strings.ContainsAny(err.Error(), "\n<>") || len(err.Error()) > 400 {
		t.Errorf("error text is not a short line: %q", err)
	}
	if len(apiErr.Body) != len(long) {
		t.Errorf("Body has %d bytes, want all %d", len(apiErr.Body), len(long))
	}
}

func TestFaultRedirectToAnotherOrigin(t *testing.T) {
	other := faultServer(t, jsonHandler(200, fullSecret))
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	if !errors.Is(err, elevenlabs.ErrRedirectRefused) {
		t.Fatalf("error = %v, want the redirect refused", err)
	}
	if len(other.Requests()) != 0 || len(srv.Requests()) != 1 {
		t.Errorf("requests: origin %d, other %d; want 1 and 0", len(srv.Requests()), len(other.Requests()))
	}
}

// TestRedirectToUnprintableHostIsEscaped: a Location whose host holds a
// bidi or C1 control is refused, and the error writes them as Go escapes
// instead of carrying them raw to a terminal.
func TestRedirectToUnprintableHostIsEscaped(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://\u202eevil\u009b.example/v1")
		w.WriteHeader(http.StatusFound)
	}))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	if !errors.Is(err, elevenlabs.ErrRedirectRefused) || !strings.Contains(err.Error(), `refusing redirect to another origin: https://\u202eevil\u009b.example`) {
		t.Fatalf("error = %v, want the redirect refused, naming the origin escaped", err)
	}
	if strings.ContainsAny(err.Error(), "\u202e\u009b") {
		t.Errorf("error %q carries the controls raw", err)
	}
}

// TestRedirectQueryStaysOutOfErrors: after a same-origin redirect, the
// URL an error names is the server's choice; its query (raw controls,
// or a credential) is left out, and its path is escaped.
func TestRedirectQueryStaysOutOfErrors(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/convai/secrets/sec_full" {
			w.Header().Set("Location", "/v1/convai/secrets/sec_\u202eback?x=\u202e\u009b31m&token=secret-token")
			w.WriteHeader(http.StatusFound)
			return
		}
		jsonHandler(404, `{"detail":"nope"}`).ServeHTTP(w, r)
	}))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("error = %v, want the 404 after the redirect", err)
	}
	if want := srv.URL + "/v1/convai/secrets/sec_%E2%80%AEback"; apiErr.URL != want {
		t.Errorf("APIError.URL = %q, want %q", apiErr.URL, want)
	}
	if strings.ContainsAny(err.Error(), "\u202e\u009b") || strings.Contains(err.Error(), "secret-token") {
		t.Errorf("error %q carries the redirect's query", err)
	}
}

// TestKeyInAnyCaseOrEscapedStaysOutOfErrors: a server that echoes the key
// upper-cased (in the body, a header, the request id), or redirects to a
// host that holds it (a host comes back lower-cased) or to a path that
// spells it with escapes, gets none of it into the error's text, its
// fields or the log.
func TestKeyInAnyCaseOrEscapedStaysOutOfErrors(t *testing.T) {
	const key = "sk_MixedCase0123456789abcdefABCDEF"
	upper := strings.ToUpper(key)
	// spells reports whether s holds the key, in any case, escaped or not.
	spells := func(s string) bool {
		s = strings.NewReplacer(`\u0073`, "s", "&#115;", "s").Replace(s)
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		return strings.Contains(strings.ToLower(s), strings.ToLower(key))
	}
	for _, tc := range []struct {
		name    string
		h       http.Handler
		wantURL string // the APIError's URL, after the server's path
	}{
		{"echoed upper-cased", jsonHandler(401, `{"detail":{"status":"invalid_api_key","message":"no such key: `+upper+`"}}`,
			"X-Echo", "key="+upper, "request-id", upper), "/v1/convai/secrets/sec_full"},
		{"echoed escaped", jsonHandler(500, `{"error":"no such key: \u0073`+key[1:]+`"}`,
			"X-Echo", "&#115;"+key[1:], "request-id", "%73"+key[1:], "X-"+key, "as a header's name"), "/v1/convai/secrets/sec_full"},
		{"redirect to a host that holds it", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://"+key+".evil.example/x")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}), ""},
		{"redirect to a path that spells it with escapes", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/convai/secrets/sec_full" {
				w.Header().Set("Location", "/v1/convai/secrets/%73"+key[1:])
				w.WriteHeader(http.StatusFound)
				return
			}
			jsonHandler(404, `{"detail":"nope"}`).ServeHTTP(w, r)
		}), ""}, // refused (TestFaultSameOriginRedirectWithTheKey): no APIError
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, tc.h)
			var log bytes.Buffer
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(key), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithRetryClockForTest(nil, (&waits{}).sleep),
				elevenlabs.WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetSecret(context.Background(), "sec_full")
			if err == nil {
				t.Fatal("GetSecret succeeded")
			}
			texts := map[string]string{"the error": err.Error(), "the log": log.String()}
			var apiErr *elevenlabs.APIError
			if errors.As(err, &apiErr) {
				texts["APIError.URL"], texts["APIError.Message"], texts["APIError.RequestID"] = apiErr.URL, apiErr.Message, apiErr.RequestID
				texts["APIError.Body"], texts["APIError.Header"] = string(apiErr.Body), fmt.Sprint(apiErr.Header)
				if want := srv.URL + tc.wantURL; apiErr.URL != want {
					t.Errorf("APIError.URL = %q, want %q", apiErr.URL, want)
				}
			} else if tc.wantURL != "" {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			for what, text := range texts {
				if spells(text) {
					t.Errorf("%s holds the API key (in another case or escaped)", what)
				}
			}
		})
	}
}

// TestFaultSameOriginRedirectWithTheKey: a redirect within the origin to
// a URL that spells the API key (in the path, escaped or not, or in the
// query) is not followed: the key would travel in the request line, into
// access logs. The server gets the one request, and the error, which does
// not show the key, wraps ErrRedirectRefused.
func TestFaultSameOriginRedirectWithTheKey(t *testing.T) {
	escaped := "%" + fmt.Sprintf("%02X", testKey[0]) + testKey[1:]
	for name, location := range map[string]string{
		"path":         "/v1/convai/secrets/" + testKey,
		"escaped path": "/v1/convai/secrets/" + escaped,
		"query":        "/v1/convai/secrets/sec_full?k=" + testKey,
	} {
		t.Run(name, func(t *testing.T) {
			srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", location)
				w.WriteHeader(http.StatusFound)
			}))
			_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
			if !errors.Is(err, elevenlabs.ErrRedirectRefused) || !strings.Contains(err.Error(), "refusing redirect to a URL that holds the API key") {
				t.Fatalf("error = %v, want the redirect refused for the key", err)
			}
			checkNoKey(t, "the error", err.Error())
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server got %d requests, want 1 (the redirect not followed, not retried)", n)
			}
		})
	}
}

// TestFaultSameOriginRedirectWithTheKeyInAFragment: a fragment is not
// sent, so a redirect whose fragment holds the key is followed.
func TestFaultSameOriginRedirectWithTheKeyInAFragment(t *testing.T) {
	srv := faultServer(t, steps(jsonHandler(200, fullSecret), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/v1/convai/secrets/sec_full#"+testKey)
		w.WriteHeader(http.StatusFound)
	}))
	if _, err := newClient(t, srv).GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatalf("GetSecret: %v, want the secret after the redirect", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("server got %d requests, want 2", n)
	}
}

// TestAPIErrorsHideTheKey: the generated client of Client.API has the
// same scrubbed errors as GetSecret: a refused redirect whose Location
// quotes the key does not show it.
func TestAPIErrorsHideTheKey(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://evil.example/?k="+r.Header.Get("xi-api-key"))
		w.WriteHeader(http.StatusFound)
	}))
	_, err := newClient(t, srv).API().GetSecretWithResponse(context.Background(), "sec_full", nil)
	if !errors.Is(err, elevenlabs.ErrRedirectRefused) {
		t.Fatalf("error = %v, want the redirect refused", err)
	}
	checkNoKey(t, "the error of API()", err.Error())
}

// TestLongTransportErrorIsCut: an error of the network layer that quotes
// what the server sent (here a 100 KB status code) is cut to about 1 KiB,
// in the error and in the log line, and still says what failed.
func TestLongTransportErrorIsCut(t *testing.T) {
	srv := faultServer(t, rawResponse("HTTP/1.1 "+strings.Repeat("9", 100_000)+" OK\r\nContent-Length: 0\r\n\r\n"))
	var log bytes.Buffer
	c := newClient(t, srv, elevenlabs.WithMaxRetries(0), elevenlabs.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	_, err := c.GetSecret(context.Background(), "sec_full")
	if err == nil || !strings.Contains(err.Error(), "malformed HTTP status code") {
		t.Fatalf("error = %.300v, want the malformed status line", err)
	}
	if len(err.Error()) > 1200 || log.Len() > 1600 {
		t.Errorf("error of %d bytes, log of %d bytes: want the server's text cut to about 1 KiB", len(err.Error()), log.Len())
	}
	// Cut in the middle: the end of such a message often says what failed.
	if !strings.Contains(err.Error(), "9 … 9") || !strings.HasSuffix(err.Error(), `99"`) {
		t.Errorf("error = %.1200s, want its start and its end, joined by \" … \"", err)
	}
}

// TestKeyNotSentForAnotherHostHeader: a request editor of Client.API that
// names another host in the Host header (which a shared front end routes
// by) gets the request sent without the key.
func TestKeyNotSentForAnotherHostHeader(t *testing.T) {
	got := make(chan http.Header, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		h.Set("Host", r.Host)
		got <- h
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("http://localhost"+port))
	if err != nil {
		t.Fatal(err)
	}
	setHost := func(host string) api.RequestEditorFn {
		return func(_ context.Context, req *http.Request) error {
			req.Host = host
			return nil
		}
	}
	for _, tc := range []struct {
		host    string
		withKey bool
	}{
		{"evil.example", false},
		{"localhoſt" + port, false}, // ſ folds to s in Unicode, not in host names
		{"LocalHost" + port, true},
		{"localhost", false}, // port 80: another server
	} {
		if _, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil, setHost(tc.host)); err != nil {
			t.Fatal(err)
		}
		h := <-got
		if sent := h.Get("xi-api-key") != ""; sent != tc.withKey {
			t.Errorf("Host %s: key sent %v, want %v (Host received %s)", tc.host, sent, tc.withKey, h.Get("Host"))
		}
	}
}

// TestOriginComparesASCIICase: an origin check that folded Unicode would
// take a host spelled with the Kelvin sign (U+212A, which lower-cases to
// 'k') for the base URL's: the key must not go there.
func TestOriginComparesASCIICase(t *testing.T) {
	var sent []string
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		sent = append(sent, req.URL.Host+" key="+strconv.FormatBool(req.Header.Get("xi-api-key") != ""))
		return &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader(`{"detail":"no"}`)), Request: req}, nil
	})
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://api.kelvin.example"),
		elevenlabs.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	moveTo := func(host string) api.RequestEditorFn {
		return func(_ context.Context, req *http.Request) error {
			req.URL.Host, req.Host = host, ""
			return nil
		}
	}
	for _, host := range []string{"api.Kelvin.example", "API.KELVIN.EXAMPLE"} {
		if _, err := c.API().GetSecretWithResponse(context.Background(), "sec_full", nil, moveTo(host)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"api.Kelvin.example key=false", "API.KELVIN.EXAMPLE key=true"}
	if !slices.Equal(sent, want) {
		t.Errorf("requests sent %q, want %q", sent, want)
	}
}

// TestFaultRedirectLoop: a server that keeps redirecting to itself gets
// 10 requests (as net/http's own policy allows), then the call fails with
// ErrTooManyRedirects, not retried.
func TestFaultRedirectLoop(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	if !errors.Is(err, elevenlabs.ErrTooManyRedirects) {
		t.Fatalf("error = %v, want ErrTooManyRedirects", err)
	}
	// net/http quotes the Location, a path: the error names the host too.
	if want := "stopped after 10 redirects; the last to " + srv.URL + "/v1/convai/secrets/sec_full"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
	if n := len(srv.Requests()); n != 10 {
		t.Errorf("server got %d requests, want 10", n)
	}
}

func TestFaultCanceledDuringBackoff(t *testing.T) {
	srv := faultServer(t, jsonHandler(503, `{"detail":"busy"}`, "Retry-After", "30"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := make(chan struct{})
	var once sync.Once
	realWait := func(ctx context.Context, d time.Duration) error {
		once.Do(func() { close(waiting) })
		return elevenlabs.Sleep(ctx, d)
	}
	c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, realWait))
	go func() {
		<-waiting
		cancel()
	}()
	start := time.Now()
	_, err := c.GetSecret(ctx, "sec_full")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("error = %v, want the last 503 kept", err)
	}
	if want := "context canceled while waiting to retry; last error: GET"; !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "busy (after 1 attempt)") {
		t.Errorf("error %q lacks %q", err, want)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("cancel took %v to stop a 30s wait", elapsed)
	}
}

func TestFaultRetryAfterPastDeadlineOrCap(t *testing.T) {
	for _, tc := range []struct {
		name, retryAfter string
		ctxTimeout       time.Duration
		why              string
	}{
		{"longer than the time left", "30", 10 * time.Second, "not retried: the wait of 30s before the next attempt would outlast the context's deadline"},
		{"longer than the cap", "3600", 0, "not retried: Retry-After asks for 1h0m0s, more than the 1m0s this client waits"},
		{"years ahead", time.Now().AddDate(30, 0, 0).Format(http.TimeFormat), 0, "not retried: Retry-After asks for a day or more, more than the 1m0s this client waits"},
		{"more seconds than int64 holds", "99999999999999999999", 0, "not retried: Retry-After asks for a day or more, more than the 1m0s this client waits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, jsonHandler(429, `{"detail":"slow down"}`, "Retry-After", tc.retryAfter))
			ctx := context.Background()
			if tc.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctxTimeout)
				defer cancel()
			}
			var w waits
			_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(ctx, "sec_full")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error = %v, want the 429 now", err)
			}
			if len(w.get()) != 0 || len(srv.Requests()) != 1 {
				t.Errorf("waits %v, requests %d; want no wait and one request", w.get(), len(srv.Requests()))
			}
			// Like every final error, it says how many attempts were made.
			if want := tc.why + " (after 1 attempt)"; !strings.HasSuffix(err.Error(), want) || apiErr.Attempts != 1 {
				t.Errorf("error %q (Attempts %d) does not end saying why it was not retried and after how many attempts: %q", err, apiErr.Attempts, want)
			}
		})
	}
}

// TestFaultBackoffPastDeadline: a backoff wait that would outlast the
// context's deadline ends the call at once with the last answer, saying
// why; the error is not a timeout (none happened), as GetSecret's doc says.
func TestFaultBackoffPastDeadline(t *testing.T) {
	srv := faultServer(t, jsonHandler(503, `{"detail":"busy"}`))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var w waits
	c := newClient(t, srv, elevenlabs.WithBackoff(time.Minute, time.Minute), elevenlabs.WithRetryClockForTest(nil, w.sleep))
	_, err := c.GetSecret(ctx, "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 1 {
		t.Fatalf("error = %v, want the 503 after 1 attempt", err)
	}
	if !strings.Contains(err.Error(), "would outlast the context's deadline") {
		t.Errorf("error %q does not say why it was not retried", err)
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		t.Errorf("error %q is a timeout; none happened", err)
	}
	if len(w.get()) != 0 || len(srv.Requests()) != 1 {
		t.Errorf("waits %v, requests %d; want no wait and one request", w.get(), len(srv.Requests()))
	}
}

// TestFaultNotRetriedLaterSaysAttempts: when a later attempt's failure is
// not retried (its Retry-After is over the cap), the error's text still
// says how many attempts were made, as Attempts does.
func TestFaultNotRetriedLaterSaysAttempts(t *testing.T) {
	var n atomic.Int32
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			w.Header().Set("Retry-After", "3600")
		}
		status(503, `{"detail":"busy"}`)(w, r)
	}))
	var w waits
	_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 2 {
		t.Fatalf("error = %v, want the second 503, after 2 attempts", err)
	}
	for _, want := range []string{"(after 2 attempts)", "not retried: Retry-After asks for 1h0m0s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if c := strings.Count(err.Error(), "attempt"); c != 1 {
		t.Errorf("error %q counts the attempts %d times, want once", err, c)
	}
}

func TestConnectionsAreReused(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/missing"):
			status(404, `{"detail":"Secret not found"}`)(w, r)
		case strings.HasSuffix(r.URL.Path, "/html"):
			status(500, "<html>"+strings.Repeat("oops ", 2000)+"</html>", "Content-Type", "text/html")(w, r)
		default:
			status(200, fullSecret)(w, r)
		}
	}))
	var w waits
	c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep))
	for i := 0; i < 10; i++ {
		for _, id := range []string{"sec_full", "missing", "html"} {
			_, _ = c.GetSecret(context.Background(), id)
		}
	}
	// One connection serves them all, but net/http puts a connection
	// back in its pool from another goroutine just after the body is
	// read: on a loaded machine the next call may find the pool empty
	// and dial, so up to 3 are allowed. A body left unread (the error
	// responses) would cost a connection per call: 20 or more.
	if n := srv.Connections(); n > 3 {
		t.Errorf("%d sequential calls opened %d connections, want 1 (at most 3 on a loaded machine)", len(srv.Requests()), n)
	}
}

func TestConcurrentCallsWithRetries(t *testing.T) {
	var mu sync.Mutex
	failed := map[string]bool{}
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !failed[r.URL.Path]
		failed[r.URL.Path] = true
		mu.Unlock()
		if first {
			status(503, `{"detail":"busy"}`)(w, r)
			return
		}
		id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		status(200, strings.Replace(fullSecret, `"sec_full"`, `"`+id+`"`, 1))(w, r)
	}))
	c := newClient(t, srv, elevenlabs.WithBackoff(time.Millisecond, 5*time.Millisecond))
	const n = 128
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("sec_%03d", i)
			s, err := c.GetSecret(context.Background(), id)
			if err == nil && s.SecretID != id {
				err = fmt.Errorf("asked for %s, got %s", id, s.SecretID)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(srv.Requests()); got != 2*n {
		t.Errorf("server got %d requests, want %d (one retry each)", got, 2*n)
	}
}

func TestLoggerLogsAttemptsWithoutTheKey(t *testing.T) {
	srv := faultServer(t, steps(jsonHandler(200, fullSecret),
		status(503, `{"detail":"the key `+testKey+` is overloaded"}`, "request-id", "req_1")))
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var w waits
	c := newClient(t, srv, elevenlabs.WithLogger(logger), elevenlabs.WithRetryClockForTest(nil, w.sleep))
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	checkNoKey(t, "the log", buf.String())
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2 (one per attempt)", len(lines))
	}
	for i, want := range [][]string{
		{`"level":"WARN"`, `"method":"GET"`, `"path":"/v1/convai/secrets/sec_full"`, `"attempt":1`, `"max_attempts":3`, `"status":503`, `"request_id":"req_1"`, `"wait":`, `"duration":`, `[REDACTED]`},
		{`"level":"DEBUG"`, `"attempt":2`, `"status":200`, `"duration":`},
	} {
		for _, s := range want {
			if !strings.Contains(lines[i], s) {
				t.Errorf("log line %d lacks %s", i+1, s)
			}
		}
	}
	if strings.Contains(lines[1], `"wait"`) {
		t.Error("a final attempt logs a wait")
	}
}

// TestLogLevels: a success logs at Debug; a 4xx that is never retried (a
// 404 for a secret already deleted) at Info, as an answer the caller
// decides about; a failure retried, or one that ends the call (a 429
// whose Retry-After is too long, a 503 after the retries or with retries
// off, no answer), at Warn.
func TestLogLevels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.Handler
		want    []string
	}{
		{"success", jsonHandler(200, fullSecret), []string{"DEBUG"}},
		{"not found", jsonHandler(404, `{"detail":{"status":"secret_not_found","message":"gone"}}`), []string{"INFO"}},
		{"unauthorized", jsonHandler(401, `{"detail":{"status":"invalid_api_key","message":"no"}}`), []string{"INFO"}},
		{"validation", jsonHandler(422, `{"detail":[]}`), []string{"INFO"}},
		{"retried, then given up", jsonHandler(503, `{"detail":"busy"}`), []string{"WARN", "WARN"}},
		{"Retry-After too long", jsonHandler(429, `{"detail":"slow down"}`, "Retry-After", "3600"), []string{"WARN"}},
		{"no answer", http.HandlerFunc(closeBeforeAnswer), []string{"WARN", "WARN"}},
		{"503, retries off", jsonHandler(503, `{"detail":"busy"}`), []string{"WARN"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, tc.handler)
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var w waits
			retries := 1
			if strings.HasSuffix(tc.name, "retries off") {
				retries = 0
			}
			c := newClient(t, srv, elevenlabs.WithLogger(logger), elevenlabs.WithMaxRetries(retries), elevenlabs.WithRetryClockForTest(nil, w.sleep))
			_, _ = c.GetSecret(context.Background(), "sec_full")
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var record struct{ Level string }
				if err := json.Unmarshal([]byte(line), &record); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				got = append(got, record.Level)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("levels logged %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLoggedPathKeepsTheBaseURLsPrefix: the path logged is the one the
// request went to, a gateway's prefix included.
func TestLoggedPathKeepsTheBaseURLsPrefix(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Path
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL+"/gw/elevenlabs"), elevenlabs.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	const want = "/gw/elevenlabs/v1/convai/secrets/sec_full"
	if got != want || !strings.Contains(buf.String(), `"path":"`+want+`"`) {
		t.Errorf("request to %s, logged %s; want both %s", got, strings.TrimSpace(buf.String()), want)
	}
}

// TestLoggedMaxAttemptsWithoutLimit: WithMaxRetries(math.MaxInt), retries
// until the context ends, logs the most attempts as math.MaxInt, not as a
// number that wrapped around to negative.
func TestLoggedMaxAttemptsWithoutLimit(t *testing.T) {
	srv := faultServer(t, jsonHandler(200, fullSecret))
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, elevenlabs.WithLogger(logger), elevenlabs.WithMaxRetries(math.MaxInt))
	if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`"max_attempts":%d`, math.MaxInt); !strings.Contains(buf.String(), want) {
		t.Errorf("log %s lacks %s", buf.String(), want)
	}
}

// rawResponse answers with resp written as it is, so a test can choose
// the status line and headers byte for byte.
func rawResponse(resp string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		buf.WriteString(resp)
		buf.Flush()
		conn.Close()
	}
}

// TestKeyEchoedOutsideTheBodyIsScrubbed: a server that puts the key in
// its status line, request id or any header gets it back nowhere: not in
// an error's text or fields, not in the log.
func TestKeyEchoedOutsideTheBodyIsScrubbed(t *testing.T) {
	apiErrResp := "HTTP/1.1 500 key " + testKey + " rejected\r\n" +
		"Request-Id: req-" + testKey + "\r\n" +
		"X-Echo: " + testKey + "\r\n" +
		"Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
	decodeResp := "HTTP/1.1 200 OK " + testKey + "\r\n" +
		"Content-Type: text/" + testKey + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"
	srv := faultServer(t, steps(nil, rawResponse(apiErrResp), rawResponse(decodeResp)))
	var log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, elevenlabs.WithMaxRetries(0), elevenlabs.WithLogger(logger))

	_, err := c.GetSecret(context.Background(), "sec_1")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *APIError", err)
	}
	if apiErr.StatusCode != 500 || apiErr.RequestID != "req-[REDACTED]" || apiErr.Header.Get("X-Echo") != "[REDACTED]" {
		t.Errorf("APIError status %d, request id %q, X-Echo %q: want 500 and the key redacted", apiErr.StatusCode, apiErr.RequestID, apiErr.Header.Get("X-Echo"))
	}
	checkNoKey(t, "the APIError", fmt.Sprintf("%v %+v %#v", err, *apiErr, *apiErr))

	_, err = c.GetSecret(context.Background(), "sec_1")
	var decErr *elevenlabs.DecodeError
	if !errors.As(err, &decErr) {
		t.Fatalf("error %v is not a *DecodeError", err)
	}
	checkNoKey(t, "the DecodeError", fmt.Sprintf("%v %+v %#v", err, *decErr, *decErr))
	checkNoKey(t, "the log", log.String())
	if !strings.Contains(log.String(), `"request_id":"req-[REDACTED]"`) {
		t.Errorf("the log lacks the redacted request id:\n%s", log.String())
	}
}

// TestFaultOversizedErrorBody: an error response larger than the limit is
// still the API's answer: an *APIError with the start of its body,
// retried when its status is.
func TestFaultOversizedErrorBody(t *testing.T) {
	page := "<html><body><h1>Bad Gateway</h1>" + strings.Repeat("<p>padding</p>", 10_000) + "</body></html>"
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"with Content-Length", status(502, page, "Content-Type", "text/html")},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			for i := 0; i < len(page); i += 4096 {
				w.Write([]byte(page[i:min(i+4096, len(page))]))
				w.(http.Flusher).Flush()
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, tc.h)
			var w waits
			_, err := newClient(t, srv, elevenlabs.WithMaxResponseBytes(1000), elevenlabs.WithRetryClockForTest(nil, w.sleep)).
				GetSecret(context.Background(), "sec_full")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != 502 || len(apiErr.Body) != 1000 || !strings.HasPrefix(apiErr.Message, "Bad Gateway") {
				t.Errorf("APIError status %d, %d body bytes, message %q; want 502, the first 1000 bytes, Bad Gateway", apiErr.StatusCode, len(apiErr.Body), apiErr.Message)
			}
			if apiErr.Attempts != 3 || len(srv.Requests()) != 3 {
				t.Errorf("%d attempts, %d requests; want 3 (a 502 is retried)", apiErr.Attempts, len(srv.Requests()))
			}
		})
	}
}

// TestFaultDeadlineAfterAnAnswer: when the API answered an earlier attempt
// and a later one gets no answer (the deadline or the attempt's timeout
// ends it), the final error is both: what ended the call, and the API's
// last answer for errors.As.
func TestFaultDeadlineAfterAnAnswer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []elevenlabs.Option
		timeout time.Duration
		want    []string
	}{
		// 3s: the first attempt and a backoff wait (at most 0.75s) must fit
		// before it, even on a loaded machine.
		{"caller deadline", nil, 3 * time.Second, []string{"deadline exceeded", "the API's last answer: GET", "503 Service Unavailable: busy (after 2 attempts)"}},
		// 1s per attempt: ample for the first attempt's 503 on a loaded
		// machine; the two silent attempts then cost 1s each.
		{"attempt timeout", []elevenlabs.Option{elevenlabs.WithTimeout(time.Second)}, 0, []string{"attempt timed out after 1s", "the API's last answer: GET", "503 Service Unavailable: busy (after 3 attempts)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultServer(t, steps(http.HandlerFunc(hang), status(503, `{"detail":"busy"}`)))
			var w waits
			c := newClient(t, srv, append(tc.opts, elevenlabs.WithRetryClockForTest(nil, w.sleep))...)
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			_, err := c.GetSecret(ctx, "sec_full")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != len(srv.Requests()) {
				t.Fatalf("error = %v, want the 503 kept, with the call's %d attempts", err, len(srv.Requests()))
			}
			if tc.timeout > 0 && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error = %v, want it to be context.DeadlineExceeded too", err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

// TestRetriedStatuses: 408, 429 and every 5xx are retried (the issue's
// policy, as openai-go's); other statuses are answers.
func TestRetriedStatuses(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503, 504, 599} {
		retried := code == 408 || code == 429 || code >= 500
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := faultServer(t, jsonHandler(code, `{"detail":"x"}`))
			var w waits
			_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep)).GetSecret(context.Background(), "sec_full")
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != code {
				t.Fatalf("error = %v, want an *APIError %d", err, code)
			}
			want := 1
			if retried {
				want = 3
			}
			if n := len(srv.Requests()); n != want || apiErr.Attempts != want {
				t.Errorf("%d requests, Attempts %d; want %d", n, apiErr.Attempts, want)
			}
		})
	}
}

// TestRetryAfterValues: how each form of Retry-After sets the wait. A
// value that cannot be read falls back to the backoff (250ms..750ms for
// the first wait); one over the 60s cap ends the call at once.
func TestRetryAfterValues(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	const backoff = -1 // any wait within the first backoff's jitter
	for _, tc := range []struct {
		value string
		wait  time.Duration // -1 for backoff; 0 with noRetry for none
		stop  bool          // the call ends without a retry
	}{
		{"0", 0, false},
		{"7", 7 * time.Second, false},
		{"60", 60 * time.Second, false},
		{"61", 0, true},
		{"86401", 0, true},
		{"99999999999999999999", 0, true},
		{"18446744074", 0, true}, // fits int64 seconds; as a Duration it would wrap to 0.29s
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, false},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, false},
		{now.Add(2 * time.Hour).Format(http.TimeFormat), 0, true},
		{"-5", backoff, false},
		{"+5", backoff, false},
		{"+99999999999999999999", backoff, false},
		{"1.5", backoff, false},
		{"soon", backoff, false},
		{"", backoff, false},
	} {
		t.Run(tc.value, func(t *testing.T) {
			srv := faultServer(t, steps(jsonHandler(200, fullSecret), status(429, `{"detail":"slow"}`, "Retry-After", tc.value)))
			var w waits
			c := newClient(t, srv, elevenlabs.WithRetryClockForTest(func() time.Time { return now }, w.sleep))
			_, err := c.GetSecret(context.Background(), "sec_full")
			got := w.get()
			switch {
			case tc.stop:
				if err == nil || len(got) != 0 || len(srv.Requests()) != 1 {
					t.Errorf("err %v, waits %v, %d requests; want the 429 at once", err, got, len(srv.Requests()))
				}
			case err != nil || len(got) != 1:
				t.Errorf("err %v, waits %v; want one wait, then the secret", err, got)
			case tc.wait == backoff:
				if got[0] < 250*time.Millisecond || got[0] > 750*time.Millisecond {
					t.Errorf("wait %v, want the first backoff (250ms..750ms)", got[0])
				}
			case got[0] != tc.wait:
				t.Errorf("wait %v, want %v", got[0], tc.wait)
			}
		})
	}
}

// TestBackoffHasJitter: the first waits of many calls spread over the
// jitter range instead of all landing on 500ms (which would synchronise
// clients after an outage).
func TestBackoffHasJitter(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		odd := n%2 == 1
		mu.Unlock()
		if odd {
			jsonHandler(503, `{"detail":"busy"}`).ServeHTTP(w, r)
			return
		}
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	var w waits
	c := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, w.sleep))
	for range 40 {
		if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
			t.Fatal(err)
		}
	}
	got := w.get()
	if len(got) != 40 {
		t.Fatalf("%d waits, want 40", len(got))
	}
	lo, hi := slices.Min(got), slices.Max(got)
	// Uniform over 250ms..750ms: 40 draws all on one side of 450ms or of
	// 550ms have a chance of about 1e-9.
	if lo < 250*time.Millisecond || hi > 750*time.Millisecond || lo > 450*time.Millisecond || hi < 550*time.Millisecond {
		t.Errorf("first waits range over %v..%v, want them spread over 250ms..750ms", lo, hi)
	}
}

// TestTransportErrorQuotingTheKey: a transport (a proxy, a caller's
// RoundTripper) whose error quotes the key does not put it in the
// client's error or log; errors.Is still sees the original error.
func TestTransportErrorQuotingTheKey(t *testing.T) {
	errProxy := errors.New("proxy refused header xi-api-key: " + testKey)
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errProxy })
	var log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://api.example.test"),
		elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_1")
	if !errors.Is(err, errProxy) {
		t.Fatalf("error = %v, want it to wrap the transport's error", err)
	}
	if !strings.Contains(err.Error(), "proxy refused header xi-api-key: [REDACTED]") {
		t.Errorf("error %q does not say what the transport said, redacted", err)
	}
	checkNoKey(t, "the error", err.Error())
	checkNoKey(t, "the log", log.String())
	if !strings.Contains(log.String(), "[REDACTED]") {
		t.Errorf("the log lacks the transport's error:\n%s", log.String())
	}
}

// TestCallerTransportSloppyResponses: what http.Client accepts from a
// RoundTripper (hand-written mocks often do these) does not make the
// wrapper panic: a response without Request or Body is used as if it had
// them, and neither a response nor an error is an error, not retried.
func TestCallerTransportSloppyResponses(t *testing.T) {
	respond := func(status int, body string) func() (*http.Response, error) {
		return func() (*http.Response, error) {
			resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
			if body != "" {
				resp.Body = io.NopCloser(strings.NewReader(body))
			}
			return resp, nil
		}
	}
	// urlless gives a response a Request with no URL.
	urlless := func(reply func() (*http.Response, error)) func() (*http.Response, error) {
		return func() (*http.Response, error) {
			resp, err := reply()
			resp.Request = &http.Request{Method: http.MethodGet}
			return resp, err
		}
	}
	for _, tc := range []struct {
		name  string
		reply func() (*http.Response, error)
		check func(t *testing.T, secret *elevenlabs.Secret, err error)
	}{
		{"200 without Request", respond(200, fullSecret), func(t *testing.T, secret *elevenlabs.Secret, err error) {
			if err != nil || secret == nil || secret.SecretID != "sec_full" {
				t.Errorf("GetSecret = %v, %v; want the secret", secret, err)
			}
		}},
		{"404 without Request", respond(404, `{"detail":"not found"}`), func(t *testing.T, _ *elevenlabs.Secret, err error) {
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Method != http.MethodGet || !strings.Contains(apiErr.URL, "/v1/convai/secrets/sec_full") {
				t.Errorf("error = %#v, want an *APIError for GET .../sec_full with status 404", err)
			}
		}},
		{"404 with a Request without URL", urlless(respond(404, `{"detail":"not found"}`)), func(t *testing.T, _ *elevenlabs.Secret, err error) {
			var apiErr *elevenlabs.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.URL, "/v1/convai/secrets/sec_full") {
				t.Errorf("error = %#v, want an *APIError for .../sec_full with status 404", err)
			}
		}},
		{"undecodable 200 with a Request without URL", urlless(respond(200, "{")), func(t *testing.T, _ *elevenlabs.Secret, err error) {
			var decErr *elevenlabs.DecodeError
			if !errors.As(err, &decErr) || decErr.StatusCode != 200 || !strings.Contains(decErr.URL, "/v1/convai/secrets/sec_full") {
				t.Errorf("error = %v, want a *DecodeError for .../sec_full", err)
			}
		}},
		{"200 without Body or Request", respond(200, ""), func(t *testing.T, _ *elevenlabs.Secret, err error) {
			var decErr *elevenlabs.DecodeError
			if !errors.As(err, &decErr) || decErr.StatusCode != 200 {
				t.Errorf("error = %v, want a *DecodeError for the empty 200", err)
			}
		}},
		{"neither response nor error", func() (*http.Response, error) { return nil, nil }, func(t *testing.T, _ *elevenlabs.Secret, err error) {
			if err == nil || !strings.Contains(err.Error(), "no response and no error") {
				t.Errorf("error = %v, want one that says the transport returned nothing", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls int
			rt := roundTripFunc(func(*http.Request) (*http.Response, error) { calls++; return tc.reply() })
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://api.example.test"),
				elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithRetryClockForTest(nil, (&waits{}).sleep))
			if err != nil {
				t.Fatal(err)
			}
			secret, err := c.GetSecret(context.Background(), "sec_full")
			tc.check(t, secret, err)
			if calls != 1 {
				t.Errorf("%d calls to the transport, want 1", calls)
			}
		})
	}
}

// TestResponseHeaderTextIsCleaned: the status line and headers an error
// quotes (status, request id, Content-Type) reach it, and the log, on one
// line, without terminal or bidirectional controls, cut short, and without
// the key, like the body's excerpt.
func TestResponseHeaderTextIsCleaned(t *testing.T) {
	hostile := "r\x1b[2J\u009b31m\u202e" + testKey + strings.Repeat("a", 100_000)
	for _, tc := range []struct {
		status int
		body   string
	}{{404, `{"detail":"not found"}`}, {200, `{"truncated`}} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{
					StatusCode: tc.status, Status: fmt.Sprintf("%d Not\x1b[31mFine\u009b", tc.status), Request: r,
					Header: http.Header{"Request-Id": {hostile}, "Content-Type": {"application/json\x1b]0;owned\a" + hostile}},
					Body:   io.NopCloser(strings.NewReader(tc.body)),
				}, nil
			})
			var log bytes.Buffer
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://api.example.test"),
				elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithMaxRetries(0),
				elevenlabs.WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetSecret(context.Background(), "sec_full")
			var fields []string
			var apiErr *elevenlabs.APIError
			var decErr *elevenlabs.DecodeError
			switch {
			case errors.As(err, &apiErr):
				fields = []string{apiErr.Status, apiErr.RequestID}
			case errors.As(err, &decErr):
				fields = []string{decErr.Status, decErr.RequestID, decErr.ContentType}
			default:
				t.Fatalf("error = %v, want an *APIError or *DecodeError", err)
			}
			for _, text := range append(fields, err.Error(), log.String()) {
				if i := strings.IndexFunc(text, func(r rune) bool {
					return r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
				}); i >= 0 {
					t.Errorf("%.80q... holds control character %q", text, []rune(text[i:])[0])
				}
				checkNoKey(t, "error text", text)
			}
			for _, f := range fields {
				if len(f) > 210 {
					t.Errorf("field of %d bytes (%.40q...), want it cut to an excerpt", len(f), f)
				}
			}
			if n := len(err.Error()); n > 1500 {
				t.Errorf("error of %d bytes, want a short one", n)
			}
		})
	}
}

// TestTransportErrorTextIsEscaped: a transport error quoting what a
// server chose (a certificate's names, a proxy's status text) reaches the
// error with its unprintable characters escaped; errors.Is still sees it.
func TestTransportErrorTextIsEscaped(t *testing.T) {
	hostile := errors.New("x509: certificate is valid for \x1b]0;owned\a\x1b[2Jevil.example, \u202eelpmaxe, \xff, not api.example.test")
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, hostile })
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://api.example.test"),
		elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_1")
	if !errors.Is(err, hostile) {
		t.Fatalf("error = %v, want it to wrap the transport's error", err)
	}
	want := `x509: certificate is valid for \x1b]0;owned\a\x1b[2Jevil.example, \u202eelpmaxe, \xff, not api.example.test`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\ndoes not hold %q", err, want)
	}
}

// TestCloseIdleConnections: after CloseIdleConnections the next call needs
// a new connection; before it, calls reuse the open one.
func TestCloseIdleConnections(t *testing.T) {
	srv := faultServer(t, jsonHandler(200, fullSecret))
	for name, opts := range map[string][]elevenlabs.Option{
		"default transport": nil,
		"caller's client":   {elevenlabs.WithHTTPClient(&http.Client{Transport: &http.Transport{}})},
	} {
		t.Run(name, func(t *testing.T) {
			before := srv.Connections()
			c := newClient(t, srv, opts...)
			for range 2 {
				if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
					t.Fatal(err)
				}
			}
			// 1, or 2 on a loaded machine: net/http pools a connection
			// again from another goroutine, just after its body is read,
			// and the second call may dial if it finds the pool empty.
			opened := srv.Connections() - before
			if opened != 1 && opened != 2 {
				t.Fatalf("two calls opened %d connections, want 1", opened)
			}
			c.CloseIdleConnections()
			if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
				t.Fatal(err)
			}
			if n := srv.Connections() - before; n != opened+1 {
				t.Errorf("a call after CloseIdleConnections made the total %d connections, want %d (a new one)", n, opened+1)
			}
		})
	}
}

// TestCanceledAfterTwoAttemptsSaysSoOnce: cancelled during the second
// wait, the error names the attempt count once.
func TestCanceledAfterTwoAttemptsSaysSoOnce(t *testing.T) {
	srv := faultServer(t, jsonHandler(503, `{"detail":"busy"}`))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waits := 0
	wait := func(ctx context.Context, d time.Duration) error {
		if waits++; waits == 2 {
			cancel()
		}
		return ctx.Err()
	}
	_, err := newClient(t, srv, elevenlabs.WithRetryClockForTest(nil, wait)).GetSecret(ctx, "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &apiErr) || apiErr.Attempts != 2 {
		t.Fatalf("error = %v, want context.Canceled and the 503 of attempt 2", err)
	}
	if n := strings.Count(err.Error(), "attempt"); n != 1 || !strings.HasSuffix(err.Error(), "busy (after 2 attempts)") {
		t.Errorf("error %q names the attempts %d times, want once, at the end", err, n)
	}
}

// TestAPIErrorKeepsAtMost64KiB: an error body within the response limit
// but over 64 KiB is kept in APIError.Body only up to 64 KiB.
func TestAPIErrorKeepsAtMost64KiB(t *testing.T) {
	body := `{"detail":"` + strings.Repeat("x", 100<<10) + `"}`
	srv := faultServer(t, jsonHandler(400, body))
	_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if len(apiErr.Body) != 64<<10 || string(apiErr.Body) != body[:64<<10] {
		t.Errorf("Body has %d bytes, want the first 64 KiB", len(apiErr.Body))
	}
	// The reason is read from those 64 KiB only: a JSON body cut there is
	// shown as an excerpt.
	if !strings.HasPrefix(apiErr.Message, `{"detail":"xxxx`) || len(apiErr.Message) > 200+len("…") {
		t.Errorf("Message = %.40q… (%d bytes), want an excerpt of the body's start", apiErr.Message, len(apiErr.Message))
	}
}

// TestHugeValidationErrorCostsLittle: a 422 of 4 MiB holding a million
// validation errors is read only as far as its first 64 KiB: the call
// allocates about twice the body (its buffer as it arrives), not the
// hundreds of MiB a million decoded errors take (340 MiB before the
// reading was bounded).
func TestHugeValidationErrorCostsLittle(t *testing.T) {
	body := []byte(`{"detail":[{"loc":[` + strings.Repeat(`"a",`, 1<<20) + `"a"],"msg":"m","type":"t"}]}`)
	// A plain server: the contract server's checks would allocate too.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	var apiErr *elevenlabs.APIError
	allocated := bytesAllocated(func() {
		_, err := c.GetSecret(context.Background(), "sec_full")
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
			t.Fatalf("error = %v, want an *APIError for the 422", err)
		}
	})
	// The body itself is read whole (chunked: its buffer doubles as it
	// fills, up to four times the body in all); the rest must be small,
	// far from the hundreds of MiB of a decoded million.
	if limit := uint64(32 << 20); allocated > limit {
		t.Errorf("the call allocated %.1f MiB for a %.1f MiB body, want at most %.1f", float64(allocated)/(1<<20), float64(len(body))/(1<<20), float64(limit)/(1<<20))
	}
	if len(apiErr.Body) > 64<<10 {
		t.Errorf("Body has %d bytes, want at most 64 KiB", len(apiErr.Body))
	}
}

// bytesAllocated returns the bytes f allocates (on every goroutine).
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestFaultContextEndsDuringDecoding: the caller's context bounds the
// decoding too. A large body (1 MiB of items in a list newer than this
// package, which decode slowly: about 0.3s under the race
// detector) has come whole when the context ends; the call returns the
// context's error at once, rather than decoding on past it. The same
// body decodes whole under a context that does not end.
func TestFaultContextEndsDuringDecoding(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"stored","secret_id":"sec_big","name":"n","used_by":{"tools":[],"agents":[],"phone_numbers":[],"mcp_servers":[],"others":[],"workflows":[`)
	for b.Len() < 1<<20 {
		b.WriteString(`{},`)
	}
	b.WriteString(`{}]}}`)
	body := b.String()
	var atEOF func() // what the body's reader does once it has given the whole body
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			ContentLength: int64(len(body)), Body: &onEOF{r: strings.NewReader(body), f: atEOF}, Request: r,
		}, nil
	})}
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	why := errors.New("the caller gave up")
	atEOF = func() { cancel(why) }
	_, err = c.GetSecret(ctx, "sec_big")
	if !errors.Is(err, context.Canceled) || !errors.Is(err, why) || !strings.Contains(err.Error(), "decoding the") {
		t.Fatalf("error = %v, want the context's, while decoding", err)
	}
	// A deadline that passes as the body ends: a timeout, as README says.
	dctx, dcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer dcancel()
	atEOF = func() { <-dctx.Done() }
	_, err = c.GetSecret(dctx, "sec_big")
	if ne := net.Error(nil); !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("error = %v, want the deadline's, a net.Error timeout", err)
	}

	// WithTimeout bounds the wait for the body, not its decoding: a body
	// that came whole as the attempt's time ran out is decoded, not
	// fetched again (to be cut short again).
	var requests atomic.Int32
	timed, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithTimeout(50*time.Millisecond),
		elevenlabs.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			requests.Add(1)
			return hc.Transport.RoundTrip(r)
		})}))
	if err != nil {
		t.Fatal(err)
	}
	atEOF = func() { time.Sleep(100 * time.Millisecond) } // past the attempt's 50ms
	if _, err := timed.GetSecret(context.Background(), "sec_big"); err != nil || requests.Load() != 1 {
		t.Fatalf("with WithTimeout: error %v after %d requests, want the secret after 1", err, requests.Load())
	}

	atEOF = func() {}
	secret, err := c.GetSecret(context.Background(), "sec_big")
	if err != nil {
		t.Fatal(err)
	}
	if items, want := len(elevenlabs.Dependents(secret.UsedBy)), strings.Count(body, "{}"); items != want {
		t.Errorf("decoded %d dependents, want the whole body's %d", items, want)
	}
}

// onEOF is a body that calls f when its reader r reports io.EOF.
type onEOF struct {
	r *strings.Reader
	f func()
}

func (b *onEOF) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.f()
	}
	return n, err
}

func (b *onEOF) Close() error { return nil }
