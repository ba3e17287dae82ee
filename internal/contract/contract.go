// Package contract runs test servers that hold both sides of the wire to
// openapi.yaml: every request the client sends and every response the
// server returns is validated with kin-openapi, and a violation fails the
// test. It also records what arrived, and provides a transport that sends
// requests meant for any host to the test server, recording the host.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// Request is what the server recorded of one request.
type Request struct {
	Method  string
	Host    string // the Host header: the host the request was meant for
	Path    string // the escaped path, as sent
	Query   string // the raw query, as sent: the spec defines none
	Header  http.Header
	Invalid error // why the request broke the spec, or nil
}

// Server is an httptest server whose traffic is checked against the spec.
type Server struct {
	*httptest.Server
	t                testing.TB
	router           routers.Router
	allowOffSpecResp bool

	mu              sync.Mutex
	requests        []Request
	conns           int
	redirectQueries map[string]bool // queries of the Locations it redirected to
}

// redirectedTo reports whether the server redirected to a URL with the
// raw query q.
func (s *Server) redirectedTo(q string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redirectQueries[q]
}

// Option configures a Server.
type Option func(*Server)

// AllowOffSpecResponses stops the server from failing the test when the
// handler's response breaks the spec: for tests of how the client copes
// with what the spec does not promise (new enum values or union variants,
// broken bodies). Requests are still validated.
func AllowOffSpecResponses() Option { return func(s *Server) { s.allowOffSpecResp = true } }

// NewServer starts a loopback server that validates traffic to and from h
// and closes with the test. Requests are routed on the spec's own server
// URLs (matched on the Host header, as sent through [Transport]) and on
// the test server's URL under any of the path prefixes given.
func NewServer(t testing.TB, h http.Handler, prefixes []string, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, redirectQueries: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, h)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)

	doc, err := spec.Load()
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	servers := doc.Servers
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	for _, p := range prefixes {
		servers = append(servers, &openapi3.Server{URL: s.URL + p})
	}
	doc.Servers = servers
	if s.router, err = gorillamux.NewRouter(doc); err != nil {
		t.Fatalf("contract: router: %v", err)
	}
	return s
}

// Connections returns how many TCP connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Requests returns what the server has received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	rec := Request{Method: r.Method, Host: r.Host, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone()}
	input, err := s.validateRequest(r)
	if err == nil && r.URL.RawQuery != "" && !s.redirectedTo(r.URL.RawQuery) {
		// kin-openapi lets a query parameter the operation does not
		// define pass; the operation defines none. (A query this server's
		// own redirect put in a Location is the server's choice.)
		err = errors.New("a query string, where the operation defines no query parameter")
	}
	rec.Invalid = err
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	if err != nil {
		// Never print the header values: they hold the API key.
		s.t.Errorf("contract: request %s %s breaks openapi.yaml: %s", r.Method, rec.Path, Brief(err))
		http.Error(w, "request breaks openapi.yaml", http.StatusTeapot)
		return
	}

	cw := &capture{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(cw, r)
	if loc, err := url.Parse(w.Header().Get("Location")); err == nil && loc.RawQuery != "" && cw.status/100 == 3 {
		s.mu.Lock()
		s.redirectQueries[loc.RawQuery] = true
		s.mu.Unlock()
	}
	if s.allowOffSpecResp || cw.hijacked {
		return
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 cw.status,
		Header:                 w.Header(),
		Options:                &openapi3filter.Options{MultiError: true},
	}
	out.SetBodyBytes(cw.body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		s.t.Errorf("contract: response %d to %s breaks openapi.yaml: %s", cw.status, rec.Path, Brief(err))
	}
}

