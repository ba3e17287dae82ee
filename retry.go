package elevenlabs

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Retry defaults: 2 retries (3 attempts) with exponential backoff from
// 500ms, doubling, ±50% jitter, each wait capped at 8s (and spread over
// 8/3s to 8s once there); a Retry-After of up to 60s is honoured, a longer
// one ends the call.
const (
	DefaultMaxRetries    = 2
	defaultInitialDelay  = 500 * time.Millisecond
	defaultMaxDelay      = 8 * time.Second
	defaultRetryAfterCap = 60 * time.Second
)

// retryPolicy says how often and how long to retry.
type retryPolicy struct {
	maxRetries    int
	timeout       time.Duration // per attempt; 0 for none
	initialDelay  time.Duration
	maxDelay      time.Duration
	retryAfterCap time.Duration
	now           func() time.Time
	sleep         func(context.Context, time.Duration) error
}

func defaultRetryPolicy() retryPolicy {
	return retryPolicy{
		maxRetries:    DefaultMaxRetries,
		initialDelay:  defaultInitialDelay,
		maxDelay:      defaultMaxDelay,
		retryAfterCap: defaultRetryAfterCap,
		now:           time.Now,
		sleep:         sleep,
	}
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call runs one idempotent API call with retries. attempt makes one try
// under the attempt's context and returns the response it got (nil if none
// came) and its error.
//
// The loop is written here rather than using backoff.Retry: it must return
// the last API error (not only the context's) when the caller cancels
// during a wait, stop at once when a wait would outlast the caller's
// deadline, and cost nothing on a first-try success. The delays themselves
// come from backoff.ExponentialBackOff.
func call[T any](ctx context.Context, c *Client, method, path string, attempt func(context.Context) (T, *http.Response, error)) (T, error) {
	v, err := retryLoop(ctx, c, method, path, attempt)
	if err != nil && ctx.Err() != nil {
		err = withContextErrors(ctx, err)
	}
	return v, err
}

// withContextErrors returns err, which ended a call whose context is
// done, so that it matches both the context's error (context.Canceled or
// context.DeadlineExceeded, a net.Error timeout) and its cause: a caller's
// context.WithTimeoutCause or WithCancelCause sets one, and net/http
// then returns the cause alone, where a wait for the next attempt ends
// with the context's error alone. An error that matches neither (an
// answer that came as the context ended) is returned as it is.
func withContextErrors(ctx context.Context, err error) error {
	ctxErr, cause := ctx.Err(), context.Cause(ctx)
	hasErr, hasCause := errors.Is(err, ctxErr), errors.Is(err, cause)
	if hasErr == hasCause {
		return err
	}
	return &contextError{err: err, ctxErr: ctxErr, cause: cause}
}

// contextError is an error that ended a call whose context is done, with
// the context's error and cause added to what it matches. The context's
// error comes first, so that errors.As finds a deadline's net.Error
// timeout before a *url.Error that asks only the cause.
type contextError struct{ err, ctxErr, cause error }

func (e *contextError) Error() string   { return e.err.Error() }
func (e *contextError) Unwrap() []error { return []error{e.ctxErr, e.cause, e.err} }

// retryLoop is call's loop of attempts and waits.
func retryLoop[T any](ctx context.Context, c *Client, method, path string, attempt func(context.Context) (T, *http.Response, error)) (T, error) {
	p := &c.retry
	var (
		zero T
		bo   *backoff.ExponentialBackOff
		// answered is the error of the latest attempt a server answered
		// (an *APIError or *DecodeError), kept for a final error that came
		// without a response: a deadline during the next attempt must not
		// hide what the API said.
		answered error
	)
	for n := 1; ; n++ {
		start := p.now()
		actx, cancel := ctx, context.CancelFunc(nil)
		if deadline, ok := ctx.Deadline(); p.timeout > 0 && (!ok || deadline.Sub(start) > p.timeout) {
			actx, cancel = context.WithTimeout(ctx, p.timeout)
		}
		v, resp, err := attempt(actx)
		attemptTimedOut := actx.Err() != nil && ctx.Err() == nil
		if cancel != nil {
			cancel()
		}
		if err == nil {
			c.logAttempt(ctx, slog.LevelDebug, method, path, n, resp, nil, p.now().Sub(start), -1)
			return v, nil
		}
		if attemptTimedOut && resp == nil && errors.Is(err, context.DeadlineExceeded) {
			// What the attempt's deadline ended, not a failure of its own
			// that came as the deadline passed (a reset, say).
			err = fmt.Errorf("%w (attempt timed out after %s)", err, p.timeout)
		}

		wait, retry, why := p.next(ctx, n, resp, err, attemptTimedOut, &bo)
		if why != "" {
			err = &notRetriedError{err, why}
			if n == 1 { // later attempts' errors say how many there were
				err = fmt.Errorf("%w (after 1 attempt)", err)
			}
		}
		if !retry {
			level := slog.LevelWarn
			if resp != nil && resp.StatusCode/100 == 4 && !retryableStatus(resp.StatusCode) {
				// An answer (a 404 for a secret already deleted, say),
				// which the caller's error handling decides about.
				level = slog.LevelInfo
			}
			c.logAttempt(ctx, level, method, path, n, resp, err, p.now().Sub(start), -1)
			return zero, finalError(err, resp, answered, n)
		}
		c.logAttempt(ctx, slog.LevelWarn, method, path, n, resp, err, p.now().Sub(start), wait)
		if serr := p.sleep(ctx, wait); serr != nil {
			return zero, &canceledError{cause: serr, last: finalError(err, resp, answered, n), attempts: n}
		}
		if resp != nil {
			answered = err
		}
	}
}

// next decides whether attempt n, which failed with err (and resp, when a
// response came), is retried, and after how long. why says why a
// retryable failure is not retried (a wait too long), for the error.
func (p *retryPolicy) next(ctx context.Context, n int, resp *http.Response, err error, attemptTimedOut bool, bo **backoff.ExponentialBackOff) (wait time.Duration, retry bool, why string) {
	if n > p.maxRetries || ctx.Err() != nil {
		return 0, false, ""
	}
	if resp != nil && !retryableStatus(resp.StatusCode) {
		return 0, false, ""
	}
	if resp == nil && !attemptTimedOut && !transientError(err) {
		return 0, false, ""
	}
	if d, ok := retryAfter(resp, p.now()); ok {
		if d > p.retryAfterCap {
			asked := d.String()
			if d >= 24*time.Hour { // clamped there by retryAfter
				asked = "a day or more"
			}
			return 0, false, fmt.Sprintf("Retry-After asks for %s, more than the %s this client waits", asked, p.retryAfterCap)
		}
		wait = d
	} else {
		if *bo == nil {
			// The library jitters ±50% around an interval capped at
			// MaxInterval: 2/3 of the cap keeps its waits within the cap
			// and spread over [cap/3, cap] once there (capping the
			// jittered wait instead would make half of them exactly the
			// cap, and clients in step again).
			// A start above that (WithBackoff(d, d)) starts there too.
			maxInterval := p.maxDelay * 2 / 3
			*bo = &backoff.ExponentialBackOff{
				InitialInterval:     min(p.initialDelay, maxInterval),
				RandomizationFactor: 0.5,
				Multiplier:          2,
				MaxInterval:         maxInterval,
			}
		}
		wait = min((*bo).NextBackOff(), p.maxDelay)
	}
	if deadline, ok := ctx.Deadline(); ok && !p.now().Add(wait).Before(deadline) {
		return 0, false, fmt.Sprintf("the wait of %s before the next attempt would outlast the context's deadline", wait)
	}
	return wait, true, ""
}

// retryableStatus: request timeout, rate limiting and server errors (5xx;
// not the codes above 599 that net/http also accepts).
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// transientError reports whether err, from an attempt that got no
// response, is worth another try: connection refused, reset or aborted,
// EOF before or during the response, a body that broke off (the
// connection cut, reset or timed out, or an HTTP/2 stream reset; not a
// body whose chunked framing is malformed or that does not decompress:
// the same bytes would come again), an HTTP/2 stream reset before the
// response for a transient reason, and network timeouts. (The caller's
// own cancellation and deadline are checked before.)
func transientError(err error) bool {
	var streamErr http2StreamError
	var broken *bodyReadError
	if errors.As(err, &broken) {
		// Broke off, however the transport says so (EOF, a reset, an
		// HTTP/2 GOAWAY or lost connection...), unless it is known to
		// come again the same.
		return !permanentBodyError(err)
	}
	if brokeOff(err) {
		return true
	}
	if errors.As(err, &streamErr) {
		return transientStreamCodes[streamErr.Code]
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	return false
}

// permanentBodyError reports whether a body's read failed in a way the
// same bytes would repeat: gzip that does not decompress (net/http
// undoes a gzip Content-Encoding), chunked framing or a trailer that is
// malformed, more body than an HTTP/2 Content-Length declared, or a body
// (a caller's transport's) that never progresses. net/http's errors for
// most of these are unexported: they are known by their text
// (TestFaultMalformedChunkedBodyNotRetried and TestBodyErrorsThatRepeat
// check them against net/http).
func permanentBodyError(err error) bool {
	var corrupt flate.CorruptInputError
	var protocol textproto.ProtocolError // a malformed trailer
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt) ||
		errors.As(err, &protocol) || errors.Is(err, io.ErrNoProgress) {
		return true
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if malformedChunked[e.Error()] {
			return true
		}
	}
	return false
}

// malformedChunked are the texts of net/http's errors for a malformed
// chunked body (net/http/internal/chunked.go).
var malformedChunked = map[string]bool{
	"invalid byte in chunk length":                                               true,
	"malformed chunked encoding":                                                 true,
	"chunked encoding contains too much non-data":                                true,
	"http chunk length too large":                                                true,
	"empty hex number for chunk length":                                          true,
	"chunked line ends with bare LF":                                             true,
	"invalid CR in chunked line":                                                 true,
	"header line too long":                                                       true,
	"http: suspiciously long trailer after chunked body":                         true,
	"net/http: server replied with more than declared Content-Length; truncated": true,
}

// brokeOff reports whether err says the connection broke off: refused,
// reset, aborted, closed (EOF, or EOF before the end), or timed out.
func brokeOff(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	return timedOut(err)
}

// netTimeout returns err so that the README's one check finds the
// timeout in it, if it has one anywhere in its chain: errors.As stops at
// the first net.Error, and net/http's *url.Error asks its direct cause
// only, so a read timeout that net/http wraps ("HTTP/1.x transport
// connection broken: %w", for a response cut off in its headers) would
// read as no timeout.
func netTimeout(err error) error {
	var first net.Error
	if errors.As(err, &first) && !first.Timeout() && timedOut(err) {
		return &timeoutError{err}
	}
	return err
}

// timeoutError is an error that timed out further down its chain.
type timeoutError struct{ err error }

func (e *timeoutError) Error() string   { return e.err.Error() }
func (e *timeoutError) Unwrap() error   { return e.err }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

// timedOut reports whether any error in err's chain is a timeout:
// *url.Error reports only its direct cause's.
func timedOut(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t, ok := e.(interface{ Timeout() bool }); ok && t.Timeout() {
			return true
		}
	}
	return false
}

