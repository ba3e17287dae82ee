// Package elevenlabs is a Go client for the ElevenLabs Conversational AI
// workspace secrets API: look a secret up by ID to see its name and
// everything that uses it (tools, agents, phone numbers, MCP servers)
// before rotating or deleting it.
//
// The request and response types are generated from openapi.yaml into the
// api package and aliased here, so the common path needs only this package:
//
//	c, err := elevenlabs.New() // key from ELEVENLABS_API_KEY
//	if err != nil { ... }
//	secret, err := c.GetSecret(ctx, "sec_123")
//	if errors.Is(err, elevenlabs.ErrNotFound) { ... }
//	var apiErr *elevenlabs.APIError
//	if errors.As(err, &apiErr) { ... apiErr.StatusCode, apiErr.Message ... }
//
// [Client.API] returns the generated client, sharing this Client's key,
// base URL and transport, for raw responses and anything the wrapper does
// not cover.
//
// API docs: https://elevenlabs.io/docs/api-reference/workspace/secrets/get
package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/convai-secrets-go/elevenlabs/api"
)

// Secret is a workspace secret as the API returns it: its ID and name, and
// what uses it (UsedBy).
type Secret = api.ConvAIWorkspaceStoredSecretConfig

// Client calls the ElevenLabs workspace secrets API. It is safe for
// concurrent use by many goroutines; create one and reuse it.
type Client struct {
	api     *api.ClientWithResponses
	http    *http.Client
	baseURL *url.URL
	key     sealedKey
	retry   retryPolicy
	logger  *slog.Logger
	// secretURL is GetSecret's request URL up to the secret ID, taken
	// from the generated request builder (see New), or "" to use that
	// builder on every call.
	secretURL string
}

// New returns a Client configured by opts. The API key comes from
// [WithAPIKey] or else the ELEVENLABS_API_KEY environment variable; with
// neither, New returns an error. Requests go to [RegionDefault] unless
// [WithRegion] or [WithBaseURL] says otherwise.
func New(opts ...Option) (*Client, error) {
	s := defaultSettings()
	envKey := s.apiKey
	// Every option is applied, so that the key is known whatever the
	// order: an option's error may quote its input, and a key pasted
	// where a base URL or a region goes must not show in it.
	var optErr error
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil && optErr == nil {
			optErr = err
		}
	}
	// hideKeys scrubs the key and the environment's from an error (both,
	// trimmed too: a key file's line break makes the key unusable, not
	// public).
	hideKeys := func(err error) error {
		for _, k := range []string{s.apiKey, envKey, strings.TrimSpace(envKey)} {
			err = scrubError(err, k)
		}
		return err
	}
	if optErr != nil {
		return nil, hideKeys(optErr)
	}
	if s.regionSet && s.baseURLSet {
		return nil, errors.New("elevenlabs: WithRegion and WithBaseURL are exclusive: a base URL already names the server")
	}
	if s.readIdleSet && s.httpClient != nil && s.httpClient.Transport != nil {
		// It would have no effect: say so rather than ignore it.
		return nil, errors.New("elevenlabs: WithReadIdleTimeout sets the default transport's wait; the Transport given with WithHTTPClient has its own timeouts")
	}
	if !s.apiKeySet && s.apiKey == "" {
		return nil, fmt.Errorf("elevenlabs: no API key: set %s or use WithAPIKey", APIKeyEnv)
	}
	if err := checkAPIKey(s.apiKey); err != nil {
		return nil, fmt.Errorf("%w (from %s)", err, APIKeyEnv)
	}
	raw := s.region.BaseURL()
	if s.baseURLSet {
		raw = s.baseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, hideKeys(err)
	}
	if scrubString(raw, s.apiKey) != raw || scrubString(base.Path, s.apiKey) != base.Path { // in any spelling
		// It would travel in every request line and show in every log.
		return nil, errors.New("elevenlabs: the base URL contains the API key: the key is sent only as the xi-api-key header")
	}

	c := &Client{baseURL: base, key: sealKey(s.apiKey), retry: s.retry, logger: s.logger}
	hc := newHTTPClient(s.httpClient, &transport{
		baseURL:  base,
		origin:   originOf(base),
		maxBytes: s.maxResponseBytes,
	}, base, c.key.matcher(), s.readIdleTimeout)
	c.http = hc
	if c.api, err = c.newAPI(); err != nil {
		return nil, fmt.Errorf("elevenlabs: %w", err)
	}
	if gen, ok := c.api.ClientInterface.(*api.Client); ok && !s.generatedRequest {
		c.secretURL = secretURLPrefix(gen.Server)
	}
	return c, nil
}

// secretIDMarker is the ID secretURLPrefix has the generated code build a
// request for.
const secretIDMarker = "secret_id_marker"

