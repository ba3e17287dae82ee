package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// apiKeyHeader is xi-api-key in Go's canonical form, so that setting and
// reading it costs no canonicalisation on every request.
const apiKeyHeader = "Xi-Api-Key"

// ErrResponseTooLarge is wrapped by the error for a 2xx response body
// larger than the Client's limit ([WithMaxResponseBytes]): from GetSecret,
// a [*DecodeError] with the response's status and request id.
var ErrResponseTooLarge = errors.New("response body too large")

// ErrRedirectRefused is wrapped by the error for a redirect that is not
// followed: one away from the Client's origin (scheme, host and port), so
// the API key and the request go nowhere else; or one to a URL that holds
// the API key, which would put it in the access logs on the way, as a
// secret ID holding it would (see GetSecret).
var ErrRedirectRefused = errors.New("refusing redirect")

// ErrTooManyRedirects is wrapped by the error for redirects (same-origin)
// that go on past 10 requests, unless the caller's *http.Client has a
// CheckRedirect of its own.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// transport is the Client's http.RoundTripper, wrapped around the caller's
// (or a tuned default) transport. For every request it
//   - keeps the API key to the Client's own origin (scheme and host), and
//   - reads the response body into memory up to maxBytes, then closes it,
//     so connections are reused and callers never hold a network stream.
type transport struct {
	base     http.RoundTripper
	baseURL  *url.URL // requests built from it match its Scheme and Host exactly
	origin   string   // scheme://host[:port] of the base URL
	maxBytes int64
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A Host header other than the URL's (a request editor's, through
	// Client.API) would route the request, behind a shared front end, to
	// another server than the base URL's: no key for it either.
	if !t.sameOrigin(req.URL) || (req.Host != "" && req.Host != req.URL.Host && !sameHost(req.Host, req.URL)) {
		req = req.Clone(req.Context())
		for name := range req.Header {
			if strings.EqualFold(name, apiKeyHeader) { // also a non-canonical spelling
				delete(req.Header, name)
			}
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// What http.Client tolerates from a RoundTripper (a caller's, often a
	// test's mock) must not make the wrapper panic further on.
	if resp == nil {
		return nil, errNoResponse
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	if resp.Request == nil || resp.Request.URL == nil {
		resp.Request = req
	}
	if resp.StatusCode < 200 {
		// A 101 (net/http returns no other 1xx): its body is the
		// connection itself, whose reads the request's context does not
		// stop. There is nothing to read in it for this API.
		_ = resp.Body.Close()
		resp.Body = http.NoBody
		return resp, nil
	}
	// An error response is kept up to the limit (its start is what explains
	// it); a 2xx body over the limit is an error.
	cut := resp.StatusCode < 200 || resp.StatusCode > 299
	data, err := readLimited(resp.Body, resp.ContentLength, t.maxBytes, cut)
	_ = resp.Body.Close()
	if errors.Is(err, ErrResponseTooLarge) || err != nil && !cut && !requestEnded(req) && !transientError(err) {
		// An answer, too large, or whose framing or compression is broken
		// (not cut off: the same would come again), whose status and
		// headers (the request id) say more: the body fails when read.
		resp.Body = failedBody{err}
		return resp, nil
	}
	if err != nil && (!cut || requestEnded(req)) {
		return nil, err
	}
	// An error response whose body broke off (or does not decompress) is
	// still an answer: its status decides what follows (a 503 is retried,
	// a 404 is not), and the part read explains it; unless the caller's
	// context (or WithTimeout's) ended the read, which then decides. An
	// error body of exactly the limit is taken to be cut there.
	resp.Body = &bufferedBody{data: data, cut: cut && (err != nil || int64(len(data)) == t.maxBytes)}
	return resp, nil
}

// requestEnded reports whether the caller ended req: its context, or
// (for an *http.Client with a Timeout, which also closes the Cancel
// channel of requests it passes to a RoundTripper it does not know, such
// as transport, and may do so first) its Cancel channel.
func requestEnded(req *http.Request) bool {
	if req.Context().Err() != nil {
		return true
	}
	select {
	case <-req.Cancel: //lint:ignore SA1019 http.Client.Timeout still closes it, and can beat the context to the read
		return true
	default: // a nil channel: never
		return false
	}
}

// errNoResponse is the error for a RoundTripper that returned neither a
// response nor an error.
var errNoResponse = errors.New("the HTTP transport returned no response and no error")

// failedBody is a response body that could not be kept: reading it fails
// with err.
type failedBody struct{ err error }

func (b failedBody) Read([]byte) (int, error) { return 0, b.err }
func (b failedBody) Close() error             { return nil }

// CloseIdleConnections closes the idle connections of the transport
// underneath, if it keeps any.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// sameOrigin reports whether u is for the base URL's origin; the common
// case, a URL built from the base URL, is decided without allocating.
func (t *transport) sameOrigin(u *url.URL) bool {
	if u.Scheme == t.baseURL.Scheme && u.Host == t.baseURL.Host {
		return true
	}
	return originOf(u) == t.origin
}

// presize is the most of a body allocated on the word of its
// Content-Length before any of it arrives: a body up to this size is read
// into one allocation. A larger one grows with what arrives, at most
// presizeGrowth times what has come so far (and no further than the
// Content-Length), so a server that declares more than it sends cannot
// make the client allocate far ahead of it, and an honest large body
// still takes only a few allocations. A body without a Content-Length (a
// chunked or decompressed one), or longer than it said, doubles its
// buffer as it fills: two to four times its size allocated in all
// (append's growth, 1.25x for large slices, allocates about five to six
// times it).
const (
	presize       = 64 << 10
	presizeGrowth = 16
)

// maxEmptyReads is how many reads in a row may return neither data nor an
// error before a body is taken as broken (bufio's limit too).
const maxEmptyReads = 100

// readLimited reads r to its end, failing once more than limit bytes come,
// or, if cut, returning the first limit bytes; if reading fails, it returns
// what it read with the error. sizeHint (a Content-Length, or -1) sizes
// the buffer: see presize.
func readLimited(r io.Reader, sizeHint, limit int64, cut bool) ([]byte, error) {
	if cut {
		r = io.LimitReader(r, limit)
		sizeHint = min(sizeHint, limit)
	}
	if sizeHint > limit {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds the limit of %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, sizeHint, limit)
	}
	size := int64(512)
	if sizeHint >= 0 {
		size = min(sizeHint, presize) + 1 // +1 so that reading EOF needs no growth
	}
	buf := make([]byte, 0, size)
	for empty := 0; ; {
		if len(buf) == cap(buf) {
			want := min(satAdd1(sizeHint), presizeGrowth*int64(len(buf)))
			if want <= int64(len(buf)) { // no Content-Length, or more than it said
				want = 2 * int64(len(buf))
			}
			// One byte past the limit is as far as a read needs to go
			// (no further than the largest int64: math.MaxInt64 is how a
			// caller says "no limit", and one past it overflows).
			buf = append(make([]byte, 0, max(min(want, satAdd1(limit)), int64(len(buf))+1)), buf...)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		// A body (a caller's transport's) that keeps returning nothing
		// and no error would spin here for ever, deaf to the context.
		if n > 0 || err != nil {
			empty = 0
		} else if empty++; empty == maxEmptyReads {
			err = io.ErrNoProgress
		}
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w: more than the limit of %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, &bodyReadError{err}
		}
	}
}

// satAdd1 returns n+1, or n if that would overflow.
func satAdd1(n int64) int64 {
	if n == math.MaxInt64 {
		return n
	}
	return n + 1
}

// bodyReadError is a response body that broke off (the connection or,
// over HTTP/2, the stream was reset or closed before the end), is
// malformed (its chunked framing) or does not decompress. The retry loop
// retries the first (transientError); the transport makes a 2xx body of
// the others an answer whose body fails when read (a *DecodeError).
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string { return "reading response body: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error { return e.err }

// Timeout reports whether the body broke off because a deadline passed,
// so that a *url.Error around it (which asks only its direct cause)
// reports a timeout as it does for one before the response.
func (e *bodyReadError) Timeout() bool { return timedOut(e.err) }

// bufferedBody is a response body already read into memory; cut if only
// its start was kept.
type bufferedBody struct {
	data []byte
	off  int
	cut  bool
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

func (b *bufferedBody) Close() error { return nil }

// cutShort reports whether resp's body was cut at the Client's limit.
func cutShort(resp *http.Response) bool {
	b, ok := resp.Body.(*bufferedBody)
	return ok && b.cut
}

// responseBody returns the whole body of a response from transport.
func responseBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	if b, ok := resp.Body.(*bufferedBody); ok && b.off == 0 {
		return b.data, nil
	}
	return io.ReadAll(resp.Body)
}

// newHTTPClient returns the *http.Client the generated client sends
// through: a copy of the caller's (never modified), or a default tuned for
// concurrent use, with t wrapped around its transport and redirects kept to
// the base URL's origin.
func newHTTPClient(caller *http.Client, t *transport, base *url.URL, keys *keyMatcher, readIdleTimeout time.Duration) *http.Client {
	var hc http.Client
	if caller != nil {
		hc = *caller
	}
	t.base = hc.Transport
	if t.base == nil {
		// Also for a caller's client without a Transport: net/http would
		// use http.DefaultTransport, which has no guard against a silent
		// server and keeps 2 idle connections per host.
		t.base = defaultTransport(readIdleTimeout)
	}
	hc.Transport = t
	callerCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !t.sameOrigin(req.URL) {
			return fmt.Errorf("%w to another origin: %s (from %s)", ErrRedirectRefused, escapeUnprintable(originOf(req.URL)), base.Redacted())
		}
		// What the request line carries: the path and the query. (The
		// host is the base URL's, which New checks; a fragment is not sent.)
		if keys.holds(req.URL.EscapedPath()) || keys.holds(req.URL.RawQuery) {
			return fmt.Errorf("%w to a URL that holds the API key, or a piece of it: the key would be in the access logs on the way", ErrRedirectRefused)
		}
		if callerCheck != nil {
			return callerCheck(req, via)
		}
		if len(via) >= 10 {
			// net/http's error names the Location as written, often a
			// path alone: the host the loop is on is said here.
			return fmt.Errorf("%w; the last to %s", ErrTooManyRedirects, escapeUnprintable(redactedURL(req.URL)))
		}
		return nil
	}
	return &hc
}

// defaultTransport is http.DefaultTransport tuned for this client:
//   - many goroutines calling one host: Go's default keeps only 2 idle
//     connections per host, so concurrent callers would open (and close) a
//     connection per request;
//   - no hang: a connection on which nothing arrives for
//     DefaultReadIdleTimeout while a response is awaited fails the attempt
//     (which is then retried); see idleTimeoutConn. Unlike a per-request
//     timer, a read deadline costs nothing per request (net/http's
//     ResponseHeaderTimeout cost 5 to 6µs a call over loopback, 8%: see
//     BENCHMARKS.md). Its one side effect: when the wait ends before any
//     of a response on a reused HTTP/1 connection, net/http sends the GET
//     again, once, on another connection (its documented retry of an
//     idempotent request whose reused connection failed); HTTP/2, the
//     API's protocol over https, does not. An idle connection
//     is closed after a quarter of that time: a request on it then has at
//     least 3/4 of the timeout even if the connection's last write (a
//     stream reset, an acknowledgement) expected no answer and left the
//     deadline running;
//   - response headers are capped at 1 MiB (Go's default is 10 MiB), in
//     proportion to DefaultMaxResponseBytes.
func defaultTransport(readIdleTimeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// A proxy from the environment (HTTPS_PROXY) carries https requests
	// in a CONNECT tunnel it cannot read. Plain http, which New allows
	// only to a loopback host, never goes through one: the proxy would
	// read the key (Go's rules skip a proxy for loopback IPs and
	// "localhost", but not for "LOCALHOST").
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if req.URL.Scheme != "https" {
			return nil, nil
		}
		return http.ProxyFromEnvironment(req)
	}
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = min(t.IdleConnTimeout, readIdleTimeout/4)
	t.MaxResponseHeaderBytes = 1 << 20
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return newIdleTimeoutConn(conn, readIdleTimeout), nil
	}
	return t
}

