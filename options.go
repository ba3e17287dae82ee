package elevenlabs

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// APIKeyEnv is the environment variable [New] reads the API key from when
// no [WithAPIKey] option is given.
const APIKeyEnv = "ELEVENLABS_API_KEY"

// DefaultMaxResponseBytes is the default cap on a response body.
const DefaultMaxResponseBytes = 8 << 20

// An Option configures a [Client]. Options validate their input: New
// returns the first option error.
type Option func(*settings) error

// settings is what the options collect; New turns it into a Client.
type settings struct {
	apiKey           string
	apiKeySet        bool
	region           Region
	regionSet        bool
	baseURL          string
	baseURLSet       bool
	httpClient       *http.Client
	maxResponseBytes int64
	retry            retryPolicy
	logger           *slog.Logger
	readIdleTimeout  time.Duration
	readIdleSet      bool
	generatedRequest bool // tests: GetSecret's request by the generated builder
}

func defaultSettings() settings {
	return settings{
		apiKey:           os.Getenv(APIKeyEnv),
		region:           RegionDefault,
		maxResponseBytes: DefaultMaxResponseBytes,
		retry:            defaultRetryPolicy(),
		readIdleTimeout:  DefaultReadIdleTimeout,
	}
}

// WithAPIKey sets the API key sent as the xi-api-key header, overriding
// the ELEVENLABS_API_KEY environment variable. An empty key, or one that
// cannot be sent as a header value, is an error (which never quotes the key).
// A key of at least [MinScrubbedKeyLen] bytes, as every ElevenLabs key is,
// is scrubbed from errors and logs; a shorter placeholder is not.
func WithAPIKey(key string) Option {
	return func(s *settings) error {
		if err := checkAPIKey(key); err != nil {
			return err
		}
		s.apiKey, s.apiKeySet = key, true
		return nil
	}
}

// checkAPIKey rejects keys that are empty, that net/http would refuse to
// send (control characters, non-ASCII), or that hold a space anywhere (no
// ElevenLabs key does: a space is a paste gone wrong, around the key or
// in it). Its errors describe the problem without repeating the key.
func checkAPIKey(key string) error {
	if key == "" {
		return errors.New("elevenlabs: the API key is empty")
	}
	if strings.TrimSpace(key) != key {
		return errors.New("elevenlabs: the API key has leading or trailing white space")
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x21 || c > 0x7e {
			return fmt.Errorf("elevenlabs: the API key has a character that cannot be sent in a header (byte %d)", i)
		}
	}
	return nil
}

// WithRegion selects the API stack. It cannot be combined with
// [WithBaseURL], and an unknown Region is an error. A Region converted from
// a string is read as [ParseRegion] reads it: WithRegion(Region("EU"))
// selects [RegionEU], though the two values differ.
func WithRegion(r Region) Option {
	return func(s *settings) error {
		known, err := ParseRegion(string(r))
		if err != nil {
			return err
		}
		s.region, s.regionSet = known, true
		return nil
	}
}

// WithBaseURL sends requests to baseURL instead of a region's server, for
// gateways, proxies and test servers. A path prefix is kept
// (https://gateway.example/elevenlabs sends to
// /elevenlabs/v1/convai/secrets/{id}). The URL must be https, or http to a
// loopback host; it must not carry credentials, a query, a fragment, or
// . and .. path segments (which would drop the prefix).
func WithBaseURL(baseURL string) Option {
	return func(s *settings) error {
		if _, err := parseBaseURL(baseURL); err != nil {
			return err
		}
		s.baseURL, s.baseURLSet = baseURL, true
		return nil
	}
}

// WithHTTPClient sends requests through c. Its Transport, Jar and
// CheckRedirect are respected (a redirect must first stay on the base URL's
// origin), and its Timeout bounds each attempt; the Client adds the API key
// and its own checks on a copy and never modifies c. A nil c is an error.
// If c.Transport is nil, the Client's own default transport is used (as
// without WithHTTPClient: a copy of http.DefaultTransport with a larger
// idle pool and [DefaultReadIdleTimeout], or [WithReadIdleTimeout]'s), one per Client, so share a
// Client rather than making one per call; a Transport of yours is used as
// it is, so its own timeouts are what guard against a silent server.
//
// The Client checks each request before handing it to c's Transport; a
// Transport that itself follows redirects or changes the host is trusted
// with the key, and so is its proxy: the default transport sends plain
// http (a loopback base URL) through none.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) error {
		if c == nil {
			return errors.New("elevenlabs: WithHTTPClient: the *http.Client is nil")
		}
		s.httpClient = c
		return nil
	}
}

