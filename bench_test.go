package elevenlabs_test

// Benchmarks: the wrapper against the generated client alone and against a
// hand-written net/http + encoding/json baseline, on the same loopback
// server and body, in one run. `make bench` runs them; BENCHMARKS.md holds
// the figures.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/api"
)

// benchServer serves body for every request and counts the TCP
// connections it accepts.
type benchServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newBenchServer(b *testing.B, body []byte) *benchServer {
	b.Helper()
	s := &benchServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	b.Cleanup(s.Close)
	return s
}

// baselineSecret is what the hand-written call decodes into: the same
// model, decoded field by field in one pass, as a hand-written struct is.
// (The generated used_by type has an UnmarshalJSON that keeps fields the
// spec does not name, at the price of decoding used_by twice over; the
// wrapper keeps them in one pass and a scan, and is measured against a
// hand-written decode that does not keep them at all.)
type baselineSecret struct {
	api.ConvAIWorkspaceStoredSecretConfig
	UsedBy baselineDependencies `json:"used_by"`
}

type baselineDependencies api.ConvAIStoredSecretDependencies

// baselineGet is what a careful hand-written call looks like: one GET with
// the key header, the body read and decoded, the status checked.
func baselineGet(ctx context.Context, hc *http.Client, baseURL, key, id string) (*baselineSecret, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/v1/convai/secrets/"+id, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("xi-api-key", key)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	var s baselineSecret
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// tunedHTTPClient is a hand-written caller's client with the same
// connection pool size as the wrapper's default.
func tunedHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 256
	return &http.Client{Transport: t}
}

// memBaseURL is the base URL of calls sent through memTransport. The
// .invalid domain never resolves, so nothing could reach a network.
const memBaseURL = "https://in-memory.invalid"

// memTransport answers every request in memory with a 200 carrying body
// (with Content-Type and Content-Length, as the benchmark server sends
// them): no network and no server, so what is measured through it is the
// client's own cost, the same for every implementation.
func memTransport(body []byte) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
			Request:       r,
		}, nil
	})
}

// memHTTPClient is an *http.Client over memTransport(body).
func memHTTPClient(body []byte) *http.Client {
	return &http.Client{Transport: memTransport(body)}
}

// exampleID is the secret ID of the docs' example response.
const exampleID = "sec_9f8b7c6d5e4a3b2c1d0e"

// getFunc makes one GetSecret call, by one of the implementations the
// benchmarks compare, and fails if no secret came back.
type getFunc func(ctx context.Context, id string) error

// baselineImpl is the hand-written call (baselineGet) through hc.
func baselineImpl(baseURL string, hc *http.Client) getFunc {
	return func(ctx context.Context, id string) error {
		s, err := baselineGet(ctx, hc, baseURL, testKey, id)
		if err == nil && s.SecretID == "" {
			err = errors.New("baseline: no secret")
		}
		return err
	}
}

// generatedImpl is oapi-codegen's GetSecretWithResponse alone, through hc.
func generatedImpl(tb testing.TB, baseURL string, hc *http.Client) getFunc {
	tb.Helper()
	gen, err := api.NewClientWithResponses(baseURL, api.WithHTTPClient(hc),
		api.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("xi-api-key", testKey)
			return nil
		}))
	if err != nil {
		tb.Fatal(err)
	}
	return func(ctx context.Context, id string) error {
		resp, err := gen.GetSecretWithResponse(ctx, id, nil)
		if err == nil && resp.JSON200 == nil {
			err = fmt.Errorf("generated: status %d, no secret", resp.StatusCode())
		}
		return err
	}
}

// wrapperImpl is elevenlabs.Client.GetSecret, through hc, or through the
// Client's own default transport if hc is nil.
func wrapperImpl(tb testing.TB, baseURL string, hc *http.Client, opts ...elevenlabs.Option) getFunc {
	tb.Helper()
	opts = append([]elevenlabs.Option{elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(baseURL)}, opts...)
	if hc != nil {
		opts = append(opts, elevenlabs.WithHTTPClient(hc))
	}
	c, err := elevenlabs.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)
	return func(ctx context.Context, id string) error {
		_, err := c.GetSecret(ctx, id)
		return err
	}
}