// DefaultReadIdleTimeout is how long the default transport waits for the
// next bytes from a server before failing the attempt. The wait is moved
// lazily, and is the connection's: a request on a connection the server
// last answered has between 3/4 of it and all of it; over HTTP/2, one
// sent onto a connection already waiting on earlier unanswered requests
// has what is left of that wait; a silent server fails an attempt at
// most 5/4 of it after the request. [WithReadIdleTimeout] changes it.
//
// When the wait for a response ends on a reused HTTP/1 connection,
// net/http sends the GET again, once, within the same attempt (see
// [net/http.Transport]: it retries an idempotent request whose reused
// connection failed before answering), so a silent server holds that
// attempt for two waits (up to 5/2 of this); over HTTP/2, the API's
// protocol over https, it does not.
const DefaultReadIdleTimeout = 60 * time.Second

// idleTimeoutConn fails a read once the peer has sent nothing for timeout
// since it last sent something, or since a request went out after it
// had:
//   - each read moves the read deadline forward;
//   - so does a write after a read: a request on a connection that sat
//     idle starts a new wait (net/http reads from a pooled connection all
//     the time, so the read that receives the response may have been
//     waiting, deadline and all, since the connection went idle). Once a
//     write has moved it, further writes do not, until the peer sends
//     something: requests streaming onto an HTTP/2 connection whose peer
//     went silent must not keep it open.
//
// Moving a deadline updates a runtime timer, which costs more than the
// read of a small response, so it is moved only once a quarter of timeout
// has passed since it was last set: a silent peer fails a read after
// between 3/4 of timeout and timeout. Reads and writes come from different
// goroutines.
type idleTimeoutConn struct {
	net.Conn
	timeout  time.Duration
	deadline atomic.Int64 // the read deadline last set, as time since monoEpoch
	// reads counts the reads that returned data; seen is its value when a
	// write last moved the deadline: a write moves it again only once
	// reads has moved on (a count, not a flag, so that a read racing the
	// write is not lost).
	reads, seen atomic.Uint64
	// expired is the error of the read the deadline ended: later reads
	// fail with it at once. (net/http's header parser reads again after a
	// failed read, through bufio, which forgets the error: each read
	// would start a new wait, and a server silent after part of a header
	// line would get several.)
	expired atomic.Pointer[error]
}

