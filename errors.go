package elevenlabs

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/convai-secrets-go/elevenlabs/api"
)

// maxErrorBody caps the body an APIError keeps; maxExcerpt caps the
// excerpt an error message quotes.
const (
	maxErrorBody = 64 << 10
	maxExcerpt   = 200
)

// requestIDHeaders are the response headers a request id is read from, in
// order of preference.
var requestIDHeaders = []string{"Request-Id", "X-Request-Id", "Xi-Request-Id", "X-Amzn-Requestid", "Cf-Ray"}

// ErrNotFound and ErrUnauthorized are matched by errors.Is for the
// answers a caller most often branches on: an [*APIError] for a 404 in
// which the API says it has no such secret (none the key's workspace can
// see), and one for a 401 or 403 (the API refused the key, or the key
// lacks the permission):
//
//	if errors.Is(err, elevenlabs.ErrNotFound) { ... }
//
// ErrNotFound needs the API's own error body, {"detail": ...} (or, in an
// APIError made by hand without a Body, a Code or Message): a 404
// without one (a proxy's or gateway's page, an empty body) or with
// {"detail": "Not Found"} (the API's answer for a path it has no route
// for: a base URL with a path too many) is an [*APIError] with
// StatusCode 404 that does not match it, so that a wrong base URL or a
// gateway is never taken for "the secret is gone".
var (
	ErrNotFound     = errors.New("elevenlabs: not found")
	ErrUnauthorized = errors.New("elevenlabs: unauthorized")
)

// APIError is the error for every response whose status is not 2xx. Find
// it with errors.As (the call's error may wrap it: with why a retry was
// not made, or with a later attempt's failure):
//
//	var apiErr *elevenlabs.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests { ... }
//
// errors.Is(err, ErrNotFound) and errors.Is(err, ErrUnauthorized) test
// the common statuses.
//
// Its text, fields and Body never contain the Client's API key (of at
// least [MinScrubbedKeyLen] bytes), even when a server echoes it.
type APIError struct {
	Method     string // the request method, GET
	URL        string // the request URL, without credentials, query or fragment
	StatusCode int    // the HTTP status code, 404
	Status     string // the HTTP status line, "404 Not Found"
	// RequestID is the response's request id, for ElevenLabs support:
	// from the first of request-id, x-request-id, xi-request-id,
	// x-amzn-requestid and (a proxy's) cf-ray that it carries, if any.
	RequestID string
	// Code is the machine-readable reason the API gave, when it gave one
	// (detail.status in an ElevenLabs error body, "invalid_api_key").
	Code string
	// Message is the API's explanation (detail.message or detail), or a
	// readable excerpt of a body that is not JSON (an HTML error page).
	Message string
	// ValidationErrors holds the parsed details of a 422 response (none
	// for a body over 64 KiB, which is not parsed: see Message).
	ValidationErrors []ValidationError
	// Header is the response header.
	Header http.Header
	// Body is the response body, at most 64 KiB of it (and at most
	// WithMaxResponseBytes).
	Body []byte
	// Attempts is how many attempts the call made. This error is the
	// last answer the API gave; when a later attempt got none (a timeout,
	// a dropped connection), the call's error says so and wraps this one.
	Attempts int
}

// Is reports whether e is the answer target stands for: a 404 with the
// API's error body (see ErrNotFound) for ErrNotFound, a 401 or 403 for
// ErrUnauthorized.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && e.apisNotFound()
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	}
	return false
}

// apisNotFound reports whether e, a 404, is the API's answer for a
// resource it does not have: by its body, or, for an APIError made by hand
// without one (a caller's test fake), by the Code or Message it was given.
func (e *APIError) apisNotFound() bool {
	if len(e.Body) > 0 {
		return apiNotFound(e.Body)
	}
	return e.Code != "" || e.Message != "" && e.Message != "Not Found"
}

// apiNotFound reports whether body, of a 404, is the API's answer for a
// resource it does not have: a JSON object with a "detail" (an ElevenLabs
// {status, message} object, or a text), but not FastAPI's bare
// {"detail": "Not Found"} for a path without a route.
func apiNotFound(body []byte) bool {
	var parsed struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &parsed) != nil || len(parsed.Detail) == 0 || string(parsed.Detail) == "null" {
		return false
	}
	var text string
	if json.Unmarshal(parsed.Detail, &text) == nil {
		return text != "" && text != "Not Found"
	}
	return true
}

