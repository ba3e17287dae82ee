package elevenlabstest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"sync/atomic"
)

// The paths the fake serves.
const (
	secretPrefix  = "/v1/convai/secrets/"
	secretPattern = secretPrefix + "{secret_id}"
)

// handler returns the server's root handler: it records the request, takes
// the next fault if one is queued, and answers.
func (s *Server) handler() http.Handler {
	api := s.apiHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		onConn := requestsOnConn(r)
		fault, faulted, requestID := s.begin(r)
		if faulted && fault.Delay > 0 && !s.wait(r, fault.Delay) {
			// The client went away or the server is closing: answer
			// nothing (net/http closes the connection quietly).
			panic(http.ErrAbortHandler)
		}
		if faulted && fault.NoAnswer {
			if onConn > 1 && replayable(r) {
				// net/http sends such a request again, on a new connection,
				// when a connection it reused closes before any answer: the
				// client would never see the fault. It waits for that
				// request instead, at the head of the queue, without its
				// Delay (waited already).
				replay := fault
				replay.Delay = 0
				s.requeue(replay)
			}
			noAnswer(w, fault.Reset)
			return
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		resp := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
		resp.header.Set("request-id", requestID)
		if faulted {
			resp = fault.apply(resp)
			if fault.DropConnection || fault.Stall {
				s.dropConnection(w, r, resp, fault.Reset, fault.Stall)
				return
			}
		}
		resp.write(w)
	})
}

// begin records r with its request id, and takes the next queued fault,
// if any: one lock, so the order of Requests, of the ids and of the faults
// taken is the same.
func (s *Server) begin(r *http.Request) (f Fault, faulted bool, requestID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestID++
	requestID = fmt.Sprintf("req_fake_%06d", s.requestID)
	accepted, _ := s.keys()
	req := record(r, accepted)
	req.RequestID = requestID
	*s.requests = append(*s.requests, req)
	id, forSecret := requestedSecret(r)
	for i, queued := range s.faults {
		if queued.SecretID == "" || forSecret && queued.SecretID == id {
			// slices.Delete zeroes the slot it frees: a used fault's
			// Body is not kept.
			s.faults = slices.Delete(s.faults, i, i+1)
			return queued, true, requestID
		}
	}
	return Fault{}, false, requestID
}

// requestedSecret returns the secret ID r asks for, if its path is one of
// a secret: /v1/convai/secrets/{secret_id}.
func requestedSecret(r *http.Request) (id string, ok bool) {
	id, ok = strings.CutPrefix(r.URL.Path, secretPrefix)
	return id, ok && id != "" && !strings.Contains(id, "/")
}

// apiHandler routes the API's paths; its answers are what the fake sends
// when no fault says otherwise.
func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+secretPattern, s.getSecret) // and HEAD
	mux.HandleFunc(secretPattern, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": "Method Not Allowed"})
	})
	notFound := func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
	}
	mux.HandleFunc("/", notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux would redirect a path with "//", "." or ".." segments
		// to its clean form: the API has no such paths.
		if p := r.URL.Path; p != cleanPath(p) {
			notFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// cleanPath is path.Clean keeping a trailing slash.
func cleanPath(p string) string {
	c := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// accepts reports whether key is one the server accepts.
func (s *Server) accepts(key string) bool {
	accepted, _ := s.keys()
	return accepted[key]
}

// getSecret answers GET /v1/convai/secrets/{secret_id}: 401, 422, 404 or
// 200, in that order of checks.
func (s *Server) getSecret(w http.ResponseWriter, r *http.Request) {
	keys := r.Header.Values(apiKeyHeader)
	switch {
	case len(keys) == 0 && r.Header.Get("Authorization") != "":
		// Not "neither received": this fake reads only xi-api-key.
		writeJSON(w, http.StatusUnauthorized, errorBody("invalid_api_key",
			"Invalid API key: this fake server reads the key from the xi-api-key header only, not Authorization"))
		return
	case len(keys) == 0:
		writeJSON(w, http.StatusUnauthorized, errorBody("needs_authorization",
			"Neither authorization header nor xi-api-key received, please provide one."))
		return
	case len(keys) > 1 || !s.accepts(keys[0]):
		writeJSON(w, http.StatusUnauthorized, errorBody("invalid_api_key", "Invalid API key"))
		return
	}
	id := r.PathValue("secret_id")
	if !validSecretID(id) {
		writeJSON(w, http.StatusUnprocessableEntity, secretIDValidationError(id))
		return
	}
	body, ok := s.secretBody(id)
	if !ok {
		writeJSON(w, http.StatusNotFound, errorBody("secret_not_found", "Secret not found"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// apiError is ElevenLabs' error body: {"detail":{"status":..,"message":..}}.
type apiError struct {
	Detail struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"detail"`
}

func errorBody(status, message string) apiError {
	var e apiError
	e.Detail.Status, e.Detail.Message = status, message
	return e
}

// validationError is one item of FastAPI's (pydantic 2's) 422 body; the
// spec's ValidationError with the extra input and ctx fields.
type validationError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input string         `json:"input,omitempty"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// idPattern is the rule of validSecretID as a regular expression, for the
// 422 message.
var idPattern = fmt.Sprintf("^[A-Za-z0-9_-]{1,%d}$", MaxSecretIDLen)

// secretIDValidationError is the 422 body for a malformed secret_id.
func secretIDValidationError(id string) map[string][]validationError {
	v := validationError{
		Type:  "string_pattern_mismatch",
		Loc:   []any{"path", "secret_id"},
		Msg:   fmt.Sprintf("String should match pattern '%s'", idPattern),
		Input: id,
		Ctx:   map[string]any{"pattern": idPattern},
	}
	if len(id) > MaxSecretIDLen {
		v.Type = "string_too_long"
		v.Msg = fmt.Sprintf("String should have at most %d characters", MaxSecretIDLen)
		v.Ctx = map[string]any{"max_length": MaxSecretIDLen}
	}
	return map[string][]validationError{"detail": {v}}
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(v))
}

// mustJSON encodes one of the package's own values.
func mustJSON(v any) []byte {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return body
}

// connRequests counts the requests a connection has carried; the
// server's ConnContext puts one in each connection's context.
type connRequests struct{}

// countRequests gives a new connection's context its request counter.
func countRequests(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connRequests{}, new(atomic.Int32))
}

// requestsOnConn counts r on its connection and returns how many requests
// the connection has carried, r included (1 if it is not counted).
func requestsOnConn(r *http.Request) int32 {
	if n, ok := r.Context().Value(connRequests{}).(*atomic.Int32); ok {
		return n.Add(1)
	}
	return 1
}

// replayable reports whether net/http's client sends r again on a new
// connection when a reused one closes before answering: a request of a
// safe method without a body, or one with an idempotency key.
func replayable(r *http.Request) bool {
	switch {
	case r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "":
		return true
	case r.ContentLength != 0 || len(r.TransferEncoding) > 0:
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// requeue puts f back at the head of the queue of faults.
func (s *Server) requeue(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append([]Fault{f}, s.faults...)
}