// newIdleTimeoutConn returns conn failing reads after timeout as
// idleTimeoutConn says; its first write, the first request's, sets the
// deadline.
func newIdleTimeoutConn(conn net.Conn, timeout time.Duration) *idleTimeoutConn {
	c := &idleTimeoutConn{Conn: conn, timeout: timeout}
	c.seen.Store(^uint64(0))
	return c
}

func (c *idleTimeoutConn) Read(p []byte) (int, error) {
	if expired := c.expired.Load(); expired != nil {
		return 0, *expired
	}
	if _, err := c.extend(); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.reads.Add(1)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		c.expired.Store(&err)
	}
	return n, err
}

func (c *idleTimeoutConn) Write(p []byte) (int, error) {
	if r := c.reads.Load(); r != c.seen.Load() {
		// A write right after a read (an HTTP/2 WINDOW_UPDATE, say) finds
		// the deadline fresh and leaves it, and the read, for the next.
		moved, err := c.extend()
		if err != nil {
			return 0, err
		}
		if moved {
			c.seen.Store(r)
		}
	}
	return c.Conn.Write(p)
}

// extend moves the read deadline to timeout from now, if less than 3/4 of
// timeout is left, and reports whether it did.
func (c *idleTimeoutConn) extend() (bool, error) {
	now := time.Now()
	mono := now.Sub(monoEpoch)
	if time.Duration(c.deadline.Load())-mono >= c.timeout-c.timeout/4 {
		return false, nil
	}
	c.deadline.Store(int64(mono + c.timeout))
	return true, c.Conn.SetReadDeadline(now.Add(c.timeout))
}

