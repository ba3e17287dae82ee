package elevenlabstest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A Fault is what one request meets instead of a plain answer. Queue
// faults with [Server.AddFaults]; each request takes the next one,
// whatever its path, method or key, unless SecretID aims the fault at
// requests for one secret (see SecretID). The fields apply in this order:
//
//  1. Delay: wait, then go on. The wait ends early when the request's
//     context is done or the server is closed, and then the request gets
//     no answer (its connection is closed).
//  2. Status: when not zero, answer with this status instead, and with
//     Body, or when Body is nil a default body. For 422 that is an
//     HTTPValidationError as openapi.yaml describes it (one error at
//     ["path", "secret_id"]); for another 4xx or a 5xx an ElevenLabs-style
//     error body such as {"detail":{"status":"service_unavailable",...}};
//     for a 2xx other than 200, or a 3xx, an empty body (never an error
//     body under a success status). Status 200 with a nil Body is the
//     exception: the server answers as it would have, status included
//     (the secret, or the 401 or 404 the request earns), so that a 200
//     fault never invents a body that is not a secret; give a Body to
//     answer 200 with anything. When Status is zero the server answers as
//     it would have (200 with the secret, 404, ...).
//  3. RetryAfter and Header: set these response headers.
//  4. Body: when not nil, replaces the body.
//  5. Truncate: send only the first half of the body, as a complete
//     response whose Content-Length matches (a body that does not parse).
//  6. DropConnection: announce the whole body's Content-Length, send its
//     first half and close the connection (the client sees an unexpected
//     EOF). An answer that has no body (to a HEAD request, or with
//     status 204 or 304) is cut before the blank line that ends its
//     headers instead: a response complete at its headers would reach the
//     client whole.
//  7. Stall: like DropConnection, but instead of closing the connection
//     after the first half of the body, send nothing more until the
//     client closes it, or the server is closed: a server gone silent in
//     the middle of a body, for tests of a client's read timeouts.
//  8. NoAnswer: send nothing at all (after Delay) and close the
//     connection: the client sees EOF before any response. On a
//     connection that carried a request before, net/http's client would
//     send a request it can replay (a GET without a body, say) again on a
//     new connection without telling its caller, so for such a request
//     the fault also stays queued, at the head and without its Delay, for
//     that replay: both requests are recorded, and the caller sees the
//     fault.
//  9. Reset: the connection DropConnection or NoAnswer closes is reset
//     (a TCP RST) rather than closed in order: the client sees
//     "connection reset by peer".
//
// The zero Fault answers as if there were no fault, and still uses up a
// request. Faults bypass the spec: a fault's body need not conform to
// openapi.yaml.
//
// A fault must be one HTTP can carry, or [Server.AddFaults] panics: Status
// is 0 or 200 to 599 (a 1xx is not a final answer, and net/http cannot
// send a status outside 100 to 999); a redirect (301, 302, 303, 307, 308)
// has a Location in Header; a 204 or 304, which have no body, has no Body
// and no Truncate; SecretID, if set, is one a request's path can carry as
// one segment (not ".", "..", nor holding "/"); at most one of
// DropConnection, Stall and NoAnswer is set, and Reset only with
// DropConnection or NoAnswer; Header sets neither
// Content-Length (the server sets it
// for the body it sends; DropConnection and Truncate break bodies) nor
// request-id (the server's, which [Request.RequestID] records); and a
// fault that keeps the server's own 200 or 422 body (no Body, no
// Truncate, DropConnection or Stall; Status 0, 200 or 422) sets no
// Content-Encoding, and no Content-Type but application/json (with
// parameters, such as charset, if any): that body is sent as the spec
// says.
type Fault struct {
	// SecretID, when not empty, aims the fault at the requests for this
	// secret (to /v1/convai/secrets/{SecretID}): a request for another
	// secret, or to another path, passes the fault by, and meets the
	// first queued fault aimed at it or at no secret. Tests that share a
	// server and run in parallel give their faults their own secret IDs,
	// so that none meets another's.
	SecretID       string
	Delay          time.Duration
	Status         int
	RetryAfter     string // Retry-After header: seconds ("2") or an HTTP date
	Header         http.Header
	Body           []byte
	Truncate       bool
	DropConnection bool
	Stall          bool
	NoAnswer       bool
	Reset          bool
}