// WithReadIdleTimeout sets how long the default transport waits for the
// next bytes from a server before failing the attempt (default
// [DefaultReadIdleTimeout]; see there how the wait is counted): longer for
// a gateway that is slow to start answering, shorter to give up on a
// silent server sooner. It guards the Client's own default transport, so
// it is an error with a Transport of yours (WithHTTPClient), whose own
// timeouts do that. d must be from 10ms to 24h.
func WithReadIdleTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 10*time.Millisecond || d > 24*time.Hour {
			return fmt.Errorf("elevenlabs: WithReadIdleTimeout(%s): want 10ms to 24h", d)
		}
		s.readIdleTimeout, s.readIdleSet = d, true
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body the Client reads
// (default [DefaultMaxResponseBytes]): a larger 2xx body is an error
// wrapping [ErrResponseTooLarge]; a larger error response is cut at the
// cap and still becomes an [*APIError]. n must be positive. Decoding a
// body takes about 3 to 4 times its size in memory, and up to about 50
// times for a hostile one made of millions of empty items: lower the cap
// where memory is tight (the spec calls the lists the API returns
// previews).
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("elevenlabs: WithMaxResponseBytes: %d is not a positive size", n)
		}
		s.maxResponseBytes = n
		return nil
	}
}

// WithMaxRetries sets how many times a failed idempotent call is retried
// (default [DefaultMaxRetries]; 0 disables retries). Retried are 408, 429
// and 5xx responses and transient network errors (connection refused or
// reset, EOF before or during the response, timeouts), with exponential
// backoff and jitter, honouring Retry-After. n must not be negative.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return fmt.Errorf("elevenlabs: WithMaxRetries: %d is negative", n)
		}
		s.retry.maxRetries = n
		return nil
	}
}

// WithBackoff sets the waits between retries: the first is about initial
// (±50% jitter), each next one doubles, and none exceeds max (defaults
// 500ms and 8s); the jitter stays below max, so waits are centred on at
// most 2/3 of it (WithBackoff(d, d) waits d/3 to d). A Retry-After from
// the server is honoured instead, up to 60s. Tests against a fake server
// can shorten the waits with, say, WithBackoff(time.Millisecond,
// time.Millisecond). initial must be positive, and max at least initial
// and at most [MaxBackoff].
func WithBackoff(initial, max time.Duration) Option {
	return func(s *settings) error {
		if initial <= 0 || max < initial || max > MaxBackoff {
			return fmt.Errorf("elevenlabs: WithBackoff(%s, %s): want 0 < initial <= max <= %s", initial, max, MaxBackoff)
		}
		s.retry.initialDelay, s.retry.maxDelay = initial, max
		return nil
	}
}

// MaxBackoff is the longest wait between retries WithBackoff accepts: a
// longer one is a mistake (bound a call that may take long with its
// context instead).
const MaxBackoff = time.Hour

// WithTimeout bounds each attempt of [Client.GetSecret] up to the end of
// its response's body (a 2xx body that has come whole is decoded however
// little of d is left, not fetched again), not the calls of
// [Client.API], which the caller's context bounds; 0, the default, sets no bound beyond
// the caller's context, which bounds the whole call, retries and waits
// included. (Without either, the default transport still fails an attempt
// after [DefaultReadIdleTimeout] without a byte from the server.) d must
// not be negative.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("elevenlabs: WithTimeout: %s is negative", d)
		}
		s.retry.timeout = d
		return nil
	}
}

// WithLogger logs each attempt of [Client.GetSecret] (not the calls of
// [Client.API]) to l: method, path, attempt number and
// max_attempts, status and request_id (or the error), duration, and the
// wait before the next one. Successes log at Debug; a 4xx status that is
// never retried (all but 408 and 429: a 404, a 401, a 422, answers the
// caller's error handling decides about) at Info; other failures at Warn,
// retried or not. Headers are never logged, so the API key
// cannot appear; the error text can quote the response (its request id,
// the API's code and message, the start of an error body or of a body
// that did not decode: up to 200 bytes of each), with the key redacted if
// a server echoed it. A nil l disables
// logging.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}
