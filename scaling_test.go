package elevenlabs_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// TestDecodeCostIsLinear guards against super-linear decoding: the
// allocations each extra dependent costs are the same from 1,000 to 10,000
// dependents, and the bytes allocated stay a small multiple of the body.
// (Counts, not timings: allocation counts are deterministic.)
func TestDecodeCostIsLinear(t *testing.T) {
	measure := func(n int) (allocs, bytesPerBodyByte float64) {
		body := secretWithDependents(n)
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
		})
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithHTTPClient(&http.Client{Transport: rt}), elevenlabs.WithMaxResponseBytes(1<<30))
		if err != nil {
			t.Fatal(err)
		}
		get := func() {
			if s, err := c.GetSecret(context.Background(), "sec_big"); err != nil || len(s.UsedBy.Tools) == 0 {
				t.Fatalf("GetSecret: %v", err)
			}
		}
		allocs = testing.AllocsPerRun(3, get)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		get()
		runtime.ReadMemStats(&m1)
		return allocs, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(body))
	}
	a10, _ := measure(10)
	a1k, _ := measure(1_000)
	a10k, bytes10k := measure(10_000)
	small := (a1k - a10) / 990
	large := (a10k - a1k) / 9_000
	t.Logf("allocations per dependent: %.3f (10→1k), %.3f (1k→10k); bytes allocated per body byte at 10k: %.2f", small, large, bytes10k)
	if large > small*1.1 || large < small*0.9 {
		t.Errorf("allocations per dependent grow with size: %.3f from 10 to 1k, %.3f from 1k to 10k", small, large)
	}
	if large > 2 {
		t.Errorf("%.2f allocations per dependent, want at most 2", large)
	}
	if bytes10k > 5 {
		t.Errorf("decoding allocates %.1f bytes per body byte, want at most 5", bytes10k)
	}
}