// monoEpoch is the origin of idleTimeoutConn's deadlines: durations since
// it use the monotonic clock.
var monoEpoch = time.Now()

// originOf returns scheme://host[:port] of u, lower-cased, with the
// scheme's default port removed.
func originOf(u *url.URL) string {
	// ASCII letters only: strings.ToLower maps the Kelvin sign to 'k',
	// which would make another host's name equal to this one's.
	scheme := asciiLower(u.Scheme)
	host := asciiLower(u.Hostname())
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host
}

// sameHost reports whether the Host header host names u's host and port
// (ASCII letters in any case; a scheme's default port written or not).
func sameHost(host string, u *url.URL) bool {
	return originOf(&url.URL{Scheme: u.Scheme, Host: host}) == originOf(u)
}

// parseBaseURL checks a base URL and returns it without a trailing slash.
func parseBaseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("elevenlabs: the base URL is empty")
	}
	if !strings.Contains(raw, "://") {
		// localhost:8080 would parse with "localhost" as its scheme, and
		// 127.0.0.1:8080 not at all. Not a URL: maybe another value (a
		// key) in the wrong place, so it is described, not quoted.
		return nil, fmt.Errorf("elevenlabs: base URL (a value of %d bytes) has no scheme: it must start with https:// (or http:// for a loopback host)", len(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		// *url.Error quotes the whole URL, credentials and all: keep only
		// the reason.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("elevenlabs: invalid base URL: %w", err)
	}
	shown := strconv.Quote(redactedURL(u))
	if u.Scheme == "" || u.Host == "" {
		// Not a URL at all: maybe another value (a key) in the wrong
		// place, so it is described, not quoted.
		shown = fmt.Sprintf("(a value of %d bytes)", len(raw))
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("elevenlabs: base URL %s: the scheme must be https", shown)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("elevenlabs: base URL %s has no host", shown)
	case u.Port() != "" && !validPort(u.Port()):
		return nil, fmt.Errorf("elevenlabs: base URL %s: the port must be 1 to 65535", shown)
	case u.User != nil:
		return nil, fmt.Errorf("elevenlabs: base URL %s carries credentials (user info); the API key is the only credential sent", shown)
	case u.RawQuery != "" || u.ForceQuery:
		// Not shown (redactedURL drops it): it may hold a credential.
		return nil, fmt.Errorf("elevenlabs: base URL %s has a query (?..., not shown): a base URL takes none", shown)
	case u.Fragment != "":
		return nil, fmt.Errorf("elevenlabs: base URL %s has a fragment (#..., not shown): a base URL takes none", shown)
	case slices.ContainsFunc(strings.Split(u.Path, "/"), func(seg string) bool { return seg == "." || seg == ".." }):
		// Resolved away when the request is built: the prefix would be lost.
		return nil, fmt.Errorf("elevenlabs: base URL %s has a . or .. path segment", shown)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("elevenlabs: base URL %s: plain http is only allowed to a loopback host; the API key must not cross the network unencrypted", shown)
	}
	if u.RawPath == "" {
		u.Path = strings.TrimRight(u.Path, "/")
	} else {
		// Trimmed as written: the decoded path would lose a %2F at the
		// end too, and no longer match RawPath, which url.URL then drops.
		u.RawPath = strings.TrimRight(u.RawPath, "/")
		if u.Path, err = url.PathUnescape(u.RawPath); err != nil { // url.Parse read it
			return nil, fmt.Errorf("elevenlabs: invalid base URL: %w", err)
		}
	}
	if !strings.Contains(u.Host, "%") { // an IPv6 zone may be case-sensitive
		// Host names are case-insensitive, but not every rule that looks
		// at them is (a proxy's bypass list): one spelling.
		u.Host = asciiLower(u.Host) // not strings.ToLower: see originOf
	}
	return u, nil
}

// redactedURL returns u as a string without its user info, query and
// fragment: any of them may hold a credential (url.URL.Redacted keeps the
// user name and the query).
func redactedURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return c.String()
}

// errorURL is redactedURL(u) for an error, without key, also where the
// path spells it with escapes (a redirect's Location can: /%73k_...), as
// scrubString finds it.
func errorURL(u *url.URL, key string) string { return scrubString(redactedURL(u), key) }

// validPort reports whether port (digits, as url.Parse leaves it) is a
// TCP port number.
func validPort(port string) bool {
	n, err := strconv.ParseUint(port, 10, 16)
	return err == nil && n > 0
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
