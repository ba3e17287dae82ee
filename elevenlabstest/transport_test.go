package elevenlabstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// TestTransportDeliversEveryHostToTheFake: a client configured for any
// region talks to the fake through Transport, and the fake records the
// host each request was meant for.
func TestTransportDeliversEveryHostToTheFake(t *testing.T) {
	t.Parallel()
	srv := start(t)
	id := samples(t)[0].SecretID
	for i, region := range elevenlabs.Regions() {
		client, err := elevenlabs.New(
			elevenlabs.WithAPIKey(testKey),
			elevenlabs.WithRegion(region),
			elevenlabs.WithMaxRetries(0),
			elevenlabs.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
		)
		if err != nil {
			t.Fatal(err)
		}
		secret, err := client.GetSecret(context.Background(), id)
		if err != nil || secret.SecretID != id {
			t.Fatalf("%s: GetSecret through Transport: %v", region, err)
		}
		want, err := url.Parse(region.BaseURL())
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != i+1 {
			t.Fatalf("%s: the fake has %d requests, want %d", region, len(reqs), i+1)
		}
		if r := reqs[i]; r.Host != want.Host || r.Path != "/v1/convai/secrets/"+id || r.APIKey != elevenlabstest.Key(testKey) {
			t.Errorf("%s: recorded a request for host %q, path %q, key %v; want host %q with the key", region, r.Host, r.Path, r.APIKey, want.Host)
		}
	}
}

func TestTransportLeavesTheRequestAlone(t *testing.T) {
	t.Parallel()
	srv := start(t)
	rt := srv.Transport()

	req, err := http.NewRequest(http.MethodGet, "https://gateway.example:8443/v1/convai/secrets/sec_x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "" // the URL's host then is the one meant
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want the fake's 401 for a request without a key", resp.StatusCode)
	}
	if req.URL.String() != "https://gateway.example:8443/v1/convai/secrets/sec_x" || req.Host != "" {
		t.Errorf("RoundTrip changed the caller's request: URL %s, Host %q", req.URL, req.Host)
	}

	// A Host set on the request is the one recorded.
	req, _ = http.NewRequest(http.MethodGet, "https://api.elevenlabs.io/v1/convai/secrets/sec_x", nil)
	req.Host = "virtual.example"
	resp, err = rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Host != "gateway.example:8443" || reqs[1].Host != "virtual.example" {
		t.Errorf("recorded hosts %v, want gateway.example:8443 and virtual.example", hosts(reqs))
	}

	// Once the server is closed, a request fails instead of hanging.
	srv.Close()
	req, _ = http.NewRequest(http.MethodGet, "https://api.elevenlabs.io/", nil)
	if resp, err := rt.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Error("RoundTrip to a closed server succeeded")
	}
}

func hosts(reqs []elevenlabstest.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Host)
	}
	return out
}

// TestTransportErrorsNameTheHostMeant: through Transport, an API error's
// URL is the region's, as the client built it, not the fake's address.
func TestTransportErrorsNameTheHostMeant(t *testing.T) {
	t.Parallel()
	srv := start(t)
	client, err := elevenlabs.New(
		elevenlabs.WithAPIKey(testKey),
		elevenlabs.WithRegion(elevenlabs.RegionEU),
		elevenlabs.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GetSecret(context.Background(), "sec_missing")
	var apiErr *elevenlabs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("error = %v, want the fake's 404", err)
	}
	if want := elevenlabs.RegionEU.BaseURL() + "/v1/convai/secrets/sec_missing"; apiErr.URL != want || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, URL %q; want the URL %q", err, apiErr.URL, want)
	}
}