// Error reads like "elevenlabs: GET https://host/v1/...: 404 Not Found: message".
func (e *APIError) Error() string {
	var b strings.Builder
	status := e.Status
	if status == "" { // an APIError made by hand, in a caller's test
		status = strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
	}
	b.WriteString("elevenlabs:")
	if request := strings.TrimSpace(e.Method + " " + e.URL); request != "" {
		fmt.Fprintf(&b, " %s:", request)
	}
	fmt.Fprintf(&b, " %s", strings.TrimSpace(status))
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// newAPIError describes a non-2xx response; key is scrubbed from all of it.
// Only the body's first maxErrorBody bytes are read for the reason: an
// API error body is small, and a larger one (a proxy's, a hostile
// server's) must not cost more than reading it (a 422 of millions of
// validation errors would decode into hundreds of MiB).
func newAPIError(resp *http.Response, body []byte, key string) *APIError {
	if len(body) > maxErrorBody {
		// A copy, so as not to pin the rest.
		body = scrub(bytes.Clone(body[:maxErrorBody]), key, true)
	} else {
		body = scrub(body, key, cutShort(resp))
	}
	e := &APIError{
		Method:     clean(resp.Request.Method, key),
		URL:        errorURL(resp.Request.URL, key),
		StatusCode: resp.StatusCode,
		Status:     clean(statusLine(resp), key),
		Header:     scrubHeader(resp.Header, key),
		RequestID:  clean(requestID(resp.Header), key),
		Body:       body,
		Attempts:   1,
	}
	e.Code, e.Message, e.ValidationErrors = explain(body, key)
	if len(body) > maxErrorBody { // [REDACTED] at the cut is longer than what it hides
		e.Body = body[:maxErrorBody]
	}
	return e
}

// scrubValidationError replaces key in every string of v.
func scrubValidationError(v *ValidationError, key string) {
	v.Msg, v.Type = scrubString(v.Msg, key), scrubString(v.Type, key)
	for i := range v.Loc {
		if s, err := v.Loc[i].AsValidationErrorLocItems0(); err == nil {
			if scrubbed := scrubString(s, key); scrubbed != s {
				_ = v.Loc[i].FromValidationErrorLocItems0(scrubbed)
			}
		}
	}
}

// explain pulls the reason out of an error body: FastAPI's "detail" (a
// string, an ElevenLabs {status, message} object, or a list of validation
// errors), or else an excerpt of the body. body has been scrubbed of key,
// but decoding JSON escapes ("\u003c") can spell the key out again, so
// every decoded string is scrubbed too, before it is cut short.
func explain(body []byte, key string) (code, message string, validation []ValidationError) {
	var parsed struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &parsed) != nil || len(parsed.Detail) == 0 {
		return "", excerpt(body, key), nil
	}
	var text string
	if json.Unmarshal(parsed.Detail, &text) == nil {
		return "", clean(text, key), nil
	}
	var obj struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if json.Unmarshal(parsed.Detail, &obj) == nil && (obj.Status != "" || obj.Message != "") {
		return clean(obj.Status, key), clean(obj.Message, key), nil
	}
	var verr api.HTTPValidationError
	if json.Unmarshal(body, &verr) == nil && verr.Detail != nil {
		validation = *verr.Detail
		msgs := make([]string, 0, len(validation))
		for i := range validation {
			scrubValidationError(&validation[i], key)
			msgs = append(msgs, validationText(validation[i]))
		}
		return "", oneLine(strings.Join(msgs, "; "), maxExcerpt), validation
	}
	return "", excerpt(body, key), nil
}

// validationText renders one validation error as "loc.path: msg".
func validationText(v ValidationError) string {
	if len(v.Loc) == 0 {
		return v.Msg
	}
	return strings.Join(ValidationLoc(v), ".") + ": " + v.Msg
}