// BenchmarkGetSecret compares, on the docs' example response: the wrapper
// (with its defaults, and with WithTimeout), the generated
// GetSecretWithResponse alone, and the hand-written baseline, each
//   - transport=loopback: over a loopback server in the same process, and
//   - transport=memory: over memTransport, which returns the same body
//     without a network, so only the client-side cost is measured, with
//     less noise than a loopback round trip.
//
// Besides wall time (ns/op) it reports cpu-ns/op, the process's CPU time
// per call (GC included, and for loopback the in-process server's share,
// the same for every implementation), which a busy machine disturbs less.
func BenchmarkGetSecret(b *testing.B) {
	body := []byte(exampleResponse(b))
	srv := newBenchServer(b, body)
	transports := []struct {
		name    string
		baseURL string
		hc      func() *http.Client // for the baseline and the generated client
		wrapper *http.Client        // for the wrapper; nil: New's default
	}{
		{"loopback", srv.URL, tunedHTTPClient, nil},
		{"memory", memBaseURL, func() *http.Client { return memHTTPClient(body) }, memHTTPClient(body)},
	}
	ctx := context.Background()
	for _, tr := range transports {
		impls := []struct {
			name string
			get  getFunc
		}{
			{"baseline", baselineImpl(tr.baseURL, tr.hc())},
			{"generated", generatedImpl(b, tr.baseURL, tr.hc())},
			{"wrapper", wrapperImpl(b, tr.baseURL, tr.wrapper)},
			{"wrapper-with-timeout", wrapperImpl(b, tr.baseURL, tr.wrapper, elevenlabs.WithTimeout(30*time.Second))},
		}
		for _, impl := range impls {
			b.Run("transport="+tr.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu0, cpuOK := processCPUTime(b)
				for b.Loop() {
					if err := impl.get(ctx, exampleID); err != nil {
						b.Fatal(err)
					}
				}
				if cpu1, _ := processCPUTime(b); cpuOK {
					b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}

// BenchmarkParallel runs 64 goroutines in all (SetParallelism) against a
// fresh server per run, reporting requests/s and the TCP connections the
// server accepted (in all, and per 1,000 requests): for the wrapper's default client, and for hand-written
// code on Go's default transport (2 idle connections per host) and on a
// tuned one.
func BenchmarkParallel(b *testing.B) {
	body := []byte(exampleResponse(b))
	ctx := context.Background()
	const goroutines = 64

	run := func(b *testing.B, newGet func(url string) getFunc) {
		srv := newBenchServer(b, body)
		get := newGet(srv.URL)
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((goroutines + procs - 1) / procs)
		b.ReportAllocs()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := get(ctx, exampleID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		b.ReportMetric(float64(srv.conns.Load()), "conns")
		// Per 1,000 requests too: b.N differs between implementations and
		// rounds, and so does the raw count with it.
		b.ReportMetric(float64(srv.conns.Load())*1000/float64(b.N), "conns/kreq")
	}
	b.Run("impl=baseline", func(b *testing.B) {
		run(b, func(url string) getFunc { return baselineImpl(url, tunedHTTPClient()) })
	})
	b.Run("impl=baseline-go-default-transport", func(b *testing.B) {
		t := http.DefaultTransport.(*http.Transport).Clone() // Go's defaults, own pool
		b.Cleanup(t.CloseIdleConnections)
		run(b, func(url string) getFunc { return baselineImpl(url, &http.Client{Transport: t}) })
	})
	b.Run("impl=wrapper", func(b *testing.B) {
		run(b, func(url string) getFunc { return wrapperImpl(b, url, nil) })
	})
}

// secretWithDependents returns a 200 body for a secret used by n
// dependents, spread over tools, agents, MCP servers (both variants of each)
// and phone numbers.
func secretWithDependents(n int) []byte {
	var tools, agents, mcps, phones []string
	for i := range n {
		switch i % 7 {
		case 0:
			tools = append(tools, fmt.Sprintf(`{"type":"available","id":"tool_%d","name":"Tool %d","created_at_unix_secs":1685000000,"access_level":"admin"}`, i, i))
		case 1:
			tools = append(tools, fmt.Sprintf(`{"type":"unknown","id":"tool_%d"}`, i))
		case 2:
			agents = append(agents, fmt.Sprintf(`{"type":"available","id":"agent_%d","name":"Agent %d","created_at_unix_secs":1685100000,"access_level":"editor","referenced_resource_ids":["res_%d"]}`, i, i, i))
		case 3:
			agents = append(agents, fmt.Sprintf(`{"type":"unknown","id":"agent_%d","referenced_resource_ids":[]}`, i))
		case 4:
			mcps = append(mcps, fmt.Sprintf(`{"type":"available","id":"mcp_%d","name":"MCP %d","created_at_unix_secs":1685200000,"access_level":"viewer"}`, i, i))
		case 5:
			mcps = append(mcps, fmt.Sprintf(`{"type":"unknown","id":"mcp_%d"}`, i))
		case 6:
			phones = append(phones, fmt.Sprintf(`{"phone_number_id":"pn_%d","phone_number":"+1555%07d","label":"Line %d","provider":"twilio"}`, i, i, i))
		}
	}
	return fmt.Appendf(nil, `{"type":"stored","secret_id":"sec_big","name":"Big","used_by":{"tools":[%s],"agents":[%s],"mcp_servers":[%s],"phone_numbers":[%s],"others":[]}}`,
		strings.Join(tools, ","), strings.Join(agents, ","), strings.Join(mcps, ","), strings.Join(phones, ","))
}

// BenchmarkScaling measures GetSecret, over loopback, for secrets used by
// 10 to 100,000 dependents: ns and allocations per dependent should stay
// flat, and the bytes allocated per body byte (alloc-B/body-B) small.
//
// alloc-B/body-B is the heap bytes allocated during the calls
// (MemStats.TotalAlloc, the in-process server's share included) per call,
// divided by the body size. It is not the peak memory itself: it is an
// upper bound on the peak live memory a call adds, since nothing can be
// live that was not allocated.
func BenchmarkScaling(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("dependents=%d", n), func(b *testing.B) {
			body := secretWithDependents(n)
			srv := newBenchServer(b, body)
			c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithMaxResponseBytes(1<<30))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				if _, err := c.GetSecret(ctx, "sec_big"); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&ms1)
			ops := float64(b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/ops/float64(n), "ns/dependent")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/ops/float64(n), "allocs/dependent")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/ops/float64(len(body)), "alloc-B/body-B")
		})
	}
}

// BenchmarkReadIdleDeadline measures what the default transport's hang
// guard adds to each read from a connection: one SetReadDeadline on a
// loopback TCP connection (idleTimeoutConn), which the in-memory GetSecret
// benchmarks cannot include.
func BenchmarkReadIdleDeadline(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for b.Loop() {
		if err := conn.SetReadDeadline(time.Now().Add(elevenlabs.DefaultReadIdleTimeout)); err != nil {
			b.Fatal(err)
		}
	}
}