// http2StreamError has the shape of net/http's HTTP/2 stream error (a
// RST_STREAM), whose type is unexported: the error converts itself, for
// errors.As, into any struct of this shape (as it does into
// golang.org/x/net/http2.StreamError), so no module is needed to read it.
type http2StreamError struct {
	StreamID uint32
	Code     uint32
	Cause    error
}

func (e http2StreamError) Error() string { return fmt.Sprintf("stream error: code %d", e.Code) }

// transientStreamCodes are the RST_STREAM codes worth another try: the
// server ended the stream for its own reasons (no error, an internal
// error, refused, cancelled, overloaded), not because the request or the
// connection was wrong (protocol, flow control, frame size, compression,
// security, HTTP/1.1 required).
var transientStreamCodes = map[uint32]bool{
	0x0: true, // NO_ERROR
	0x2: true, // INTERNAL_ERROR
	0x7: true, // REFUSED_STREAM
	0x8: true, // CANCEL
	0xb: true, // ENHANCE_YOUR_CALM
}

// retryAfter reads a Retry-After header in either form: delay-seconds or
// an HTTP-date (a date in the past means now).
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	const day = int64(24 * time.Hour / time.Second)
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && secs > 0 {
		secs, err = day, nil // more seconds than int64 holds: far past any cap
	}
	if err == nil && (v[0] < '0' || v[0] > '9') {
		err = strconv.ErrSyntax // "+1": delay-seconds are digits alone (RFC 9110)
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		// Clamped so that the Duration cannot overflow; any cap is lower.
		return time.Duration(min(secs, day)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), time.Duration(day)*time.Second), true
	}
	return 0, false
}