// ValidationLoc returns where a validation error (of
// [APIError.ValidationErrors]) points, each element of its loc as text:
// ["path", "secret_id"]; a list index as its decimal digits. (The
// generated Loc holds unions of a string and an integer.) An element
// that is neither is its JSON.
func ValidationLoc(v ValidationError) []string {
	loc := make([]string, 0, len(v.Loc))
	for _, l := range v.Loc {
		raw, _ := l.MarshalJSON()
		if s, err := l.AsValidationErrorLocItems0(); err == nil && len(raw) > 0 && raw[0] == '"' {
			loc = append(loc, s)
		} else if n, err := l.AsValidationErrorLocItems1(); err == nil && string(raw) != "null" {
			loc = append(loc, strconv.Itoa(n))
		} else {
			loc = append(loc, string(raw))
		}
	}
	return loc
}

// DecodeError is the error for a 2xx response whose body is not the
// expected JSON, lacks what the spec requires to know the secret and what
// uses it (secret_id; used_by's tools, agents and others), is for another
// secret than the one asked for, or is larger than the Client's limit
// (Err wraps [ErrResponseTooLarge]): it says what came back instead.
type DecodeError struct {
	Method      string // the request method, GET
	URL         string // the request URL, without credentials, query or fragment
	StatusCode  int    // the HTTP status code, 200
	Status      string // the HTTP status line, "200 OK"
	RequestID   string // the response's request id header, if any
	ContentType string // the response's Content-Type
	Excerpt     string // the start of the body, on one line
	Err         error  // the decoding error
	// Attempts is how many attempts the call made (earlier ones were
	// retried after a retryable failure).
	Attempts int
}

