package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// The command's exit codes; exitCodes documents them for -h and the
// README (a test keeps the README's table equal to it).
const (
	exitOK           = 0
	exitFailure      = 1
	exitUsage        = 2
	exitNotFound     = 3
	exitUnauthorized = 4
	exitAPIError     = 5
	exitNetwork      = 6
	// exitInterrupted is the shell's code for a command SIGINT ended
	// (128 + 2): Ctrl-C ends a run waiting for the API with it, after
	// saying so.
	exitInterrupted = 130
)

// exitCodes describes every exit code, in order.
var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "the secret was shown"},
	{exitFailure, "another failure: the output could not be written, or the --fake server could not start"},
	{exitUsage, "usage error: bad flags or arguments, an invalid secret ID, region or base URL, or no " + elevenlabs.APIKeyEnv},
	{exitNotFound, "not found: the API has no secret with this ID (HTTP 404 with the API's error body; a 404 without one, from a proxy or gateway, or the API's bare {\"detail\":\"Not Found\"} for a path it has no route for, is 5)"},
	{exitUnauthorized, "unauthorized: the API key was refused (HTTP 401 or 403)"},
	{exitAPIError, "other API error: any other error status (422, 429, 5xx...) or an answer that is not a secret (including a body that does not decompress, a redirect refused, or redirects in a loop)"},
	{exitNetwork, "network error: no answer (connection refused or dropped, DNS, TLS, timeout; a timeout wins over an error status an earlier attempt got, which the message quotes)"},
	{exitInterrupted, "interrupted: Ctrl-C (SIGINT) stopped the command"},
}

// timedOut is the library's documented check for a call a timeout ended.
func timedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// classify returns the exit code for an error from GetSecret, and a few
// words saying what went wrong.
func classify(err error) (int, string) {
	var apiErr *elevenlabs.APIError
	var decErr *elevenlabs.DecodeError
	var urlErr *url.Error
	switch {
	case errors.Is(err, elevenlabs.ErrInvalidSecretID):
		return exitUsage, "invalid secret ID"
	// Before the API's answers: a call cut short after an error answer
	// (then retried) carries both, and what ended it decides.
	case errors.Is(err, context.Canceled): // only run's caller cancels: on SIGINT
		return exitInterrupted, "interrupted"
	case errors.Is(err, context.DeadlineExceeded), timedOut(err): // --timeout, or the client's read idle timeout
		return exitNetwork, "timed out"
	case errors.Is(err, elevenlabs.ErrNotFound):
		return exitNotFound, "not found"
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		// Not the API's answer for a secret it does not have (see
		// ErrNotFound): a base URL with a path too many (.../v1), a
		// gateway's or a proxy's 404, must not read as "the secret is
		// gone".
		return exitAPIError, "no such API path (is the base URL right?)"
	case errors.Is(err, elevenlabs.ErrUnauthorized): // 401 or 403
		return exitUnauthorized, "unauthorized"
	case errors.As(err, &apiErr):
		return exitAPIError, "API error"
	case errors.As(err, &decErr), errors.Is(err, elevenlabs.ErrResponseTooLarge),
		errors.Is(err, elevenlabs.ErrRedirectRefused), errors.Is(err, elevenlabs.ErrTooManyRedirects): // answers, sending us elsewhere
		return exitAPIError, "unusable answer"
	case errors.As(err, &urlErr):
		return exitNetwork, "network error"
	}
	return exitFailure, "failed"
}