// finalError is the error a call returns after n attempts, the last of
// which failed with err (and resp, if a response came). If the last
// attempt got no response but an earlier one did (answered), the error
// wraps both, so errors.As still finds the API's last answer.
func finalError(err error, resp *http.Response, answered error, n int) error {
	if resp != nil || answered == nil {
		return withAttempts(err, n)
	}
	return &unansweredError{last: err, answered: withAttempts(answered, n)}
}

// unansweredError is a final error without a response after an attempt
// that had one: it is both, and says both.
type unansweredError struct {
	last     error
	answered error // carries the attempt count
}

func (e *unansweredError) Error() string {
	return e.last.Error() + "; the API's last answer: " + strings.TrimPrefix(e.answered.Error(), "elevenlabs: ")
}

func (e *unansweredError) Unwrap() []error { return []error{e.last, e.answered} }

// notRetriedError is a retryable failure that was not retried, and why.
// Its text is made when read (not by fmt.Errorf, at once), so that it
// shows the attempt count that withAttempts records later on the
// *APIError or *DecodeError it wraps.
type notRetriedError struct {
	err error
	why string
}

func (e *notRetriedError) Error() string { return e.err.Error() + "; not retried: " + e.why }

func (e *notRetriedError) Unwrap() error { return e.err }

// withAttempts records the number of attempts on the final error.
func withAttempts(err error, n int) error {
	if n <= 1 {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		apiErr.Attempts = n
		return err
	}
	var decErr *DecodeError
	if errors.As(err, &decErr) {
		decErr.Attempts = n
		return err
	}
	return fmt.Errorf("%w (after %d attempts)", err, n)
}

