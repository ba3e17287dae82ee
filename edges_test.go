package elevenlabs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// TestOptionBounds: each option's documented bounds hold at their edges.
func TestOptionBounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  elevenlabs.Option
		ok   bool
	}{
		{"key with DEL", elevenlabs.WithAPIKey("xi-key-\x7f-123456"), false},
		{"key with ~", elevenlabs.WithAPIKey("xi-key-~-123456"), true},
		{"key with a space inside", elevenlabs.WithAPIKey("xi-key 123456"), false},
		{"backoff up to MaxBackoff", elevenlabs.WithBackoff(time.Second, elevenlabs.MaxBackoff), true},
		{"backoff over MaxBackoff", elevenlabs.WithBackoff(time.Second, elevenlabs.MaxBackoff+1), false},
		{"read idle 9ms", elevenlabs.WithReadIdleTimeout(9 * time.Millisecond), false},
		{"read idle 10ms", elevenlabs.WithReadIdleTimeout(10 * time.Millisecond), true},
		{"read idle 24h", elevenlabs.WithReadIdleTimeout(24 * time.Hour), true},
		{"read idle over 24h", elevenlabs.WithReadIdleTimeout(24*time.Hour + 1), false},
		{"timeout 0, the default", elevenlabs.WithTimeout(0), true},
		{"timeout -1ns", elevenlabs.WithTimeout(-1), false},
	} {
		_, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), tc.opt)
		if (err == nil) != tc.ok {
			t.Errorf("%s: New = %v, want accepted: %v", tc.name, err, tc.ok)
		}
	}
}

