package elevenlabstest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// apiKeyHeader is the header ElevenLabs reads the API key from.
const apiKeyHeader = "xi-api-key"

// Redacted replaces the values of credential headers in [Request.Header].
const Redacted = "[REDACTED]"

// credentialHeaders are the headers whose values [Request.Header] hides:
// the API key, and the other places a request can carry a credential.
var credentialHeaders = []string{apiKeyHeader, "Authorization", "Proxy-Authorization", "Cookie"}

// Request is what the server recorded of one request it received.
type Request struct {
	// Method is the request's method: GET. It and Host hide the keys
	// that Path hides, where they appear, as Header's values do.
	Method string
	Host   string // the Host header: the host the request was meant for
	// Path is the escaped path, as sent: /v1/convai/secrets/sec_123. A
	// segment that holds one of the server's keys, or the request's
	// xi-api-key (once unescaped; as [elevenlabs.Redact] finds them), is
	// replaced by [Redacted] (code that
	// sends the key as the ID is caught without printing it), if the key
	// has at least [elevenlabs.MinScrubbedKeyLen] bytes.
	Path string
	// RawQuery is the query as sent, without the '?': "" when the URL
	// has none (GetSecret sends none). A name or value that holds one of
	// those keys is replaced by [Redacted], as in Path.
	RawQuery string
	// Header is the request's header with every value of xi-api-key,
	// Authorization, Proxy-Authorization and Cookie replaced by
	// [Redacted], so which were sent, and how many times, still shows;
	// in the other headers' values and names, those keys are replaced by
	// [Redacted] where they appear, as [elevenlabs.Redact] hides them (in
	// any ASCII case, escaped, or 12 consecutive characters of one).
	Header http.Header
	// RequestID is the request-id header the server answered with
	// (req_fake_000001), to match a client's error or log line to the
	// request.
	RequestID string
	// APIKey is the (first) xi-api-key value sent, "" if none. Compare it
	// with ==: req.APIKey == elevenlabstest.Key(want).
	APIKey Key
}

// Key is an API key as a request carried it. Keys compare with == like
// strings, but never print: every fmt verb, JSON and text encoding show
// only a short fingerprint, "Key(sha256:1a2b3c4d)", so that a failing
// test can tell two keys apart without leaking either. An empty Key
// prints as "Key(none)".
type Key string

// String returns the key's fingerprint, never the key.
func (k Key) String() string {
	if k == "" {
		return "Key(none)"
	}
	sum := sha256.Sum256([]byte(k))
	return "Key(sha256:" + hex.EncodeToString(sum[:4]) + ")"
}

// Format prints the fingerprint for every verb (%s, %v, %q, %x, %#v...).
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// MarshalText encodes the fingerprint, so JSON and other encoders do not
// leak the key.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// record turns an incoming request into a Request; keys are the keys
// the server accepts, hidden from the query.
func record(r *http.Request, keys map[string]bool) Request {
	h := r.Header.Clone()
	var key Key
	if vals := h.Values(apiKeyHeader); len(vals) > 0 {
		key = Key(vals[0])
	}
	for _, name := range credentialHeaders {
		name = http.CanonicalHeaderKey(name)
		if vals := h[name]; len(vals) > 0 {
			redacted := make([]string, len(vals))
			for i := range redacted {
				redacted[i] = Redacted
			}
			h[name] = redacted
		}
	}
	if h == nil {
		h = http.Header{}
	}
	// Shorter keys are placeholders ("test"), as for the client's
	// scrubbing, and would blank ordinary path segments.
	var secrets []string
	for k := range keys {
		if len(k) >= elevenlabs.MinScrubbedKeyLen {
			secrets = append(secrets, k)
		}
	}
	if len(key) >= elevenlabs.MinScrubbedKeyLen && !keys[string(key)] {
		secrets = append(secrets, string(key))
	}
	// As the client hides the key: in any ASCII case, escaped, or a run
	// of 12 of its characters.
	redact := func(v string) string {
		for _, k := range secrets {
			v = elevenlabs.Redact(v, k)
		}
		return v
	}
	isKey := func(v string) bool { return redact(v) != v }
	renamed := map[string]string{} // headers named after the key: their names hidden
	for name, vals := range h {
		for i, v := range vals {
			vals[i] = redact(v)
		}
		if hidden := redact(name); hidden != name {
			renamed[name] = hidden
		}
	}
	for name, hidden := range renamed {
		h[hidden] = append(h[hidden], h[name]...)
		delete(h, name)
	}
	return Request{
		Method:   redact(r.Method),
		Host:     redact(r.Host),
		Path:     redactPath(r.URL.EscapedPath(), isKey),
		RawQuery: redactQuery(r.URL.RawQuery, isKey),
		Header:   h,
		APIKey:   key,
	}
}

// redactPath replaces each segment of the escaped path p that isKey
// reports as holding a key (once unescaped) with [Redacted].
func redactPath(p string, isKey func(string) bool) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if unescaped, err := url.PathUnescape(seg); err == nil {
			seg = unescaped
		}
		if isKey(seg) {
			segs[i] = Redacted
		}
	}
	return strings.Join(segs, "/")
}

// redactQuery replaces each name and value of the raw query q (or whole
// parameter, for one without '=') that isKey reports as holding a key,
// escaped or not, with [Redacted], leaving the rest as sent.
func redactQuery(q string, isKey func(string) bool) string {
	if q == "" {
		return ""
	}
	hide := func(v string) string {
		if unescaped, err := url.QueryUnescape(v); (err == nil && isKey(unescaped)) || isKey(v) {
			return Redacted
		}
		return v
	}
	parts := strings.Split(q, "&")
	for i, part := range parts {
		if name, value, hasValue := strings.Cut(part, "="); hasValue {
			parts[i] = hide(name) + "=" + hide(value)
		} else {
			parts[i] = hide(part)
		}
	}
	return strings.Join(parts, "&")
}