// canceledError is returned when the caller's context ends during a wait
// between attempts: it is both the context's error and the last attempt's.
type canceledError struct {
	cause    error
	last     error
	attempts int
}

func (e *canceledError) Error() string {
	// After two or more attempts, the last error's text already says so.
	after := ""
	if e.attempts == 1 {
		after = " (after 1 attempt)"
	}
	return fmt.Sprintf("elevenlabs: %v while waiting to retry; last error: %s%s",
		e.cause, strings.TrimPrefix(e.last.Error(), "elevenlabs: "), after)
}

func (e *canceledError) Unwrap() []error { return []error{e.cause, e.last} }

// logAttempt logs one attempt. It never logs headers or bodies, so the API
// key cannot appear; wait < 0 means no retry follows.
func (c *Client) logAttempt(ctx context.Context, level slog.Level, method, path string, n int, resp *http.Response, err error, d time.Duration, wait time.Duration) {
	if c.logger == nil || !c.logger.Enabled(ctx, level) {
		return
	}
	maxAttempts := c.retry.maxRetries + 1
	if maxAttempts < 0 { // WithMaxRetries(math.MaxInt)
		maxAttempts = math.MaxInt
	}
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("attempt", n),
		slog.Int("max_attempts", maxAttempts),
		slog.Duration("duration", d),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", clean(id, c.key.text())))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", scrubString(err.Error(), c.key.text())))
	}
	if wait >= 0 {
		attrs = append(attrs, slog.Duration("wait", wait))
	}
	msg := "elevenlabs: attempt succeeded"
	switch {
	case err != nil && wait >= 0:
		msg = "elevenlabs: attempt failed, retrying"
	case err != nil:
		msg = "elevenlabs: attempt failed"
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}
