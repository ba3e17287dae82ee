package elevenlabs_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// childBaseURLEnv tells a child process of TestPlainHTTPNeverGoesThroughAProxy
// to make one call to the base URL it holds.
const childBaseURLEnv = "ELEVENLABS_TEST_CHILD_BASE_URL"

// TestPlainHTTPNeverGoesThroughAProxy: with HTTP_PROXY set, a loopback
// base URL over plain http is reached directly however its host is
// spelled: a proxy would read the key in clear, and Go's proxy rules skip
// only "localhost" and loopback IPs, not "LOCALHOST". (Go reads the proxy
// variables once per process, so each call runs in a child process.)
func TestPlainHTTPNeverGoesThroughAProxy(t *testing.T) {
	if base := os.Getenv(childBaseURLEnv); base != "" {
		c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithBaseURL(base), elevenlabs.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetSecret(context.Background(), "sec_full"); err != nil {
			t.Fatal(err)
		}
		return
	}
	var proxied, direct atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer proxy.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		direct.Add(1)
		jsonHandler(200, fullSecret).ServeHTTP(w, r)
	}))
	defer srv.Close()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	hosts := []string{"LOCALHOST", "LocalHost", "localhost", "127.0.0.1"}
	var wg sync.WaitGroup
	for _, host := range hosts {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPlainHTTPNeverGoesThroughAProxy$")
		cmd.Env = append(os.Environ(), "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=",
			childBaseURLEnv+"=http://"+host+":"+port)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("base URL http://%s:%s: the call failed: %v\n%s", host, port, err, out)
			}
		})
	}
	wg.Wait()
	if n := proxied.Load(); n != 0 {
		t.Errorf("%d of %d calls went through HTTP_PROXY, key and all", n, len(hosts))
	}
	if n := direct.Load(); n != int32(len(hosts)) {
		t.Errorf("%d of %d calls reached the server directly", n, len(hosts))
	}
}
