package elevenlabs

import (
	"errors"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidSecretID is wrapped by the error [Client.GetSecret] returns,
// without sending anything, for an ID that [ValidateSecretID] refuses
// (empty, too long, or a character that could move the request off
// /v1/convai/secrets/{secret_id} or that no ID has), or that contains the
// Client's API key.
var ErrInvalidSecretID = errors.New("elevenlabs: invalid secret ID")

// maxSecretIDLen bounds an ID well above any ElevenLabs ID.
const maxSecretIDLen = 512

// ValidateSecretID returns nil if id can be sent as a secret ID, as exactly
// one path segment of /v1/convai/secrets/{secret_id}, and otherwise an
// error wrapping [ErrInvalidSecretID]. [Client.GetSecret] makes this check
// (and also refuses an ID containing its API key) before sending; call it
// before passing an ID from an untrusted source to the generated client of
// [Client.API], which does not check. It refuses dot segments, separators
// and escapes ('/', '\', '?', '#', '%', and ';', which servers such as
// Tomcat and Jetty read as the start of path parameters, so that "..;x"
// is ".." to them) and the characters Unicode normalisation turns into
// them (fullwidth '／', '．'...), white space, control characters and
// the others [unicode.IsPrint] rejects (format characters such as
// U+200B; a letter or mark that shows as nothing, such as U+3164, passes,
// to be percent-escaped), invalid UTF-8 and over-long IDs:
// percent-escaping alone does not stop a
// proxy that decodes %2F or normalises "..". Errors
// never quote the ID (it might be a mistyped key).
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
			return fmt.Errorf("%w: white space, a control or a non-printable character (%U) at byte %d", ErrInvalidSecretID, r, i)
		case r == '/' || r == '\\' || r == '?' || r == '#' || r == '%' || r == ';':
			return fmt.Errorf("%w: %q at byte %d would change the request path", ErrInvalidSecretID, r, i)
		case r >= pathLookalikes[0] && slices.Contains(pathLookalikes, r):
			return fmt.Errorf("%w: %U at byte %d reads as a path character once normalised (NFKC)", ErrInvalidSecretID, r, i)
		}
	}
	return nil
}

// pathLookalikes are the characters that Unicode compatibility
// normalisation (NFKC), which some proxies and servers apply to paths,
// turns into '/', '\', '?', '#', '%', ';' or dots alone: percent-escaped, they
// pass any proxy that does not normalise and change the path at one that
// does. No ElevenLabs ID has them. (A test checks the list against NFKC
// over all of Unicode; the table avoids linking golang.org/x/text's
// normalisation tables into every program that imports this package.)
var pathLookalikes = []rune{ // the smallest first
	'\u037E', '\uFE14', '\uFE54', '\uFF1B', // ';'
	'\u2024', '\u2025', '\u2026', '\uFE19', '\uFE30', '\uFE52', '\uFF0E', // dots
	'\u2047', '\u2048', '\u2049', '\uFE16', '\uFE56', '\uFF1F', // '?'
	'\u2100', '\u2101', '\u2105', '\u2106', '\uFF0F', // '/'
	'\uFE68', '\uFF3C', // '\\'
	'\uFE5F', '\uFF03', // '#'
	'\uFE6A', '\uFF05', // '%'
}
