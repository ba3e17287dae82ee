package main

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// captureTransport keeps the body of the last 2xx response, so that
// --json can print the object exactly as the API sent it, fields newer
// than this program included. (The client decodes into Go types, which
// keep only used_by's unknown fields, and offers no raw body alongside a
// decoded secret.) It sits under the client's own transport, which still applies
// its size limit: the capture reads at most limit+1 bytes, enough for the
// client to see a body over the limit.
type captureTransport struct {
	base  http.RoundTripper
	limit int64

	mu   sync.Mutex
	body []byte
}

func (c *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.limit+1))
	_ = resp.Body.Close()
	if err != nil {
		// The client above reads the failure where it happened, in the
		// body: one that broke off is retried, one that does not
		// decompress is an answer that is not a secret.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), failingReader{err}))
		return resp, nil
	}
	c.mu.Lock()
	c.body = data
	c.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, nil
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

// lastBody returns the body of the last 2xx response, or nil.
func (c *captureTransport) lastBody() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body
}