// jsonMediaType reports whether a Content-Type header's values are one,
// of the media type application/json (parameters such as charset
// allowed).
func jsonMediaType(values []string) bool {
	if len(values) != 1 {
		return false
	}
	mt, _, err := mime.ParseMediaType(values[0])
	return err == nil && mt == "application/json"
}

// HTMLErrorPage is a fault answering with status and an HTML error page
// such as a proxy or load balancer in front of the API sends, as
// text/html: HTMLErrorPage(http.StatusBadGateway) is nginx's
// "502 Bad Gateway" page. status must be an error status, 400 to 599, or
// HTMLErrorPage panics (an error page under a success status is a
// mistake in the test).
func HTMLErrorPage(status int) Fault {
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("elevenlabstest: HTMLErrorPage: status %d is not an error status (400 to 599)", status))
	}
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	body := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" +
		title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	return Fault{
		Status: status,
		Header: http.Header{"Content-Type": {"text/html"}},
		Body:   []byte(body),
	}
}

// AddFaults queues faults for the next requests, one per request, in
// order, after any already queued. To fail the next n requests the same
// way, repeat the fault: AddFaults(slices.Repeat([]Fault{f}, n)...).
// The server keeps its own copy of each fault's Header and Body.
//
// AddFaults panics, queueing none of faults, if one cannot be sent (see
// [Fault]): like an invalid status passed to net/http's WriteHeader, that
// is a mistake in the test, best seen where it is made rather than as a
// broken connection later.
func (s *Server) AddFaults(faults ...Fault) {
	for i, f := range faults {
		if err := f.check(); err != nil {
			panic(fmt.Sprintf("elevenlabstest: AddFaults: fault %d: %v", i, err))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		f.Header = f.Header.Clone()
		if f.Body != nil {
			f.Body = append([]byte{}, f.Body...)
		}
		s.faults = append(s.faults, f)
	}
}

// check returns why f cannot be sent, or nil.
func (f Fault) check() error {
	// An ID no request's path can carry as one segment would never be
	// met (a request is matched on its unescaped path: "a b" can be).
	if id := f.SecretID; strings.Contains(id, "/") || id == "." || id == ".." {
		return fmt.Errorf("SecretID %q: no request path carries it as one segment, so no request would meet the fault", id)
	}
	// The server's own 200 and 422 bodies conform to the spec, which says
	// how they are sent too: a fault that keeps such a body whole may not
	// describe it otherwise.
	ownSpecBody := f.Body == nil && !f.Truncate && !f.DropConnection && !f.Stall &&
		(f.Status == 0 || f.Status == http.StatusOK || f.Status == http.StatusUnprocessableEntity)
	for k, vs := range f.Header {
		switch c := http.CanonicalHeaderKey(k); {
		case c == "Content-Length" || c == "Request-Id":
			return fmt.Errorf("the Header sets %s, which the server sets itself", c)
		case ownSpecBody && (c == "Content-Encoding" || c == "Content-Type" && !jsonMediaType(vs)):
			return fmt.Errorf("the Header sets %s for the server's own 200 or 422 body, which is JSON as the spec says; give a Body, or break the body (Truncate...), to send another", c)
		}
	}
	switch n := btoi(f.DropConnection) + btoi(f.Stall) + btoi(f.NoAnswer); {
	case n > 1:
		return errors.New("at most one of DropConnection, Stall and NoAnswer can apply")
	case f.Reset && !f.DropConnection && !f.NoAnswer:
		return errors.New("fault with Reset: it applies to the connection DropConnection or NoAnswer closes; set one of them")
	}
	switch {
	case f.Status == 0:
		return nil
	case f.Status < 200 || f.Status > 599:
		return fmt.Errorf("status %d: want 0 (the status the request earns) or 200 to 599", f.Status)
	case isRedirect(f.Status) && f.Header.Get("Location") == "":
		return fmt.Errorf("status %d: a redirect needs a Location in Header", f.Status)
	case !bodyAllowed(f.Status) && (f.Body != nil || f.Truncate):
		return fmt.Errorf("status %d has no body: Body and Truncate cannot apply", f.Status)
	}
	return nil
}

// bodyAllowed reports whether a response with status can have a body.
func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified
}

