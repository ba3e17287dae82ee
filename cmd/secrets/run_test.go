package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

func TestParseGetTakesFlagsAnywhere(t *testing.T) {
	t.Parallel()
	type parsed struct {
		JSON       bool
		Region     string
		BaseURL    string
		Fake       bool
		Positional []string
	}
	cases := []struct {
		args []string
		want parsed
	}{
		{[]string{"sec_1"}, parsed{Positional: []string{"sec_1"}}},
		{[]string{"--json", "sec_1"}, parsed{JSON: true, Positional: []string{"sec_1"}}},
		{[]string{"sec_1", "--json"}, parsed{JSON: true, Positional: []string{"sec_1"}}},
		{[]string{"-region", "eu", "sec_1", "--fake"}, parsed{Region: "eu", Fake: true, Positional: []string{"sec_1"}}},
		{[]string{"sec_1", "--base-url=https://gw.example", "sec_2"}, parsed{BaseURL: "https://gw.example", Positional: []string{"sec_1", "sec_2"}}},
		{[]string{"--json", "--", "--fake"}, parsed{JSON: true, Positional: []string{"--fake"}}},
		{[]string{"sec_1", "--", "-x", "--json"}, parsed{Positional: []string{"sec_1", "-x", "--json"}}},
		{nil, parsed{}},
	}
	for _, tc := range cases {
		f, pos, err := parseGet(tc.args)
		if err != nil {
			t.Errorf("parseGet(%q): %v", tc.args, err)
			continue
		}
		got := parsed{f.json, f.region, f.baseURL, f.fake, pos}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseGet(%q) (-want +got):\n%s", tc.args, diff)
		}
	}
	if _, _, err := parseGet([]string{"sec_1", "-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h after the ID: %v, want flag.ErrHelp", err)
	}
}

func TestRegionFlagPicksTheRegionsHost(t *testing.T) {
	t.Parallel()
	for _, region := range elevenlabs.Regions() {
		t.Run(region.String(), func(t *testing.T) {
			t.Parallel()
			srv := startFake(t)
			env := func(k string) string {
				if k == elevenlabs.APIKeyEnv {
					return testKey
				}
				return ""
			}
			var stdout, stderr bytes.Buffer
			args := []string{"get", "--region", strings.ToUpper(region.String()), "sec_0a1b2c3d4e5f6a7b8c9d"}
			if code := runVia(context.Background(), srv.Transport(), args, &stdout, &stderr, env); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			want, _ := url.Parse(region.BaseURL())
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Host != want.Host || reqs[0].APIKey != elevenlabstest.Key(testKey) {
				t.Errorf("want one request meant for %s with the key", want.Host)
			}
		})
	}
}

func TestRunInProcess(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	noEnv := func(string) string { return "" }
	code := run(context.Background(), []string{"get", "--fake", "sec_0a1b2c3d4e5f6a7b8c9d"}, &stdout, &stderr, noEnv)
	if code != exitOK || !strings.Contains(stdout.String(), "LegacyCRMPassword") || stderr.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	// A canceled context (main cancels it on SIGINT) ends the run as
	// interrupted.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, []string{"get", "--fake", "sec_0a1b2c3d4e5f6a7b8c9d"}, &stdout, &stderr, noEnv); code != exitInterrupted || stderr.String() != "secrets: interrupted\n" || stdout.Len() != 0 {
		t.Errorf("canceled: exit %d, stderr %q", code, stderr.String())
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestUnwritableOutputFails(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"get", "--fake", "sec_0a1b2c3d4e5f6a7b8c9d"}, failingWriter{}, &stderr, func(string) string { return "" })
	if code != exitFailure || !strings.Contains(stderr.String(), "writing the output: disk full") {
		t.Errorf("exit %d, stderr %q; want %d and the reason", code, stderr.String(), exitFailure)
	}
}

// TestFakeServerThatCannotStart: when the --fake server cannot start (no
// free port, no file descriptors), the run says why and exits 1, without
// a stack trace.
func TestFakeServerThatCannotStart(t *testing.T) {
	t.Parallel()
	var started bool
	c := &command{
		env:       func(string) string { return "" },
		transport: http.DefaultTransport,
		startFake: func(...elevenlabstest.Option) (*elevenlabstest.Server, error) {
			started = true
			return nil, errors.New("elevenlabstest: listening on a loopback address: listen tcp 127.0.0.1:0: socket: too many open files")
		},
	}
	var stdout, stderr bytes.Buffer
	code := c.run(context.Background(), []string{"get", "--fake", "sec_0a1b2c3d4e5f6a7b8c9d"}, &stdout, &stderr)
	want := "secrets: starting the fake server: elevenlabstest: listening on a loopback address: listen tcp 127.0.0.1:0: socket: too many open files\n"
	if !started || code != exitFailure || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, stdout.String(), stderr.String(), exitFailure, want)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestCaptureLeavesABodyOverTheLimitOverIt: the capture under the client
// reads one byte more than the client's limit, so that a 2xx body over
// it without a Content-Length is still the client's ErrResponseTooLarge,
// not a body cut at the limit (which could even decode).
func TestCaptureLeavesABodyOverTheLimitOverIt(t *testing.T) {
	body := `{"type":"stored","secret_id":"sec_1","name":"` + strings.Repeat("x", elevenlabs.DefaultMaxResponseBytes) + `"}`
	base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: -1, // chunked: the limit is found by reading
			Request:       req,
		}, nil
	})
	capture := &captureTransport{base: base, limit: elevenlabs.DefaultMaxResponseBytes}
	c, err := elevenlabs.New(elevenlabs.WithAPIKey(testKey), elevenlabs.WithHTTPClient(&http.Client{Transport: capture}), elevenlabs.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), "sec_1"); !errors.Is(err, elevenlabs.ErrResponseTooLarge) {
		t.Errorf("error = %.300v, want ErrResponseTooLarge", err)
	}
}