// Error reads like "elevenlabs: GET https://host/v1/...: 200 OK: cannot
// decode the response body (Content-Type ...): reason; body starts ...".
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("elevenlabs: %s %s: %s: cannot decode the response body (Content-Type %q): %v",
		e.Method, e.URL, e.Status, e.ContentType, e.Err)
	if e.Excerpt != "" {
		s += fmt.Sprintf("; body starts %q", e.Excerpt)
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns the decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

func newDecodeError(resp *http.Response, body []byte, err error, key string) *DecodeError {
	return &DecodeError{
		Method:      clean(resp.Request.Method, key),
		URL:         errorURL(resp.Request.URL, key),
		StatusCode:  resp.StatusCode,
		Status:      clean(statusLine(resp), key),
		RequestID:   clean(requestID(resp.Header), key),
		ContentType: clean(resp.Header.Get("Content-Type"), key),
		Excerpt:     oneLine(string(scrub(body[:min(len(body), maxErrorBody)], key, len(body) > maxErrorBody)), maxExcerpt),
		Err:         scrubError(err, key), // a body's read error is a transport's, which may quote anything
		Attempts:    1,
	}
}

func statusLine(resp *http.Response) string {
	if resp.Status != "" {
		return resp.Status
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}

// MinScrubbedKeyLen is the length from which an API key is treated as a
// credential: scrubbed from every error and log line, and refused inside a
// secret ID. ElevenLabs' keys are dozens of characters long; a shorter key
// is a placeholder such as "test", and hiding it would mangle ordinary
// words in error text ("s[REDACTED]cret") and refuse ordinary IDs. A key
// of 12 bytes or more is scrubbed in pieces too: any 12 consecutive bytes
// of it.
const MinScrubbedKeyLen = 8

// secretKey reports whether key is long enough to be hidden (see
// MinScrubbedKeyLen).
func secretKey(key string) bool { return len(key) >= MinScrubbedKeyLen }

// scrub is scrubString for a body, and, if cut (the body was cut short
// at a limit), scrubCut.
func scrub(b []byte, key string, cut bool) []byte {
	if out, changed := hideKey(string(b), key, cut); changed {
		return []byte(out)
	}
	return b
}

// requestID returns the response's request id, from the first of
// requestIDHeaders it carries.
func requestID(h http.Header) string {
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// scrubHeader returns h, or, if the key is in a header's name or value
// (in any spelling scrubString finds), a copy of h with it replaced.
func scrubHeader(h http.Header, key string) http.Header {
	m := matcherFor(key)
	if m == nil {
		return h
	}
	for name, vs := range h {
		if m.holds(name) || slices.ContainsFunc(vs, m.holds) {
			out := make(http.Header, len(h))
			for name, vs := range h {
				name = scrubString(name, key)
				for _, v := range vs {
					out[name] = append(out[name], scrubString(v, key))
				}
			}
			return out
		}
	}
	return h
}

// scrubError returns err, or, if its text contains key (a proxy or a
// caller's transport may quote it), characters that are not printable (a
// certificate's names, a proxy's status text: a server's choice) or more
// than maxErrorText bytes (a malformed status line, quoted whole), err with
// the key redacted from its text, those characters escaped and the text
// cut. What it wraps is err's chain as withoutKey leaves it: errors.Is
// still sees every error of it, and errors.As every one that did not
// hold the key.
func scrubError(err error, key string) error {
	text := err.Error()
	// Scrubbed after escaping: what is shown is what is checked (an
	// escape's letters next to a piece of the key could complete one).
	safe := cutMiddle(scrubString(escapeUnprintable(text), key), maxErrorText)
	// The chain is checked even if the text is clean: a wrapper's text
	// need not hold its cause's.
	if chain, changed := withoutKey(err, key); safe != text || changed {
		return &scrubbedError{err: chain, text: safe}
	}
	return err
}

// withoutKey returns err, and false, if no error in its chain holds key in
// its text (or in certificates it carries: certificatesHoldKey); or else a
// copy of the chain with each error that does, or that wraps one that
// does, replaced, and true: a *url.Error or *net.OpError by one of its
// type with the key scrubbed from its URL and addresses and its cause
// replaced likewise (callers read their Op, URL and Timeout), a
// *bodyReadError likewise (the retry loop reads it); any other by a
// keylessError, with its text scrubbed, its causes replaced likewise, and
// its answers to errors.Is, Timeout and Temporary. errors.As finds the
// replaced errors' own types no more (their fields hold the key), but
// finds their causes. It walks the chain once, and says whether it changed
// it rather than have errors compared (an error of an uncomparable type,
// a slice, would panic ==).
func withoutKey(err error, key string) (error, bool) {
	if err == nil {
		return nil, false
	}
	_, changed := hideKey(err.Error(), key, false)
	changed = changed || certificatesHoldKey(err, key)
	switch e := err.(type) {
	case *url.Error:
		if cause, c := withoutKey(e.Err, key); changed || c {
			return &url.Error{Op: e.Op, URL: scrubString(e.URL, key), Err: cause}, true
		}
		return err, false
	case *net.OpError:
		if cause, c := withoutKey(e.Err, key); changed || c {
			op := *e
			op.Source, op.Addr, op.Err = keylessAddr(e.Source, key), keylessAddr(e.Addr, key), cause
			return &op, true
		}
		return err, false
	case *bodyReadError:
		if cause, c := withoutKey(e.err, key); changed || c {
			return &bodyReadError{cause}, true
		}
		return err, false
	}
	// A wrapper's text usually holds its cause's, but need not: the
	// causes are looked at whatever its text.
	var cause error
	var causes []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		var c bool
		cause, c = withoutKey(u.Unwrap(), key)
		changed = changed || c
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			e, c := withoutKey(e, key)
			causes, changed = append(causes, e), changed || c
		}
	}
	if !changed {
		return err, false
	}
	k := keylessError{text: scrubString(err.Error(), key), cause: cause, is: func(target error) bool {
		if t := reflect.TypeOf(target); t != nil && t == reflect.TypeOf(err) && t.Comparable() && err == target {
			return true
		}
		is, ok := err.(interface{ Is(error) bool })
		return ok && is.Is(target)
	}}
	if causes != nil {
		return &keylessJoin{keylessError: k, causes: causes}, true
	}
	if t, ok := err.(interface{ Timeout() bool }); ok {
		temporary, _ := err.(interface{ Temporary() bool })
		return &keylessTimeoutError{k, t.Timeout(), temporary != nil && temporary.Temporary()}, true
	}
	return &k, true
}

// keylessAddr returns a, or, if its text holds key, an address that
// reads as a's text scrubbed.
func keylessAddr(a net.Addr, key string) net.Addr {
	if a == nil {
		return nil
	}
	if s, changed := hideKey(a.String(), key, false); changed {
		return scrubbedAddr{network: a.Network(), text: s}
	}
	return a
}

// scrubbedAddr is a net.Addr whose text held the key.
type scrubbedAddr struct{ network, text string }

func (a scrubbedAddr) Network() string { return a.network }
func (a scrubbedAddr) String() string  { return a.text }

// certificatesHoldKey reports whether err carries certificates (a TLS
// verification error's, whose text is clean) that hold key: a server
// chooses what its certificate's names say.
func certificatesHoldKey(err error, key string) bool {
	var certs []*x509.Certificate
	switch e := err.(type) {
	case *tls.CertificateVerificationError:
		certs = e.UnverifiedCertificates
	case x509.HostnameError:
		certs = []*x509.Certificate{e.Certificate}
	case *x509.HostnameError:
		certs = []*x509.Certificate{e.Certificate}
	case x509.UnknownAuthorityError:
		certs = []*x509.Certificate{e.Cert}
	case *x509.UnknownAuthorityError:
		certs = []*x509.Certificate{e.Cert}
	case x509.CertificateInvalidError:
		certs = []*x509.Certificate{e.Cert}
	case *x509.CertificateInvalidError:
		certs = []*x509.Certificate{e.Cert}
	}
	return slices.ContainsFunc(certs, func(c *x509.Certificate) bool { return c != nil && holdsKey(string(c.Raw), key) })
}

// keylessError stands for an error whose text held the key (see
// withoutKey): its scrubbed text, its cause, and its answers to errors.Is.
// The error itself is not kept, not even in a field reflection could read
// (a dumper's): only a function that asks it.
type keylessError struct {
	text  string
	is    func(error) bool
	cause error
}

func (e *keylessError) Error() string { return e.text }

// GoString keeps %#v to the scrubbed text: the error replaced holds the
// key.
func (e *keylessError) GoString() string {
	return "elevenlabs.keylessError{" + strconv.Quote(e.text) + "}"
}
func (e *keylessError) Unwrap() error { return e.cause }

// Is reports whether the error replaced is target, or says it matches it.
func (e *keylessError) Is(target error) bool { return e.is(target) }

// keylessTimeoutError is a keylessError for an error with a Timeout
// method, which the retry loop and callers ask (net.Error), and its
// answers.
type keylessTimeoutError struct {
	keylessError
	timeout, temporary bool
}

func (e *keylessTimeoutError) Timeout() bool   { return e.timeout }
func (e *keylessTimeoutError) Temporary() bool { return e.temporary }

// keylessJoin is a keylessError for an error that wraps several.
type keylessJoin struct {
	keylessError
	causes []error
}

func (e *keylessJoin) Unwrap() []error { return e.causes }

// maxErrorText bounds the text of an error from the network layer, whose
// messages can quote what a server sent.
const maxErrorText = 1 << 10

// cutMiddle returns s, or, if it is longer than max bytes, its start and
// its end joined by " … ": the end of an error often says what failed
// ("..., not api.elevenlabs.io").
func cutMiddle(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head, tail := max*2/3, max/3
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	start := len(s) - tail
	for start < len(s) && !utf8.RuneStart(s[start]) {
		start++
	}
	return s[:head] + " … " + s[start:]
}

// escapeUnprintable returns s with each character that is not printable
// (controls, bidi controls, line breaks; a byte that is not UTF-8) written
// as a Go escape, \x1b or \u202e: such text cannot drive a terminal or
// reorder what a reader sees. The space is printable.
func escapeUnprintable(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !strconv.IsPrint(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

type scrubbedError struct {
	err  error
	text string
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiLower lower-cases the ASCII letters of s, and only them, so that
// byte offsets stay those of s.
// (strings.ToLower and strings.Map would not: they change the length of
// invalid UTF-8 and of some letters.)
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = lowerASCII(b[i])
	}
	return string(b)
}

// excerpt returns a readable start of a body: JSON as it is, markup with
// its tags removed, on one line. Only the body's first maxErrorBody bytes
// are read: far more than an excerpt shows, and a bound on the work a
// hostile body can cause.
// Decoding entities can spell out a key the scrubbed body hides, so key is
// scrubbed again, before the text is cut.
func excerpt(body []byte, key string) string {
	text := string(body[:min(len(body), maxErrorBody)])
	if t := strings.TrimLeftFunc(text, isSpaceOrBOM); strings.HasPrefix(t, "<") {
		text = dropRepeatedStart(scrubString(html.UnescapeString(stripTags(t)), key))
	}
	return oneLine(text, maxExcerpt)
}

// dropRepeatedStart drops the first of two runs of the same words that a
// page's text starts with: an error page's title, repeated as its heading
// ("502 Bad Gateway 502 Bad Gateway nginx" reads "502 Bad Gateway nginx").
// A title is a few words: runs of up to 16 are tried, so a hostile page
// costs little work.
func dropRepeatedStart(text string) string {
	words := strings.Fields(text)
	for n := min(len(words)/2, 16); n > 0; n-- {
		if slices.Equal(words[:n], words[n:2*n]) {
			return strings.Join(words[n:], " ")
		}
	}
	return text
}

// isSpaceOrBOM reports whether r is white space or a byte-order mark
// (which some servers put before a page).
func isSpaceOrBOM(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// stripTags drops HTML tags (a ">" in a quoted attribute value does not
// end one), comments, and the contents of <script>/<style> (all of the
// rest if one is not closed), enough to make a proxy's error page
// readable. A "<" that starts no tag ("a < b") is text. It reads each
// byte a bounded number of times, whatever the markup. (A full HTML
// parser, golang.org/x/net/html, would be one more module for every
// importer, for an excerpt of an error message.)
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		if len(s) > 1 && !startsTag(s[1]) {
			b.WriteByte('<')
			s = s[1:]
			continue
		}
		b.WriteByte(' ')
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				return b.String()
			}
			s = s[4+end+3:]
			continue
		}
		for _, name := range []string{"script", "style"} {
			if isTagName(s[1:], name) {
				end := closingTag(s, name)
				if end < 0 {
					return b.String()
				}
				s = s[end:]
				break
			}
		}
		j := tagEnd(s)
		if j < 0 {
			return b.String()
		}
		s = s[j+1:]
	}
}

