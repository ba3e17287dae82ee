package elevenlabs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
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
// answers a caller most often branches on, an [*APIError] with status 404
// (no such secret, or none the key's workspace can see), and 401 or 403
// (the API refused the key, or the key lacks the permission):
//
//	if errors.Is(err, elevenlabs.ErrNotFound) { ... }
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
	// ValidationErrors holds the parsed details of a 422 response.
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

// Is reports whether e has the status target stands for: 404 for
// ErrNotFound, 401 or 403 for ErrUnauthorized.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	}
	return false
}

// Error reads like "elevenlabs: GET https://host/v1/...: 404 Not Found: message".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "elevenlabs: %s %s: %s", e.Method, e.URL, e.Status)
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
func newAPIError(resp *http.Response, body []byte, key string) *APIError {
	body = scrub(body, key)
	if cutShort(resp) {
		body = trimKeyStart(body, key)
	}
	e := &APIError{
		Method:     resp.Request.Method,
		URL:        errorURL(resp.Request.URL, key),
		StatusCode: resp.StatusCode,
		Status:     clean(statusLine(resp), key),
		Header:     scrubHeader(resp.Header, key),
		RequestID:  clean(requestID(resp.Header), key),
		Body:       body,
		Attempts:   1,
	}
	// The whole body (up to the response limit) is read for the reason;
	// only its start is kept, in a copy that does not pin the rest.
	e.Code, e.Message, e.ValidationErrors = explain(body, key)
	if len(body) > maxErrorBody {
		e.Body = bytes.Clone(body[:maxErrorBody])
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
	parts := make([]string, 0, len(v.Loc))
	for _, l := range v.Loc {
		raw, _ := l.MarshalJSON()
		parts = append(parts, strings.Trim(string(raw), `"`))
	}
	if len(parts) == 0 {
		return v.Msg
	}
	return strings.Join(parts, ".") + ": " + v.Msg
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
		Method:      resp.Request.Method,
		URL:         errorURL(resp.Request.URL, key),
		StatusCode:  resp.StatusCode,
		Status:      clean(statusLine(resp), key),
		RequestID:   clean(requestID(resp.Header), key),
		ContentType: clean(resp.Header.Get("Content-Type"), key),
		Excerpt:     oneLine(string(scrub(body[:min(len(body), maxErrorBody)], key)), maxExcerpt),
		Err:         err,
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
// words in error text ("s[REDACTED]cret") and refuse ordinary IDs.
const MinScrubbedKeyLen = 8

// secretKey reports whether key is long enough to be hidden (see
// MinScrubbedKeyLen).
func secretKey(key string) bool { return len(key) >= MinScrubbedKeyLen }

// scrub replaces every occurrence of key in b, in any ASCII case, with
// [REDACTED].
func scrub(b []byte, key string) []byte {
	if !secretKey(key) || len(b) < len(key) {
		return b
	}
	s := string(b)
	if out := scrubString(s, key); out != s {
		return []byte(out)
	}
	return b
}

// trimKeyStart drops the end of a body cut short if it is the start of
// key (in any case), 4 bytes or more of it: the cut may have split an
// echoed key, which scrub cannot see. (Fewer would often match by chance,
// a letter of an ordinary word, and say nothing of the key.)
func trimKeyStart(b []byte, key string) []byte {
	if !secretKey(key) {
		return b
	}
	for i := len(key) - 1; i >= 4; i-- {
		if len(b) >= i && equalFoldASCII(b[len(b)-i:], key[:i]) {
			return b[:len(b)-i]
		}
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
	if !secretKey(key) {
		return h
	}
	for name, vs := range h {
		if scrubString(name, key) != name || slices.ContainsFunc(vs, func(v string) bool { return scrubString(v, key) != v }) {
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
// cut; errors.Is and errors.As still see the chain.
func scrubError(err error, key string) error {
	text := err.Error()
	if safe := cutMiddle(escapeUnprintable(scrubString(text, key)), maxErrorText); safe != text {
		return &scrubbedError{err: err, text: safe}
	}
	return err
}

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

// scrubString replaces every spelling of key in s with [REDACTED]: in any
// ASCII case (a host name comes back lower-cased; a server may echo the
// key upper-cased), and with any of its bytes escaped as in a URL (%73),
// a JSON string (\u0073) or HTML (&#115; &#x73;), as an echo in a Location,
// a JSON body or a page may write it.
func scrubString(s, key string) string {
	if !secretKey(key) || len(s) < len(key) {
		return s
	}
	spans := allKeySpans(s, key)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString("[REDACTED]")
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// allKeySpans returns the byte ranges of s that spell key, as written
// (in any case) or through escapes, merged where they overlap or touch, in
// order.
// Both readings are needed: one that decodes escapes first would miss a
// key that itself holds text like "%41", or that follows a stray "%7".
func allKeySpans(s, key string) [][2]int {
	spans := append(keySpans(s, key, false), keySpans(s, key, true)...)
	if len(spans) == 0 {
		return nil
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		if last := &merged[len(merged)-1]; sp[0] <= last[1] { // overlapping or touching: one
			last[1] = max(last[1], sp[1])
		} else {
			merged = append(merged, sp)
		}
	}
	return merged
}

// keySpans returns the byte ranges of s that spell key in any ASCII case,
// leftmost first, not overlapping; with decode, reading each escape as
// the byte it spells. It reads s once, matching with the
// Knuth-Morris-Pratt automaton, so a hostile text costs linear time and
// memory in the key's length only.
func keySpans(s, key string, decode bool) [][2]int {
	lk := asciiLower(key)
	// fail[q] is the length of the longest proper prefix of lk[:q+1] that
	// is also its suffix.
	fail := make([]int, len(lk))
	for i, k := 1, 0; i < len(lk); i++ {
		for k > 0 && lk[i] != lk[k] {
			k = fail[k-1]
		}
		if lk[i] == lk[k] {
			k++
		}
		fail[i] = k
	}
	starts := make([]int, len(lk)) // where the last len(key) decoded bytes began, in a ring
	var spans [][2]int
	q, n := 0, 0 // bytes of lk matched; bytes decoded
	for i := 0; i < len(s); n++ {
		c, width := s[i], 1
		if decode {
			c, width = decodeUnit(s[i:])
		}
		c = lowerASCII(c)
		starts[n%len(lk)] = i
		for q > 0 && lk[q] != c {
			q = fail[q-1]
		}
		if lk[q] == c {
			q++
		}
		i += width
		if q == len(lk) {
			spans = append(spans, [2]int{starts[(n+1)%len(lk)], i})
			q = 0
		}
	}
	return spans
}

// decodeUnit decodes the escape s starts with, if it spells an ASCII
// byte (%XX, \u00XX, &#NN;, &#xHH;), or else takes s's first byte; width is
// the bytes of s read. It allocates nothing, whatever s holds.
func decodeUnit(s string) (c byte, width int) {
	switch {
	case len(s) >= 3 && s[0] == '%':
		if v, ok := parseDigits(s[1:3], 16); ok && v < 0x80 {
			return byte(v), 3
		}
	case len(s) >= 6 && s[0] == '\\' && s[1] == 'u':
		if v, ok := parseDigits(s[2:6], 16); ok && v < 0x80 {
			return byte(v), 6
		}
	case len(s) >= 4 && s[0] == '&' && s[1] == '#':
		digits, base := s[2:], 10
		if digits[0] == 'x' || digits[0] == 'X' {
			digits, base = digits[1:], 16
		}
		if end := strings.IndexByte(digits[:min(len(digits), 8)], ';'); end > 0 {
			if v, ok := parseDigits(digits[:end], base); ok && v < 0x80 {
				return byte(v), len(s) - len(digits) + end + 1
			}
		}
	}
	return s[0], 1
}

// parseDigits reads s, at most 7 digits in base 10 or 16 and nothing
// else, as a number (strconv.ParseUint allocates an error for each text
// that is not one).
func parseDigits(s string, base int) (uint32, bool) {
	var v uint32
	for i := 0; i < len(s); i++ {
		var d byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= lowerASCII(c) && lowerASCII(c) <= 'f':
			d = lowerASCII(c) - 'a' + 10
		default:
			return 0, false
		}
		v = v*uint32(base) + uint32(d)
	}
	return v, len(s) > 0
}

// containsKey reports whether s contains key, in any ASCII case, and key
// is long enough to be hidden. It allocates nothing: GetSecret asks it of
// every secret ID.
func containsKey(s, key string) bool {
	if !secretKey(key) {
		return false
	}
	first := lowerASCII(key[0])
	for i := 0; i+len(key) <= len(s); i++ {
		if lowerASCII(s[i]) == first && equalFoldASCII(s[i:i+len(key)], key) {
			return true
		}
	}
	return false
}

// equalFoldASCII reports whether a and b are equal but for the case of
// their ASCII letters.
func equalFoldASCII[A, B ~string | ~[]byte](a A, b B) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

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
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "<") {
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

// stripTags drops HTML tags and the contents of <script>/<style> (all of
// the rest if one is not closed), enough to make a proxy's error page
// readable. It reads each byte a bounded number of times, whatever the
// markup. (A full HTML parser, golang.org/x/net/html, would be one more
// module for every importer, for an excerpt of an error message.)
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i:]
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
		j := strings.IndexByte(s, '>')
		if j < 0 {
			return b.String()
		}
		s = s[j+1:]
	}
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

// oneLine collapses white space, control characters (C0 and C1, which
// drive terminals) and bidirectional controls (which reorder what a reader
// sees) to single spaces,
// drops invalid UTF-8 and cuts the result to at most max bytes, marking a
// cut with "…".
func oneLine(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
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
