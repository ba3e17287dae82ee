package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// peerStreamError stands for net/http's unexported HTTP/2 stream error,
// which converts itself into http2StreamError for errors.As
// (TestFaultHTTP2StreamReset checks the real one, INTERNAL_ERROR).
type peerStreamError struct{ code uint32 }

func (e peerStreamError) Error() string {
	return fmt.Sprintf("stream error: stream ID 1; code %d", e.code)
}

func (e peerStreamError) As(target any) bool {
	t, ok := target.(*http2StreamError)
	if ok {
		*t = http2StreamError{StreamID: 1, Code: e.code}
	}
	return ok
}

// TestTransientStreamCodes: a stream the server reset for its own reasons
// is retried; one reset because the request or connection was wrong is
// not.
func TestTransientStreamCodes(t *testing.T) {
	names := []string{"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
		"FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
		"INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"}
	want := map[string]bool{"NO_ERROR": true, "INTERNAL_ERROR": true, "REFUSED_STREAM": true, "CANCEL": true, "ENHANCE_YOUR_CALM": true}
	for code, name := range names {
		err := fmt.Errorf("elevenlabs: Get %q: %w", "https://api.example.test/", peerStreamError{uint32(code)})
		if got := transientError(err); got != want[name] {
			t.Errorf("RST_STREAM %s: transient = %v, want %v", name, got, want[name])
		}
	}
}

// TestFirstWaitJitteredBelowTheCap: with WithBackoff(d, d), the first
// wait is jittered below d, never d itself (capping a jitter around d
// would make it d half the time). 40 fresh calls' first waits: a false
// pass has a chance of 2^-40.
func TestFirstWaitJitteredBelowTheCap(t *testing.T) {
	const d = 30 * time.Millisecond
	p := defaultRetryPolicy()
	p.initialDelay, p.maxDelay = d, d
	resp := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}}
	for range 40 {
		var bo *backoff.ExponentialBackOff
		wait, retry, _ := p.next(context.Background(), 1, resp, errors.New("503"), false, &bo)
		if !retry || wait < d/3 || wait >= d {
			t.Fatalf("first wait = %v (retry %v), want one in [%v, %v)", wait, retry, d/3, d)
		}
	}
}

// TestDNSErrorsRetriedOnlyWhenTransient: a DNS lookup that timed out or
// failed for the moment is worth another try; a name that does not exist
// (a mistyped gateway host) is not.
func TestDNSErrorsRetriedOnlyWhenTransient(t *testing.T) {
	for _, tc := range []struct {
		err  *net.DNSError
		want bool
	}{
		{&net.DNSError{Err: "no such host", Name: "gateway.invalid", IsNotFound: true}, false},
		{&net.DNSError{Err: "server misbehaving", Name: "gateway.example"}, false},
		{&net.DNSError{Err: "i/o timeout", Name: "gateway.example", IsTimeout: true}, true},
		{&net.DNSError{Err: "temporary failure", Name: "gateway.example", IsTemporary: true}, true},
	} {
		err := &url.Error{Op: "Get", URL: "https://gateway.example/v1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: tc.err}}
		if got := transientError(err); got != tc.want {
			t.Errorf("transientError(%v) = %v, want %v", err, got, tc.want)
		}
	}
}

// TestBrokenConnectionsAreTransient: each way a connection breaks off is
// worth another try, also inside a body that broke off; a body whose
// framing is malformed is not.
func TestBrokenConnectionsAreTransient(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE} {
		err := &url.Error{Op: "Get", URL: "https://api.example/v1", Err: &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", errno)}}
		if !transientError(err) {
			t.Errorf("transientError(%v) = false, want true", err)
		}
		if body := (&bodyReadError{&net.OpError{Op: "read", Net: "tcp", Err: errno}}); !transientError(body) {
			t.Errorf("transientError(%v) = false, want true", body)
		}
	}
	for _, cause := range []error{errors.New("invalid byte in chunk length"), io.ErrNoProgress, textproto.ProtocolError("malformed MIME header: missing colon: \"x\"")} {
		if malformed := (&bodyReadError{cause}); transientError(malformed) {
			t.Errorf("transientError(%v) = true, want false", malformed)
		}
	}
	// However else a transport says a body broke off.
	for _, cause := range []error{
		errors.New("http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=NO_ERROR, debug=\"\""),
		errors.New("http2: client connection lost"),
	} {
		if !transientError(&bodyReadError{cause}) {
			t.Errorf("a body that broke off with %q is not retried", cause)
		}
	}
}

// TestAttemptTimeoutLabelsOnlyWhatItEnded: an attempt that fails on its
// own (a connection reset) just as WithTimeout's deadline passes is
// reported as what it is, not as timed out; one the deadline ended is.
func TestAttemptTimeoutLabelsOnlyWhatItEnded(t *testing.T) {
	c, err := New(WithAPIKey("test-key-0123456789"), WithBaseURL("http://127.0.0.1:1"), WithTimeout(10*time.Millisecond), WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		fail    func(ctx context.Context) error
		labeled bool
	}{
		{"reset as the deadline passes", func(ctx context.Context) error {
			<-ctx.Done()
			return &url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}
		}, false},
		{"ended by the deadline", func(ctx context.Context) error {
			<-ctx.Done()
			return &url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: ctx.Err()}
		}, true},
	} {
		_, err := retryLoop(context.Background(), c, http.MethodGet, "/", func(ctx context.Context) (int, *http.Response, error) {
			return 0, nil, tc.fail(ctx)
		})
		if got := strings.Contains(fmt.Sprint(err), "attempt timed out"); got != tc.labeled {
			t.Errorf("%s: error %q says it timed out: %v, want %v", tc.name, err, got, tc.labeled)
		}
	}
}
