package elevenlabs_test

// Ordinary tests for the performance targets of BENCHMARKS.md that can be
// asserted without timing anything: connection counts and allocation
// counts. (Speed itself is only measured, by the benchmarks.)

import (
	"context"
	"sync"
	"testing"

	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// TestDefaultClientReusesConnections: a Client from New, with no
// *http.Client of the caller's, serves many goroutines over a few
// connections. Go's default transport keeps only 2 idle connections per
// host, so 64 goroutines on it open a new connection for most requests
// (thousands here); the tuned default keeps one per goroutine.
func TestDefaultClientReusesConnections(t *testing.T) {
	const goroutines, calls = 64, 30
	srv := contract.NewServer(t, jsonHandler(200, fullSecret), nil)
	c := newClient(t, srv) // New(WithAPIKey, WithBaseURL): the default transport

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
	n := srv.Connections()
	t.Logf("%d goroutines × %d calls opened %d connections", goroutines, calls, n)
	if n > 2*goroutines {
		t.Errorf("%d goroutines × %d calls opened %d connections, want at most %d: the default transport does not keep enough idle connections per host", goroutines, calls, n, 2*goroutines)
	}
}

// TestWrapperAllocsNearBaseline: the wrapper's GetSecret costs at most 10
// allocations more than the hand-written net/http + encoding/json call of
// the benchmarks (baselineImpl), both decoding the docs' example response
// from the same in-memory transport (memTransport: no network, so the
// counts are the clients' own and do not vary).
//
// The race detector changes the counts (the baseline's io.ReadAll buffers
// move to the heap: 59 against 55), so the test runs without it; `make
// test` runs it so as well as under -race.
func TestWrapperAllocsNearBaseline(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector; make test also runs this test without it")
	}
	const maxExtra = 10
	body := []byte(exampleResponse(t))
	allocs := func(get getFunc) float64 {
		return testing.AllocsPerRun(100, func() {
			if err := get(context.Background(), exampleID); err != nil {
				t.Fatal(err)
			}
		})
	}
	baseline := allocs(baselineImpl(memBaseURL, memHTTPClient(body)))
	wrapper := allocs(wrapperImpl(t, memBaseURL, memHTTPClient(body)))
	t.Logf("allocations per call: wrapper %.0f, baseline %.0f", wrapper, baseline)
	if wrapper-baseline > maxExtra {
		t.Errorf("the wrapper allocates %.0f times per call, the hand-written baseline %.0f: %.0f more, want at most %d more",
			wrapper, baseline, wrapper-baseline, maxExtra)
	}
}
