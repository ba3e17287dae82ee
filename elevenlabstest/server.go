package elevenlabstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// Server is a fake ElevenLabs workspace secrets API on a loopback address.
// It is safe for concurrent use. Make one with [NewServer] or [Start] (the
// zero Server is not one), and Close it when done.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port (or
	// http://[::1]:port on a host without IPv4 loopback), for
	// elevenlabs.WithBaseURL.
	URL string

	srv *httptest.Server
	// keys returns the accepted keys and the first of them, from a
	// closure: fmt prints a func as its address whatever the verb, where
	// a Server in a caller's struct, printed with %s (which skips Format
	// methods there), would show a map or a string field.
	keys      func() (accepted map[string]bool, first string)
	closed    chan struct{} // closed by Close: ends every pending delay
	closeOnce sync.Once

	mu      sync.Mutex
	secrets map[string][]byte // secret ID -> JSON body
	// requests is behind a pointer, which fmt prints as an address in a
	// Server printed raw (see keys): each records the key it carried.
	requests  *[]Request
	faults    []Fault
	requestID int
}

// NewServer starts a Server configured by opts. It listens on a loopback
// address only (127.0.0.1, or ::1 on a host without IPv4 loopback), on a
// free port, and returns an error if it cannot.
func NewServer(opts ...Option) (*Server, error) {
	var c config
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	if len(c.keys) == 0 {
		c.keys = []string{randomKey()}
	}
	accepted := make(map[string]bool, len(c.keys))
	for _, k := range c.keys {
		accepted[k] = true
	}
	first := c.keys[0]
	s := &Server{
		keys:     func() (map[string]bool, string) { return accepted, first },
		closed:   make(chan struct{}),
		secrets:  map[string][]byte{},
		requests: new([]Request),
	}
	if c.samples {
		bodies, err := sampleBodies()
		if err != nil {
			return nil, err
		}
		for i, raw := range bodies {
			id, body, err := sampleBody(raw)
			if err != nil {
				return nil, fmt.Errorf("elevenlabstest: sample data %d: %w", i, err)
			}
			s.secrets[id] = body
		}
	}
	// Not httptest.NewServer or NewUnstartedServer: they panic when they
	// cannot listen, and a program such as cmd/secrets should be able to
	// say why and exit.
	listen := c.listen
	if listen == nil {
		listen = net.Listen
	}
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln6, err6 := listen("tcp6", "[::1]:0"); err6 == nil {
			ln, err = ln6, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("elevenlabstest: listening on a loopback address: %w", err)
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: s.handler(), ConnContext: countRequests}}
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// TB is the part of testing.TB that [Start] uses; *testing.T, *testing.B
// and *testing.F satisfy it. (It is an interface of its own so that
// programs using this package do not link the testing package.)
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start starts a Server for the test t: it fails t if the server cannot
// start, and closes it when t and its subtests end.
func Start(t TB, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		t.Fatalf("%v", err) // the error names the package
		return nil          // for a TB whose Fatalf returns
	}
	t.Cleanup(s.Close)
	return s
}

// Close ends pending delays, aborting their requests, and shuts the
// server down, waiting for requests in progress to finish, for up to a
// second: then it closes their connections, so that a client that never
// reads a large body cannot hang it. Like httptest's, it also closes
// http.DefaultTransport's idle connections. Close can be called more than
// once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.srv.Close()
		}()
		select {
		case <-done:
		case <-time.After(closeGrace):
			s.srv.CloseClientConnections()
			<-done
		}
	})
}

// closeGrace is how long Close waits for requests in progress.
const closeGrace = time.Second

// Format prints the Server as elevenlabstest.Server{URL: ...}, for every
// verb, so that printing a Server never shows the keys it accepts.
func (s *Server) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "elevenlabstest.Server{URL: %s}", s.URL)
}

// APIKey returns the key [Server.Client] sends: the first key given to
// [WithAPIKeys], or the random key the server made. Use it to configure a
// client of your own, for example through the ELEVENLABS_API_KEY variable.
func (s *Server) APIKey() string {
	_, first := s.keys()
	return first
}

// Client returns an elevenlabs.Client for this server: its base URL is
// s.URL and it sends [Server.APIKey]. opts are applied after those two, so
// they can add WithHTTPClient or WithMaxResponseBytes, override the key
// with WithAPIKey, or make the retries of faults quick with
// elevenlabs.WithBackoff(time.Millisecond, time.Millisecond); WithRegion
// conflicts with the base URL and is an error.
func (s *Server) Client(opts ...elevenlabs.Option) (*elevenlabs.Client, error) {
	base := []elevenlabs.Option{elevenlabs.WithBaseURL(s.URL), elevenlabs.WithAPIKey(s.APIKey())}
	return elevenlabs.New(append(base, opts...)...)
}

// Transport returns an http.RoundTripper that delivers every request to
// s, whatever scheme and host its URL names, and keeps the host the
// request was meant for in its Host header, which [Request] records. With
// it a client configured for a region, such as
// elevenlabs.WithRegion(elevenlabs.RegionEU), talks to the fake, and a
// test can check which region's host each request was meant for:
//
//	client, err := elevenlabs.New(
//		elevenlabs.WithAPIKey(srv.APIKey()),
//		elevenlabs.WithRegion(elevenlabs.RegionEU),
//		elevenlabs.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
//	)
//
// A request whose Host is set already keeps it. A response's Request is
// the request as it was meant (the region's URL), so errors name the host
// the client chose, not the fake's address. The transport's connections
// close with s.
func (s *Server) Transport() http.RoundTripper {
	return &toServer{host: s.srv.Listener.Addr().String(), base: s.srv.Client().Transport}
}

// toServer is the RoundTripper of [Server.Transport].
type toServer struct {
	host string // the server's address
	base http.RoundTripper
}

func (t *toServer) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context()) // a RoundTripper must not change req
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	out.URL.Scheme, out.URL.Host = "http", t.host
	resp, err := t.base.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// Requests returns a copy of every request the server has received, in
// the order they arrived, faulted ones included. They are kept until
// [Server.ClearRequests]: a long test against one server may clear them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(*s.requests))
	for i, r := range *s.requests {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ClearRequests forgets the requests received so far: [Server.Requests]
// then returns only those that come after, as when a test checks what
// each of its steps sent.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	*s.requests = nil
}

// randomKey returns a fresh key no other server accepts.
func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return "fake_" + hex.EncodeToString(b)
}
