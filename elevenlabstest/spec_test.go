package elevenlabstest_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
	"github.com/convai-secrets-go/elevenlabs/internal/spec"
)

// specDoc is openapi.yaml, loaded once per test that needs it.
func specDoc(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// specRouter routes requests to srv as openapi.yaml's operations.
func specRouter(t testing.TB, srv *elevenlabstest.Server) routers.Router {
	t.Helper()
	doc := specDoc(t)
	doc.Servers = append(doc.Servers, &openapi3.Server{URL: srv.URL})
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router
}

// exchange is one request to the fake and its whole answer.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// get sends GET path to srv with key (none if key is "") through a plain
// net/http client and reads the whole answer.
func get(t testing.TB, srv *elevenlabstest.Server, path, key string) exchange {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("xi-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}
}

// checkSpec fails t unless the request and its answer conform to
// openapi.yaml and the status is one the spec lists.
func checkSpec(t testing.TB, router routers.Router, x exchange) {
	t.Helper()
	route, params, err := router.FindRoute(x.req)
	if err != nil {
		t.Fatalf("no route in openapi.yaml for %s: %v", x.req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: x.req, PathParams: params, Route: route}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		t.Fatalf("request breaks openapi.yaml: %s", contract.Brief(err))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 x.status,
		Header:                 x.header,
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	out.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%d response to %s breaks openapi.yaml: %s", x.status, x.req.URL.Path, contract.Brief(err))
	}
}

// TestEveryStatusTheSpecListsIsSpecValid: for every status openapi.yaml
// describes for the operation, the fake's answer with it (its own, or a
// Fault with that status and the fake's default body) conforms to the
// spec. A status added to the spec with a schema of its own fails here
// until the fake answers it as the spec says.
func TestEveryStatusTheSpecListsIsSpecValid(t *testing.T) {
	t.Parallel()
	op := specDoc(t).Paths.Find("/v1/convai/secrets/{secret_id}").Get
	if op == nil {
		t.Fatal("openapi.yaml has no GET /v1/convai/secrets/{secret_id}")
	}
	for code := range op.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil { // "default" or a range: no one status to ask for
			continue
		}
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData())
			router := specRouter(t, srv)
			id, key := "sec_7d2f4a9c1e8b3f6a0d5c", testKey
			switch status {
			case http.StatusOK:
			case http.StatusUnauthorized:
				key = "xi-wrong-key-for-the-fake"
			case http.StatusNotFound:
				id = "sec_missing"
			case http.StatusUnprocessableEntity:
				id = "sec.1"
			default:
				srv.AddFaults(elevenlabstest.Fault{Status: status})
			}
			x := get(t, srv, "/v1/convai/secrets/"+id, key)
			if x.status != status {
				t.Fatalf("status %d, want %d", x.status, status)
			}
			checkSpec(t, router, x)
			if t.Failed() {
				t.Errorf("openapi.yaml describes a %d answer that the fake does not give: make elevenlabstest answer it as the spec says (defaultErrorBody in faults.go for an error status, or the server's own answer), and check that the client reads it (an *APIError's Code and Message, errors.go)", status)
			}
		})
	}
}

// TestJSONContentTypesAFaultMaySetAreSpecValid: the Content-Types a fault
// may set on the server's own 200 body (application/json, in any case,
// with parameters) keep the answer spec-valid.
func TestJSONContentTypesAFaultMaySetAreSpecValid(t *testing.T) {
	t.Parallel()
	srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(testKey), elevenlabstest.WithSampleData())
	router := specRouter(t, srv)
	for _, ct := range []string{"Application/JSON", "application/json; charset=utf-8"} {
		srv.AddFaults(elevenlabstest.Fault{Header: http.Header{"Content-Type": {ct}}})
		x := get(t, srv, "/v1/convai/secrets/sec_7d2f4a9c1e8b3f6a0d5c", testKey)
		if x.status != http.StatusOK || x.header.Get("Content-Type") != ct {
			t.Fatalf("status %d, Content-Type %q; want 200 and %q", x.status, x.header.Get("Content-Type"), ct)
		}
		checkSpec(t, router, x)
	}
}
