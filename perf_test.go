package elevenlabs_test

// Ordinary tests for the performance targets of BENCHMARKS.md that can be
// asserted without timing anything: here connection counts; allocation
// counts are in allocs_test.go and scaling_test.go. (Speed itself is only
// measured, by the benchmarks.)

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// TestDefaultClientReusesConnections: a Client from New, with no
// *http.Client of the caller's, serves many goroutines over a few
// connections. Go's default transport keeps only 2 idle connections per
// host, so 64 goroutines on it open a new connection for most requests
// (thousands here); the tuned default keeps one per goroutine.
func TestDefaultClientReusesConnections(t *testing.T) {
	const goroutines, calls = 64, 30
	// A plain server, not the contract one: spec validation of 1,920
	// requests under -race would take most of the test's time.
	var mu sync.Mutex
	conns := 0
	srv := httptest.NewUnstartedServer(jsonHandler(200, fullSecret))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(srv.URL)) // the default transport
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Go(func() {
			for range calls {
				if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("GetSecret: %v", err)
	}
	mu.Lock()
	n := conns
	mu.Unlock()
	t.Logf("%d goroutines × %d calls opened %d connections", goroutines, calls, n)
	if n > 2*goroutines {
		t.Errorf("%d goroutines × %d calls opened %d connections, want at most %d: the default transport does not keep enough idle connections per host", goroutines, calls, n, 2*goroutines)
	}
}
