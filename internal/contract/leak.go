package contract

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// KeyPieceLen is the length of the pieces of a key KeyPieceAt looks for:
// the client promises that no 12 consecutive characters of its key show.
const KeyPieceLen = 12

// unicodeEscape is a JSON escape of an ASCII character, \u0041.
var unicodeEscape = regexp.MustCompile(`\\u00[0-7][0-9a-fA-F]`)

// jsonEscapes decodes JSON's escapes of '/', '"' and '\'.
var jsonEscapes = strings.NewReplacer(`\/`, "/", `\"`, `"`, `\\`, `\`)

// KeyPieceAt returns the offset in key of the first run of KeyPieceLen
// consecutive characters of key (all of a shorter key) that text holds,
// in any ASCII case, as written or with its escapes decoded (HTML
// references, JSON's \u00XX, \/, \" and \\, a URL's %XX), or -1. Tests use it as an
// oracle of their own for the client's promise, independent of the
// client's scrubbing.
func KeyPieceAt(text, key string) int {
	readings := []string{text, html.UnescapeString(text), unicodeEscape.ReplaceAllStringFunc(text, func(e string) string {
		v, _ := strconv.ParseUint(e[2:], 16, 8)
		return string(rune(v))
	}), jsonEscapes.Replace(text)}
	if u, err := url.PathUnescape(text); err == nil {
		readings = append(readings, u)
	}
	n := min(len(key), KeyPieceLen)
	key = strings.ToLower(key)
	for _, r := range readings {
		r = strings.ToLower(r)
		for i := 0; i+n <= len(key); i++ {
			if strings.Contains(r, key[i:i+n]) {
				return i
			}
		}
	}
	return -1
}
