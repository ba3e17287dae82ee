package elevenlabs_test

import (
	"context"
	"runtime"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// TestDecodeCostIsLinear guards against super-linear decoding and against
// memory growing faster than the body: the allocations each extra
// dependent costs are the same from 10 up to 100,000 dependents, and the
// bytes allocated during a call stay within 4 times the body size. The
// bytes allocated during a call are an upper bound on the peak live memory
// the call adds (nothing can be live that was not allocated), so this also
// bounds the call's peak memory. (Counts, not timings: allocation counts
// are deterministic. The body comes from memTransport, so the 9 MB case
// costs no network round trip.)
func TestDecodeCostIsLinear(t *testing.T) {
	const maxAllocBytesPerBodyByte = 4
	measure := func(n, runs int) (allocs, allocBytesPerBodyByte float64) {
		body := secretWithDependents(n)
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(memBaseURL),
			elevenlabs.WithHTTPClient(memHTTPClient(body)), elevenlabs.WithMaxResponseBytes(1<<30))
		if err != nil {
			t.Fatal(err)
		}
		get := func() {
			if s, err := c.GetSecret(context.Background(), "sec_big"); err != nil || len(s.UsedBy.Tools) == 0 {
				t.Fatalf("GetSecret: %v", err)
			}
		}
		allocs = testing.AllocsPerRun(runs, get)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		get()
		runtime.ReadMemStats(&m1)
		return allocs, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(body))
	}
	a10, _ := measure(10, 3)
	a1k, _ := measure(1_000, 3)
	a10k, bytes10k := measure(10_000, 3)
	a100k, bytes100k := measure(100_000, 1)
	perDependent := []struct {
		from, to int
		allocs   float64
	}{
		{10, 1_000, (a1k - a10) / 990},
		{1_000, 10_000, (a10k - a1k) / 9_000},
		{10_000, 100_000, (a100k - a10k) / 90_000},
	}
	first := perDependent[0].allocs
	for _, p := range perDependent {
		t.Logf("allocations per dependent from %d to %d dependents: %.3f", p.from, p.to, p.allocs)
		if p.allocs > first*1.1 || p.allocs < first*0.9 {
			t.Errorf("allocations per dependent change with size: %.3f from %d to %d dependents, %.3f from 10 to 1k", p.allocs, p.from, p.to, first)
		}
		if p.allocs > 2 {
			t.Errorf("%.2f allocations per dependent from %d to %d dependents, want at most 2", p.allocs, p.from, p.to)
		}
	}
	t.Logf("bytes allocated per body byte: %.2f at 10k dependents, %.2f at 100k", bytes10k, bytes100k)
	for _, m := range []struct {
		n     int
		ratio float64
	}{{10_000, bytes10k}, {100_000, bytes100k}} {
		if m.ratio > maxAllocBytesPerBodyByte {
			t.Errorf("a call for a secret with %d dependents allocates %.2f bytes per body byte, want at most %d", m.n, m.ratio, maxAllocBytesPerBodyByte)
		}
	}
}
