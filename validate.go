package elevenlabs

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidSecretID is wrapped by the error [Client.GetSecret] returns,
// without sending anything, for an ID that is empty or would move the
// request off /v1/convai/secrets/{secret_id}.
var ErrInvalidSecretID = errors.New("elevenlabs: invalid secret ID")

// maxSecretIDLen bounds an ID well above any ElevenLabs ID.
const maxSecretIDLen = 512

// ValidateSecretID returns nil if id can be sent as a secret ID, as exactly
// one path segment of /v1/convai/secrets/{secret_id}, and otherwise an
// error wrapping [ErrInvalidSecretID]. [Client.GetSecret] makes this check
// (and also refuses an ID containing its API key) before sending; call it
// before passing an ID from an untrusted source to the generated client of
// [Client.API], which does not check. It refuses dot segments, separators
// and escapes ('/', '\', '?', '#', '%'), white space and control
// characters, invalid UTF-8 and over-long IDs: percent-escaping alone does
// not stop a proxy that decodes %2F or normalises "..". Errors never quote
// the ID (it might be a mistyped key).
func ValidateSecretID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: it is empty", ErrInvalidSecretID)
	case id == "." || id == "..":
		return fmt.Errorf("%w: %q is a path segment, not an ID", ErrInvalidSecretID, id)
	case len(id) > maxSecretIDLen:
		return fmt.Errorf("%w: it is %d bytes long (limit %d)", ErrInvalidSecretID, len(id), maxSecretIDLen)
	}
	for i, r := range id {
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("%w: invalid UTF-8 at byte %d", ErrInvalidSecretID, i)
		case unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Errorf("%w: white space or a control character (%U) at byte %d", ErrInvalidSecretID, r, i)
		case r == '/' || r == '\\' || r == '?' || r == '#' || r == '%':
			return fmt.Errorf("%w: %q at byte %d would change the request path", ErrInvalidSecretID, r, i)
		}
	}
	return nil
}
