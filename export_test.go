package elevenlabs

import (
	"context"
	"time"
)

// WithRetryClockForTest replaces the clock and the wait between attempts,
// so tests can record the waits the client asks for without sleeping.
func WithRetryClockForTest(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(s *settings) error {
		if now != nil {
			s.retry.now = now
		}
		if sleep != nil {
			s.retry.sleep = sleep
		}
		return nil
	}
}

// Sleep is the client's real wait between attempts.
var Sleep = sleep

// ModuleVersionForTest is moduleVersion, the User-Agent's version.
var ModuleVersionForTest = moduleVersion

// WithGeneratedRequestForTest makes GetSecret build its request with the
// generated builder on every call, as it does for a spec whose path does
// not end with the secret ID.
func WithGeneratedRequestForTest() Option {
	return func(s *settings) error {
		s.generatedRequest = true
		return nil
	}
}

// SecretURLPrefixForTest is secretURLPrefix.
var SecretURLPrefixForTest = secretURLPrefix