// secretURLPrefix returns the URL the generated request builder makes for
// GetSecret on server, up to the secret ID, or "" if the ID is not its
// end (a spec whose path goes on after the ID). GetSecret appends the ID,
// escaped as the generated code escapes path parameters (url.PathEscape):
// one URL parse per call, where the generated builder makes three and
// costs the wrapper 5% of a call over loopback (BENCHMARKS.md). A test
// checks the two against each other for every ID GetSecret accepts.
func secretURLPrefix(server string) string {
	req, err := api.NewGetSecretRequest(server, secretIDMarker, nil)
	if err != nil {
		return ""
	}
	prefix, ok := strings.CutSuffix(req.URL.String(), secretIDMarker)
	if !ok {
		return ""
	}
	return prefix
}

// newAPI returns a generated client on this Client's base URL, transport
// and key.
func (c *Client) newAPI() (*api.ClientWithResponses, error) {
	return api.NewClientWithResponses(c.baseURL.String(),
		api.WithHTTPClient(scrubbingDoer{c.http, c.key}),
		api.WithRequestEditorFn(c.authorize),
	)
}

// scrubbingDoer sends the generated client's requests, and scrubs the key
// from their errors as GetSecret's are (a refused redirect's Location, a
// proxy's words, can quote it).
type scrubbingDoer struct {
	http *http.Client
	key  sealedKey
}

// Format prints the doer without its key, for every verb: API()'s
// generated client holds it in an exported field, which %+v of that
// client would otherwise print field by field.
func (scrubbingDoer) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "elevenlabs.Client's transport")
}

func (d scrubbingDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.http.Do(req)
	if err != nil {
		err = scrubError(err, d.key.text())
	}
	return resp, err
}

// authorize is the one place that puts the API key (and the User-Agent) on
// a request. The transport removes the key again from any request that is
// not for this Client's own origin.
func (c *Client) authorize(_ context.Context, req *http.Request) error {
	req.Header.Set(apiKeyHeader, c.key.text())
	req.Header.Set("User-Agent", userAgent)
	return nil
}

// Format prints the Client as elevenlabs.Client{BaseURL: ...}, for every
// verb (%v, %+v, %#v, %s...), so that printing or logging a Client never
// shows its API key.
func (c Client) Format(f fmt.State, _ rune) {
	base := "none"
	if c.baseURL != nil {
		base = c.baseURL.Redacted()
	}
	fmt.Fprintf(f, "elevenlabs.Client{BaseURL: %s}", base)
}

// API returns the generated client for raw responses and for anything this
// wrapper does not cover. It shares this Client's API key, base URL and
// transport (key handling, response limits, redirect policy); its calls
// are not retried, logged or bounded by [WithTimeout] (bound them with
// their context), non-2xx responses are returned, not turned into errors,
// and IDs are not checked: an ID like ".." is resolved away and the
// request goes elsewhere on the API's host. Check IDs from untrusted
// sources with [ValidateSecretID] first. The Client's key is set on every
// request, whatever the params' XiAPIKey says. Its JSON200 is decoded by
// the generated code, which keeps used_by's unknown fields as GetSecret
// does, at about twice the decoding cost, and matches used_by's names
// exactly where GetSecret, like encoding/json, ignores their case. The
// raw response (Status, Header, Body) is the server's, unscrubbed: a
// server that echoes the key back echoes it there, where GetSecret's
// errors hide it.
//
// Each call returns a new generated client: changing one (its
// RequestEditors, say) changes neither the Client nor other callers'. On
// a Client not made by [New], API returns nil.
//
// API docs: https://elevenlabs.io/docs/api-reference/workspace/secrets/get
func (c *Client) API() *api.ClientWithResponses {
	if c == nil || c.api == nil {
		return nil
	}
	a, err := c.newAPI()
	if err != nil { // New built one from the same parts
		panic("elevenlabs: " + err.Error())
	}
	return a
}

// CloseIdleConnections closes the connections the Client keeps open for
// reuse that are idle now; a later call opens new ones. Call it when done
// with a Client, so its connections do not linger until they time out. With
// [WithHTTPClient], it closes the idle connections of your transport.
func (c *Client) CloseIdleConnections() {
	if c != nil && c.http != nil {
		c.http.CloseIdleConnections()
	}
}

// BaseURL returns the base URL requests are sent to ("" for a Client not
// made by [New]).
func (c *Client) BaseURL() string {
	if c == nil || c.baseURL == nil {
		return ""
	}
	return c.baseURL.String()
}

// errNoClient is GetSecret's error on a nil or zero Client.
var errNoClient = errors.New("elevenlabs: the Client was not made by elevenlabs.New")