// validateRequest routes r as meant for its Host and validates it.
func (s *Server) validateRequest(r *http.Request) (*openapi3filter.RequestValidationInput, error) {
	u := *r.URL
	u.Host = r.Host
	u.Scheme = "http"
	if !strings.HasPrefix(s.URL, "http://"+r.Host) {
		u.Scheme = "https" // sent through Transport to a spec server
	}
	meant := r.Clone(r.Context())
	meant.URL = &u
	route, params, err := s.router.FindRoute(meant)
	if err != nil {
		return nil, fmt.Errorf("no route in openapi.yaml for %s %s: %w", r.Method, u.Redacted(), err)
	}
	input := &openapi3filter.RequestValidationInput{Request: meant, PathParams: params, Route: route}
	return input, openapi3filter.ValidateRequest(r.Context(), input)
}

// capture keeps a copy of what the handler writes.
type capture struct {
	http.ResponseWriter
	status   int
	wrote    bool
	hijacked bool
	body     bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	if !c.wrote {
		c.status, c.wrote = code, true
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(p []byte) (int, error) {
	c.wrote = true
	c.body.Write(p)
	return c.ResponseWriter.Write(p)
}

func (c *capture) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer (to hijack a
// connection for fault tests); a hijacked response is not validated.
func (c *capture) Unwrap() http.ResponseWriter {
	c.hijacked = true
	return c.ResponseWriter
}

// Transport sends every request to the test server at target, whatever
// host it was meant for, keeping that host in the Host header (the server
// records it and routes on it). Base is the transport used underneath
// (http.DefaultTransport if nil).
type Transport struct {
	Target *url.URL
	Base   http.RoundTripper
}

// NewTransport returns a Transport to the server s.
func NewTransport(s *Server) *Transport {
	u, err := url.Parse(s.URL)
	if err != nil {
		panic(err)
	}
	return &Transport{Target: u}
}

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Target == nil {
		return nil, errors.New("contract: Transport without a target")
	}
	out := req.Clone(req.Context())
	out.Host = req.URL.Host
	out.URL.Scheme = t.Target.Scheme
	out.URL.Host = t.Target.Host
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(out)
}

// ValidateSecret validates a 200 body of GetSecret against the spec's
// schema of the response (ConvAIWorkspaceStoredSecretConfig), as the
// server validates the responses it serves: nil if it is spec-valid.
func ValidateSecret(body []byte) error {
	secretSchemaOnce.Do(func() {
		doc, err := spec.Load()
		if err != nil {
			secretSchemaErr = err
			return
		}
		ref := doc.Components.Schemas["ConvAIWorkspaceStoredSecretConfig"]
		if ref == nil || ref.Value == nil {
			secretSchemaErr = errors.New("contract: no schema ConvAIWorkspaceStoredSecretConfig in openapi.yaml")
			return
		}
		secretSchema = ref.Value
	})
	if secretSchemaErr != nil {
		return secretSchemaErr
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return secretSchema.VisitJSON(v, openapi3.MultiErrors())
}

var (
	secretSchemaOnce sync.Once
	secretSchema     *openapi3.Schema
	secretSchemaErr  error
)

// Brief is a kin-openapi validation error's message without the schema
// and the value it prints after each problem (tens of lines each, so
// that a field the spec newly requires would fill pages across the
// tests; and a value may be a header's, the API key): one line per
// problem, each saying where it is (`Error at "/used_by/tools/0/name":
// property "name" is missing`). openapi3.DisableSchemaErrorDetails does
// this for kin-openapi's own validator, but not for the one it uses for
// an OpenAPI 3.1 document such as this spec.
func Brief(err error) string {
	var out []string
	skipping := false
	for line := range strings.Lines(err.Error()) {
		line = strings.TrimSuffix(line, "\n")
		switch trimmed := strings.TrimSpace(line); {
		case trimmed == "Schema:":
			skipping = true
		case skipping && (trimmed == "" || trimmed == "Value:" || strings.HasPrefix(line, "  ")):
			// the schema's or the value's JSON, indented
		default: // the next problem (" | Error at", " Or Error at"...)
			skipping = false
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