// TestWithTimeoutUnderALongerDeadline: WithTimeout bounds each attempt
// also when the caller's context has a deadline further away: a stalled
// first attempt ends at the timeout and the retry answers.
func TestWithTimeoutUnderALongerDeadline(t *testing.T) {
	var calls atomic.Int32
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done() // stalls until the client gives up
			return
		}
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	c := newClient(t, srv, elevenlabs.WithTimeout(50*time.Millisecond), elevenlabs.WithBackoff(time.Millisecond, time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a liveness bound
	defer cancel()
	if _, err := c.GetSecret(ctx, "sec_full"); err != nil {
		t.Fatalf("GetSecret = %v, want the second attempt's secret", err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// TestHugeResponseHeaderRefused: the default transport reads at most
// 1 MiB of response headers (net/http's default is 10 MiB).
func TestHugeResponseHeaderRefused(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("x", 2<<20))
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	_, err := newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "sec_full")
	if err == nil || !strings.Contains(err.Error(), "server response headers exceeded") {
		t.Fatalf("error = %v, want the headers refused", err)
	}
}

// TestBaseURLHostInOneSpelling: the base URL's host is kept in lower
// case, whatever its spelling, in BaseURL and so in every request.
func TestBaseURLHostInOneSpelling(t *testing.T) {
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL("https://API.Gateway.EXAMPLE/ElevenLabs"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.BaseURL(), "https://api.gateway.example/ElevenLabs"; got != want {
		t.Errorf("BaseURL() = %s, want %s (the path as written)", got, want)
	}
}

// TestAPIErrorBodyCappedAfterRedaction: an error body holds at most
// 64 KiB, also when the key's start at the cut is replaced by the
// longer [REDACTED].
func TestAPIErrorBodyCappedAfterRedaction(t *testing.T) {
	const capBytes = 64 << 10
	body := strings.Repeat("a", capBytes-8) + testKey + strings.Repeat("b", 100)
	srv := faultServer(t, jsonHandler(500, body, "Content-Type", "text/plain"))
	_, err := newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if len(apiErr.Body) != capBytes {
		t.Fatalf("Body is %d bytes, want %d (the cap)", len(apiErr.Body), capBytes)
	}
	// The 8 bytes of the key's start within the cap are redacted, and the
	// longer [REDACTED] is cut at the cap in turn.
	if tail := string(apiErr.Body[capBytes-8:]); tail != "[REDACTE" {
		t.Errorf("the body ends %q, want [REDACTED] cut at the cap", tail)
	}
}

// TestErrorDetails: the request id from each header it may come in, a
// proxy's Cf-Ray last; and a detail object without status or message
// explained by an excerpt of the body.
func TestErrorDetails(t *testing.T) {
	srv := faultServer(t, jsonHandler(500, `{"detail":{"reason":"pool exhausted"}}`, "Cf-Ray", "8f1e2d3c4b5a-AMS"))
	_, err := newClient(t, srv, elevenlabs.WithMaxRetries(0)).GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if apiErr.RequestID != "8f1e2d3c4b5a-AMS" {
		t.Errorf("RequestID = %q, want the Cf-Ray", apiErr.RequestID)
	}
	if apiErr.Code != "" || !strings.Contains(apiErr.Message, "pool exhausted") {
		t.Errorf("Code %q, Message %q: want no code and the body's excerpt", apiErr.Code, apiErr.Message)
	}
}

// TestAnotherSecretsIDIsCut: the error for an answer about another secret
// quotes its ID cut short: a server chooses it, at any length; the cut
// falls between characters, at every offset a character of 2, 3 or 4
// bytes can take.
func TestAnotherSecretsIDIsCut(t *testing.T) {
	for i := range 4 * 4 { // a character of 1 to 4 bytes, after 0 to 3 bytes of ASCII
		fill := []string{"z", "é", "€", "😀"}[i/4]
		long := "sec_" + strings.Repeat("x", i%4) + strings.Repeat(fill, 10000/len(fill))
		srv := faultServer(t, jsonHandler(200, strings.Replace(fullSecret, `"sec_full"`, `"`+long+`"`, 1)))
		_, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
		if err == nil || !strings.Contains(err.Error(), "another secret") {
			t.Fatalf("error = %.200v, want one saying the answer is for another secret", err)
		}
		msg, _, _ := strings.Cut(err.Error(), "; body starts")
		if len(msg) > 1000 {
			t.Errorf("the error quotes %d bytes before the excerpt, want the ID cut short", len(msg))
		}
		// %q shows half a character as \x escapes.
		if !utf8.ValidString(msg) || strings.Contains(msg, `\x`) {
			t.Errorf("an ID of %q: the error cuts a character in half: %.300q", fill, msg)
		}
	}
}

// TestKeyWithASlashEscapedInJSON: a key holding '/' that a server echoes
// in JSON as "\/" is still hidden (its slashes are so close together
// that no 12 characters of it show without one).
func TestKeyWithASlashEscapedInJSON(t *testing.T) {
	const key = "xi/ab12/cd34/ef56/gh78/ij90"
	srv := contract.NewServer(t, jsonHandler(404, `{"detail":{"status":"not_found","message":"no secret for `+strings.ReplaceAll(key, "/", `\/`)+`"}}`), nil, contract.AllowOffSpecResponses())
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(key), elevenlabs.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecret(context.Background(), "sec_full")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	for what, text := range map[string]string{"error": err.Error(), "body": string(apiErr.Body), "message": apiErr.Message} {
		if at := contract.KeyPieceAt(text, key); at >= 0 {
			t.Errorf("the %s shows the key from its byte %d", what, at)
		}
	}
}

// TestCancelledDuringA2xxBody: the caller cancelling while a 2xx body
// arrives is the caller's cancellation, not an answer that is not a
// secret.
func TestCancelledDuringA2xxBody(t *testing.T) {
	srv := faultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.Write([]byte(fullSecret[:40]))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := newClient(t, srv).GetSecret(ctx, "sec_full")
	var decErr *elevenlabs.DecodeError
	if !errors.Is(err, context.Canceled) || errors.As(err, &decErr) {
		t.Fatalf("error = %v, want the cancellation, not a *DecodeError", err)
	}
}

// TestAPIBodyThatBreaksOffIsAnError: through Client.API, a 2xx body that
// breaks off is an error of the call, not a response whose body fails.
func TestAPIBodyThatBreaksOffIsAnError(t *testing.T) {
	srv := faultServer(t, rawAnswer(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"+fullSecret[:100]))
	resp, err := newClient(t, srv).API().GetSecretWithResponse(context.Background(), "sec_full", nil)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("GetSecretWithResponse = %v, %v; want an unexpected EOF", resp, err)
	}
}