// GetSecret returns the workspace secret secretID with everything that
// uses it.
//
// A non-2xx answer is an [*APIError]; a 2xx body that is not a secret as
// the spec describes one (a required property absent, a dependent of a
// kind this package knows that does not decode as that kind), or is
// another secret than the one asked for, is a [*DecodeError]: every
// dependent of a secret returned decodes through ValueByDiscriminator,
// unless its kind is newer than this package. An ID
// that is empty or would leave
// /v1/convai/secrets/{secret_id} is an error wrapping [ErrInvalidSecretID],
// and nothing is sent. Failed attempts are retried as [WithMaxRetries]
// describes; ctx bounds the whole call, waits and decoding included. Whatever bound
// ends a call (ctx's deadline, [WithTimeout], [WithReadIdleTimeout]),
// its error holds a [net.Error] whose Timeout reports true; a cancelled
// ctx's does not. A call that stops before ctx's deadline because the
// wait before the next attempt (backoff or Retry-After) would outlast it
// ends at once with the last attempt's error, which says so: not a
// timeout, since none happened. If ctx has a cause ([context.WithTimeoutCause],
// [context.WithCancelCause]), the error matches both the cause and ctx's
// error.
//
// API docs: https://elevenlabs.io/docs/api-reference/workspace/secrets/get
func (c *Client) GetSecret(ctx context.Context, secretID string) (*Secret, error) {
	switch {
	case c == nil || c.api == nil:
		return nil, errNoClient
	case ctx == nil:
		return nil, errors.New("elevenlabs: nil Context")
	}
	if err := ValidateSecretID(secretID); err != nil {
		return nil, err
	}
	if c.key.matcher().holds(secretID) {
		// Sent, it would be in the URL, and so in access logs on the way
		// (and in this Client's log): the key, or a piece of it.
		return nil, fmt.Errorf("%w: it contains the API key, or a piece of it; was the key passed as the ID?", ErrInvalidSecretID)
	}
	var path string
	if c.logger != nil {
		path = c.baseURL.Path + "/v1/convai/secrets/" + url.PathEscape(secretID)
	}
	key, callerCtx := c.key.text(), ctx
	return call(ctx, c, http.MethodGet, path, func(ctx context.Context) (*Secret, *http.Response, error) {
		resp, err := c.send(ctx, secretID)
		if err != nil {
			return nil, nil, scrubError(netTimeout(fmt.Errorf("elevenlabs: %w", err)), key)
		}
		body, err := responseBody(resp)
		if errors.Is(err, ErrResponseTooLarge) || err != nil && resp.StatusCode/100 == 2 && !transientError(err) {
			// An answer, too large, or whose framing or compression is
			// broken: not a network failure, and the same would come again.
			return nil, resp, newDecodeError(resp, nil, err, key)
		}
		if err != nil {
			return nil, nil, scrubError(fmt.Errorf("elevenlabs: %w", err), key)
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil, resp, newAPIError(resp, body, key)
		}
		// Bounded by the caller's ctx, not the attempt's: WithTimeout
		// bounds the wait for a body, which has come whole; an attempt cut
		// short here would fetch it again, to be cut short again.
		d, ctxErr := decodeWithin(callerCtx, body)
		if ctxErr != nil {
			return nil, nil, fmt.Errorf("elevenlabs: decoding the %d-byte response: %w", len(body), ctxErr)
		}
		secret, shapeErr, err := d.secret, d.shapeErr, d.err
		if err != nil {
			return nil, resp, newDecodeError(resp, body, err, key)
		}
		if secret.SecretID == "" {
			return nil, resp, newDecodeError(resp, body, errors.New("no secret_id in the response"), key)
		}
		if secret.SecretID != secretID {
			// A proxy's cache or a redirect answered for another secret:
			// its dependents are not this one's.
			other := cut(scrubString(secret.SecretID, key), maxExcerpt)
			return nil, resp, newDecodeError(resp, body, fmt.Errorf("the response is for another secret (secret_id %q)", other), key)
		}
		if missing := missingLists(&secret.UsedBy); missing != "" {
			return nil, resp, newDecodeError(resp, body, fmt.Errorf("no %s in the response: what uses the secret is unknown", missing), key)
		}
		if shapeErr != nil {
			return nil, resp, newDecodeError(resp, body, shapeErr, key)
		}
		return secret, resp, nil
	})
}

// send sends GetSecret's request for secretID: the request the generated
// builder makes, built from secretURL when there is one.
func (c *Client) send(ctx context.Context, secretID string) (*http.Response, error) {
	if c.secretURL == "" {
		return c.api.GetSecret(ctx, secretID, nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.secretURL+url.PathEscape(secretID), nil)
	if err != nil {
		return nil, err
	}
	if err := c.authorize(ctx, req); err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

// missingLists names the first of the lists the spec requires in used_by
// that the response lacks (absent or null; an empty list is an answer), or
// returns "". A secret decoded from a response without them would read as
// used by nothing, which is the answer a caller deciding whether to delete
// it must not get by mistake. The lists are requiredLists: they follow
// openapi.yaml through go generate.
func missingLists(u *ConvAIStoredSecretDependencies) string {
	v := reflect.ValueOf(u).Elem()
	for _, l := range requiredLists {
		if v.Field(l.index).IsNil() {
			return "used_by." + l.name
		}
	}
	return ""
}