// PendingFaults returns how many queued faults no request has met yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// ClearFaults drops the queued faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// wait sleeps for d and reports whether it did; it returns false as soon
// as the request's context is done or the server closes.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closed:
		return false
	}
}

// response is an answer before it is written.
type response struct {
	status int
	header http.Header
	body   []byte
}

// apply changes resp as the fault says (all but Delay and DropConnection).
func (f Fault) apply(resp response) response {
	switch {
	case f.Status == 0, f.Status == http.StatusOK && f.Body == nil:
		// The answer the request earns.
	case f.Status == http.StatusUnprocessableEntity && f.Body == nil:
		resp.status = f.Status
		resp.body = mustJSON(defaultValidationError)
		resp.header.Set("Content-Type", "application/json")
	case f.Status < 400 && f.Body == nil:
		// A 2xx other than 200, or a redirect: no body to invent.
		resp.status = f.Status
		resp.body = nil
		resp.header.Del("Content-Type")
	default:
		resp.status = f.Status
		resp.body = defaultErrorBody(f.Status)
		resp.header.Set("Content-Type", "application/json")
	}
	if f.RetryAfter != "" {
		resp.header.Set("Retry-After", f.RetryAfter)
	}
	for k, vs := range f.Header {
		resp.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if f.Body != nil {
		resp.body = f.Body
	}
	if f.Truncate {
		resp.body = resp.body[:len(resp.body)/2]
	}
	return resp
}

// defaultValidationError is the body of a 422 fault without a Body: an
// HTTPValidationError, as FastAPI answers when it refuses a path
// parameter.
var defaultValidationError = map[string][]validationError{"detail": {{
	Type: "value_error",
	Loc:  []any{"path", "secret_id"},
	Msg:  "Value error, Unprocessable Entity",
}}}

// defaultErrorBody is an ElevenLabs-style error body for status, such as
// {"detail":{"status":"service_unavailable","message":"Service Unavailable"}}.
func defaultErrorBody(status int) []byte {
	text := http.StatusText(status)
	if text == "" {
		text = "Status " + strconv.Itoa(status)
	}
	code := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(text))
	switch status {
	case http.StatusTooManyRequests:
		code, text = "too_many_concurrent_requests", "Too many concurrent requests, please try again later."
	case http.StatusUnauthorized:
		code, text = "invalid_api_key", "Invalid API key"
	}
	return mustJSON(errorBody(code, text))
}

// write sends resp through w.
func (resp response) write(w http.ResponseWriter) {
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// hijack takes the connection of w over, or aborts the response.
func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // cannot hijack: abort the response instead
	}
	return conn, buf
}

// closeConn closes conn; with reset, with a TCP RST (no linger).
func closeConn(conn net.Conn, reset bool) {
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// noAnswer takes the connection over and closes it, having sent nothing.
func noAnswer(w http.ResponseWriter, reset bool) {
	conn, _ := hijack(w)
	closeConn(conn, reset)
}

// dropConnection takes the connection over, announces resp's full body
// length, sends the first half of the body and closes the connection
// (resets it, with reset), or with stall waits until the client closes it
// or the server is closed. A response without a body (to HEAD, or a 204
// or 304) stops before the blank line that ends its headers.
func (s *Server) dropConnection(w http.ResponseWriter, r *http.Request, resp response, reset, stall bool) {
	body := resp.body
	if len(body) == 0 {
		body = []byte("{}") // something to cut in half
	}
	conn, buf := hijack(w)
	defer closeConn(conn, reset)
	if stall {
		defer func() {
			gone := make(chan struct{})
			go func() {
				defer close(gone)
				_, _ = io.Copy(io.Discard, conn) // until the client closes it
			}()
			select {
			case <-gone:
			case <-s.closed:
			}
		}()
	}
	text := http.StatusText(resp.status)
	if text == "" {
		text = "Status " + strconv.Itoa(resp.status)
	}
	fmt.Fprintf(buf, "HTTP/1.1 %03d %s\r\n", resp.status, text)
	resp.header.Set("Content-Length", strconv.Itoa(len(body)))
	_ = resp.header.Write(buf)
	if r.Method != http.MethodHead && bodyAllowed(resp.status) {
		_, _ = buf.WriteString("\r\n")
		_, _ = buf.Write(body[:len(body)/2])
	}
	_ = buf.Flush()
}

// isRedirect reports whether status sends the client to a Location.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