// startsTag reports whether c, after a "<", starts a tag, an end tag, a
// comment or declaration, or a processing instruction.
func startsTag(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// tagEnd returns the index of the ">" that ends the tag s starts with, or
// -1: a ">" in an attribute value quoted after "=" does not.
func tagEnd(s string) int {
	afterEquals := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '>':
			return i
		case (c == '"' || c == '\'') && afterEquals:
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return -1
			}
			i += 1 + j
			afterEquals = false
		case c == '=':
			afterEquals = true
		case c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			afterEquals = false
		}
	}
	return -1
}

// isTagName reports whether s starts with the tag name, in any case, and
// then ends it (with white space, "/", ">" or the end of s).
func isTagName(s, name string) bool {
	if len(s) < len(name) || !strings.EqualFold(s[:len(name)], name) {
		return false
	}
	return len(s) == len(name) || strings.IndexByte(" \t\n\r\f/>", s[len(name)]) >= 0
}

// closingTag returns the index in s of the first "</name", in any case,
// or -1.
func closingTag(s, name string) int {
	for i := 0; ; i += 2 {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return -1
		}
		i += j
		if isTagName(s[i+2:], name) {
			return i
		}
	}
}

// cut returns s, or its first max bytes (at a character's start) and
// "…" if it is longer.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max] + "…"
}

// clean returns text from a response (a decoded string or a header) fit
// for an error or a log line: without key, on one line, at most maxExcerpt
// bytes. It scrubs before it cuts, so no part of the key survives a cut.
func clean(s, key string) string { return oneLine(scrubString(s, key), maxExcerpt) }

// oneLine collapses white space and every character that is not
// printable to single spaces: control characters (C0 and C1, which drive
// terminals), bidirectional controls (which reorder what a reader sees),
// invisible ones (a zero-width space), and invalid UTF-8. It cuts the
// result to at most max bytes, marking a cut with "…". What it returns
// has nothing that %q escapes but '"' and '\\': an error quoting it cannot
// make new text next to what was scrubbed.
func oneLine(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}
