package elevenlabstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

func ExampleNewServer() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client, err := srv.Client() // base URL and key set for srv
	if err != nil {
		log.Fatal(err)
	}
	secret, err := client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret.Name, len(secret.UsedBy.Tools), len(secret.UsedBy.Agents))
	// Output: LegacyCRMPassword 0 0
}

func ExampleServer_AddSecret() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys("test-key"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	var secret elevenlabs.Secret
	_ = json.Unmarshal([]byte(`{
	  "secret_id": "sec_test",
	  "name": "TestSecret",
	  "used_by": {
	    "tools": [{"type": "unknown", "id": "tool_hidden"}],
	    "agents": [],
	    "others": ["conversation_initiation_webhook"]
	  }
	}`), &secret)
	if err := srv.AddSecret(secret); err != nil {
		log.Fatal(err)
	}
	// A variant the spec does not list is refused: the fake only serves
	// what the real API could.
	var newer elevenlabs.Secret
	_ = json.Unmarshal([]byte(`{"secret_id": "sec_new", "name": "N",
	  "used_by": {"tools": [{"type": "shared", "id": "t"}], "agents": [], "others": []}}`), &newer)
	fmt.Println(srv.AddSecret(newer))

	client, err := elevenlabs.New(elevenlabs.WithBaseURL(srv.URL), elevenlabs.WithAPIKey("test-key"))
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.GetSecret(context.Background(), "sec_test")
	if err != nil {
		log.Fatal(err)
	}
	kind, _ := got.UsedBy.Tools[0].Discriminator()
	fmt.Println(got.Name, got.Type, kind, got.UsedBy.Others[0])
	// Output:
	// elevenlabstest: secret "sec_new": tools[0]: type "shared" is not in the spec
	// TestSecret stored unknown conversation_initiation_webhook
}

func ExampleServer_AddFaults() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	url := srv.URL + "/v1/convai/secrets/sec_0a1b2c3d4e5f6a7b8c9d"

	// The next request is answered 503 with Retry-After; the one after
	// that normally.
	srv.AddFaults(elevenlabstest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "2"})
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("xi-api-key", srv.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 503 Service Unavailable 2
	// 200 OK
}

func ExampleHTMLErrorPage() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// One attempt: a 502 is retried, and each retry would meet the
	// next fault after a backoff wait.
	client, err := srv.Client(elevenlabs.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}

	// A proxy's error page instead of the API's answer.
	srv.AddFaults(elevenlabstest.HTMLErrorPage(http.StatusBadGateway))
	_, err = client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	var apiErr *elevenlabs.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
		fmt.Println("attempts:", apiErr.Attempts, "faults left:", srv.PendingFaults())
	}
	// Output:
	// 502 502 Bad Gateway nginx
	// attempts: 1 faults left: 0
}

func ExampleServer_Requests() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	_, _ = client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")

	for _, req := range srv.Requests() {
		fmt.Println(req.Method, req.Path)
		fmt.Println("sent the server's key:", req.APIKey == elevenlabstest.Key(srv.APIKey()))
		fmt.Println("header:", req.Header.Get("xi-api-key"))
	}
	// Output:
	// GET /v1/convai/secrets/sec_0a1b2c3d4e5f6a7b8c9d
	// sent the server's key: true
	// header: [REDACTED]
}

func ExampleKey() {
	key := elevenlabstest.Key("my-secret-key")
	fmt.Println(key == "my-secret-key")
	fmt.Printf("%v %s %q\n", key, key, key)
	// Output:
	// true
	// Key(sha256:1311f8fc) Key(sha256:1311f8fc) Key(sha256:1311f8fc)
}

func ExampleServer_Transport() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// A client for the India stack, whose requests go to the fake.
	client, err := elevenlabs.New(
		elevenlabs.WithAPIKey(srv.APIKey()),
		elevenlabs.WithRegion(elevenlabs.RegionIndia),
		elevenlabs.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
	)
	if err != nil {
		log.Fatal(err)
	}
	secret, err := client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret.Name)
	req := srv.Requests()[0]
	fmt.Println("meant for", req.Host, req.Path)
	// Output:
	// LegacyCRMPassword
	// meant for api.in.residency.elevenlabs.io /v1/convai/secrets/sec_0a1b2c3d4e5f6a7b8c9d
}

// A test of code that relies on the client riding out an overloaded API:
// two 503s, then the answer. WithBackoff shortens the waits between
// retries (500ms and more by default) to a millisecond.
func ExampleFault_retries() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(elevenlabs.WithBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}

	srv.AddFaults(
		elevenlabstest.Fault{Status: http.StatusServiceUnavailable},
		elevenlabstest.Fault{Status: http.StatusServiceUnavailable},
	)
	secret, err := client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret.Name, "after", len(srv.Requests()), "requests")

	// A third 503 in a row is one too many for the default 2 retries.
	srv.ClearRequests()
	srv.AddFaults(
		elevenlabstest.Fault{Status: http.StatusServiceUnavailable},
		elevenlabstest.Fault{Status: http.StatusServiceUnavailable},
		elevenlabstest.Fault{Status: http.StatusServiceUnavailable},
	)
	_, err = client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	var apiErr *elevenlabs.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, "after", apiErr.Attempts, "attempts")
	}
	// Output:
	// LegacyCRMPassword after 3 requests
	// 503 after 3 attempts
}

// A test of code that relies on the client riding out a flaky network: a
// connection closed before any answer, then one reset in the middle of
// the body, then the answer.
func ExampleFault_connections() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(elevenlabs.WithBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}

	srv.AddFaults(
		elevenlabstest.Fault{NoAnswer: true},
		elevenlabstest.Fault{DropConnection: true, Reset: true},
	)
	secret, err := client.GetSecret(context.Background(), "sec_0a1b2c3d4e5f6a7b8c9d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret.Name, "after", len(srv.Requests()), "requests")
	// Output:
	// LegacyCRMPassword after 3 requests
}
