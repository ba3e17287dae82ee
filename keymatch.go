package elevenlabs

import (
	"slices"
	"strings"
	"sync/atomic"
)

// keyFragmentLen is the length of the shortest run of a key's characters
// that scrubbing hides: not only the whole key is hidden, but any 12
// consecutive characters of it, so that a key cut off at a limit (a body
// read up to a cap, a header cut short), or broken by a character
// inserted into its spelling, does not show the pieces of it 12
// characters long or longer (shorter ones, a key broken every few
// characters, do show). A key shorter than this is hidden whole only.
// (12 characters of a random key are 60 to 70 bits of it: far more than
// chance puts into an ordinary text, and few enough that a cut cannot
// leave much.)
const keyFragmentLen = 12

// keyMatcher finds the fragments of one key in text: every run of n
// consecutive bytes that is also a run of the key, n = min(len(key),
// keyFragmentLen), in any ASCII case, read as written and with escapes
// decoded. It slides a window of the last n bytes over the text, packed
// into two words, tests the window against a bit filter of the key's
// fragments, and only on a hit looks it up in the set of fragments: a few
// operations a byte, in a single pass, allocating only for what it finds.
type keyMatcher struct {
	key       string
	n         int
	fragments map[window]struct{}
	filter    [filterWords]uint64
	// prefixes[k] is the key's first k bytes as a window (k < n).
	prefixes [keyFragmentLen]window
	mask     window // n bytes
}

// window holds up to keyFragmentLen bytes, lower-cased: the last 8 in lo,
// the ones before in hi, the most recent byte in the lowest bits.
type window struct{ hi, lo uint64 }

const filterWords = 1 << 10 // 64 Ki bits

// push returns w with c appended and only the bytes mask keeps.
func (w window) push(c byte, mask window) window {
	return window{hi: (w.hi<<8 | w.lo>>56) & mask.hi, lo: (w.lo<<8 | uint64(c)) & mask.lo}
}

// keep returns w with only its last n bytes.
func (w window) keep(n int) window {
	if n < 8 {
		return window{lo: w.lo & (1<<(8*n) - 1)}
	}
	w.hi &= 1<<(8*(n-8)) - 1
	return w
}

// bit is the window's position in the filter.
func (w window) bit() uint64 {
	return ((w.lo ^ w.hi*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9) >> (64 - 16)
}

// newKeyMatcher returns the matcher of key, or nil for a key too short
// to hide (see MinScrubbedKeyLen).
func newKeyMatcher(key string) *keyMatcher {
	if !secretKey(key) {
		return nil
	}
	m := &keyMatcher{key: key, n: min(len(key), keyFragmentLen), fragments: map[window]struct{}{}}
	m.mask = window{^uint64(0), ^uint64(0)}.keep(m.n)
	var w window
	for i := range len(key) {
		w = w.push(lowerASCII(key[i]), m.mask)
		if i+1 < m.n {
			m.prefixes[i+1] = w
			continue
		}
		m.fragments[w] = struct{}{}
		b := w.bit()
		m.filter[b/64] |= 1 << (b % 64)
	}
	return m
}

// sealedKey holds a Client's API key, and the matcher of it that checks
// secret IDs (built once, so that a program with Clients for several keys
// does not rebuild one per call), where fmt cannot print them. fmt calls
// a Client's Format only where it may: not for an unexported field of a
// caller's struct, nor within a value printed with a verb that does not
// suit it (%s of a pointer), where it prints fields raw and follows
// pointers to structs. A func it prints as an address, whatever the verb
// or depth: the key lives in a closure. (Scrubbing an error goes through
// matcherFor's cache of the last 8 keys' matchers.)
type sealedKey func() (string, *keyMatcher)

func sealKey(key string) sealedKey {
	m := newKeyMatcher(key)
	return func() (string, *keyMatcher) { return key, m }
}

// text returns the key, or "" from a zero sealedKey.
func (s sealedKey) text() string {
	if s == nil {
		return ""
	}
	k, _ := s()
	return k
}

// matcher returns the key's matcher: nil (which matches nothing) for a
// key too short to hide, or from a zero sealedKey.
func (s sealedKey) matcher() *keyMatcher {
	if s == nil {
		return nil
	}
	_, m := s()
	return m
}

// recentMatchers are the matchers of the keys last scrubbed, the oldest
// replaced first: a program has one key or a few (a test server checks
// each request against the keys it accepts and the one sent), and
// building a matcher costs tens of µs. (A Client checks secret IDs with a
// matcher of its own.)
var (
	recentMatchers [8]atomic.Pointer[keyMatcher]
	nextMatcher    atomic.Uint32
)

// matcherFor returns the matcher of key, without the white space around
// it (a line of a key file is the key), or nil for a key too short to
// hide (white space alone included).
func matcherFor(key string) *keyMatcher {
	key = strings.TrimSpace(key)
	for i := range recentMatchers {
		if m := recentMatchers[i].Load(); m != nil && m.key == key {
			return m
		}
	}
	m := newKeyMatcher(key)
	if m != nil {
		recentMatchers[(nextMatcher.Add(1)-1)%uint32(len(recentMatchers))].Store(m)
	}
	return m
}

// spans returns the byte ranges of s that spell fragments of the key,
// merged where they overlap or touch, in order; with decode, reading each
// escape as the byte it spells. tail is where a start of the key shorter
// than a fragment, 4 bytes or more, ends s (for text cut short, which may
// have split the key there), or len(s).
func (m *keyMatcher) spans(s string, decode bool) (spans [][2]int, tail int) {
	// starts holds where the last n units began, in a ring; slot is where
	// the next goes, which holds the oldest once the ring is full.
	var starts [keyFragmentLen]int
	var w window
	units, slot := 0, 0
	for i := 0; i < len(s); units++ {
		c, width := s[i], 1
		if decode {
			c, width = decodeUnit(s[i:])
		}
		starts[slot] = i
		if slot++; slot == m.n {
			slot = 0
		}
		w = w.push(lowerASCII(c), m.mask)
		i += width
		if units+1 < m.n {
			continue
		}
		if b := w.bit(); m.filter[b/64]&(1<<(b%64)) == 0 {
			continue
		}
		if _, ok := m.fragments[w]; !ok {
			continue
		}
		start := starts[slot]
		if last := len(spans) - 1; last >= 0 && start <= spans[last][1] {
			spans[last][1] = i
		} else {
			spans = append(spans, [2]int{start, i})
		}
	}
	tail = len(s)
	for k := min(m.n-1, units); k >= 4; k-- {
		if w.keep(k) == m.prefixes[k] {
			tail = starts[(slot-k+m.n)%m.n]
			break
		}
	}
	return spans, tail
}

// Redact returns text with apiKey hidden as a Client hides it from its
// errors and logs: every spelling of the key and every run of 12 or more
// consecutive characters of it, in any ASCII case, as written or escaped
// (%73, \u0073, \", &#115;, &lt;...), replaced with [REDACTED]. A key
// shorter than [MinScrubbedKeyLen] is taken for a placeholder: text is
// returned unchanged. White space around apiKey is not part of it. Use it
// for what your program prints of a response (a name, a raw body), which
// the API could have echoed the key into.
func Redact(text, apiKey string) string { return scrubString(text, apiKey) }

// holdsKey reports whether s spells key, or a fragment of it, as
// scrubString would hide it.
func holdsKey(s, key string) bool { return matcherFor(key).holds(s) }

// holds reports whether s spells m's key, or a fragment of it, as
// scrubString would hide it; a nil m, a key too short to hide, holds
// nothing. It allocates nothing when it finds nothing: GetSecret asks it
// of every secret ID.
func (m *keyMatcher) holds(s string) bool {
	if m == nil || len(s) < m.n {
		return false
	}
	found, _ := m.find(s)
	return len(found) > 0
}

// find returns the byte ranges of s that spell the key or a fragment of
// it, in either reading, and the earlier of their tails (see spans). Both
// readings are needed: one that decodes escapes first would miss a key
// that itself holds text like "%41", or that follows a stray "%7". Text
// with no escape in it (every secret ID GetSecret checks) is read once:
// its decoded reading is the one as written.
func (m *keyMatcher) find(s string) (spans [][2]int, tail int) {
	spans, tail = m.spans(s, false)
	if strings.ContainsAny(s, `%\&`) {
		decoded, decodedTail := m.spans(s, true)
		spans, tail = append(spans, decoded...), min(tail, decodedTail)
	}
	return spans, tail
}

// scrubString replaces every spelling of key in s with [REDACTED], and
// every fragment of it (keyFragmentLen): in any ASCII case (a host name
// comes back lower-cased; a server may echo the key upper-cased), and with
// any of its bytes escaped as in a URL (%73), a JSON string (\u0073) or
// HTML (&#115; &#x73;), as an echo in a Location, a JSON body or a page
// may write it.
func scrubString(s, key string) string {
	out, _ := hideKey(s, key, false)
	return out
}

// scrubCut is scrubString for text cut short at a limit: an end of s that
// spells the start of the key, 4 bytes or more (fewer would often be an
// ordinary word's), in either reading, is hidden too, although shorter
// than a fragment: the cut may have split the key there.
func scrubCut(s, key string) string {
	out, _ := hideKey(s, key, true)
	return out
}

// hideKey is scrubString, and, with cut, scrubCut; changed reports
// whether it changed s.
func hideKey(s, key string, cut bool) (out string, changed bool) {
	// A key with white space around it (a line of a key file) is that key:
	// the white space is not hidden, nor is a key of white space alone.
	m := matcherFor(key)
	if m == nil || len(s) < 4 {
		return s, false
	}
	// Cut short, s may end in an escape cut in two ("%3", "\u00"): the
	// start of the key is looked for before it, and hidden with it.
	scan := s
	if cut {
		scan = s[:incompleteEscape(s)]
	}
	spans, tail := m.find(scan)
	if cut && tail < len(scan) {
		spans = append(spans, [2]int{tail, len(s)})
	}
	if len(spans) == 0 {
		return s, false
	}
	var b strings.Builder
	last := 0
	for _, sp := range mergeSpans(spans) {
		b.WriteString(s[last:sp[0]])
		b.WriteString("[REDACTED]")
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// incompleteEscape returns where s ends with the start of an escape that
// decodeUnit would read, cut before its end ("%3", "\u00", "&#11",
// "&am"), or len(s).
func incompleteEscape(s string) int {
	for j := max(0, len(s)-10); j < len(s); j++ {
		if t := s[j:]; strings.IndexByte(`%\&`, t[0]) >= 0 && isEscapeStart(t) {
			return j
		}
	}
	return len(s)
}

// isEscapeStart reports whether t is the start of an escape, not all of
// it.
func isEscapeStart(t string) bool {
	allDigits := func(d string, base int) bool {
		_, ok := parseDigits(d, base)
		return d == "" || ok
	}
	switch {
	case t[0] == '%':
		return len(t) <= 2 && allDigits(t[1:], 16)
	case t[0] == '\\':
		return len(t) == 1 || t[1] == 'u' && len(t) <= 5 && allDigits(t[2:], 16)
	case len(t) == 1:
		return true // "&"
	case t[1] == '#':
		if len(t) > 2 && (t[2] == 'x' || t[2] == 'X') {
			return len(t) <= 10 && allDigits(t[3:], 16)
		}
		return len(t) <= 9 && allDigits(t[2:], 10)
	}
	for _, e := range namedEntities {
		if len(t)-1 < len(e.name) && strings.HasPrefix(e.name, t[1:]) {
			return true
		}
	}
	return false
}

// mergeSpans sorts byte ranges and merges those that overlap or touch.
func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) == 0 {
		return nil
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		if last := &merged[len(merged)-1]; sp[0] <= last[1] {
			last[1] = max(last[1], sp[1])
		} else {
			merged = append(merged, sp)
		}
	}
	return merged
}

// decodeUnit decodes the escape s starts with, if it spells an ASCII
// byte: %XX (a URL), \u00XX, \", \\ and \/ (a JSON string), &#NN; and
// &#xHH; (HTML, XML), and the named &lt; &gt; &amp; &quot; &apos; (what
// HTML and XML escapers write); or else it takes s's first byte. width is
// the bytes of s read. It allocates nothing, whatever s holds.
func decodeUnit(s string) (c byte, width int) {
	switch {
	case len(s) >= 3 && s[0] == '%':
		if v, ok := parseDigits(s[1:3], 16); ok && v < 0x80 {
			return byte(v), 3
		}
	case len(s) >= 2 && s[0] == '\\':
		switch s[1] {
		case 'u':
			if len(s) >= 6 {
				if v, ok := parseDigits(s[2:6], 16); ok && v < 0x80 {
					return byte(v), 6
				}
			}
		case '"', '\\', '/':
			return s[1], 2
		}
	case len(s) >= 4 && s[0] == '&' && s[1] == '#':
		digits, base := s[2:], 10
		if digits[0] == 'x' || digits[0] == 'X' {
			digits, base = digits[1:], 16
		}
		if end := strings.IndexByte(digits[:min(len(digits), 8)], ';'); end > 0 {
			if v, ok := parseDigits(digits[:end], base); ok && v < 0x80 {
				return byte(v), len(s) - len(digits) + end + 1
			}
		}
	case len(s) >= 4 && s[0] == '&':
		for _, e := range namedEntities {
			if strings.HasPrefix(s[1:], e.name) {
				return e.c, 1 + len(e.name)
			}
		}
	}
	return s[0], 1
}

// namedEntities are the named character references decodeUnit reads.
var namedEntities = [...]struct {
	name string
	c    byte
}{{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}}

// parseDigits reads s, at most 7 digits in base 10 or 16 and nothing
// else, as a number (strconv.ParseUint allocates an error for each text
// that is not one).
func parseDigits(s string, base int) (uint32, bool) {
	var v uint32
	for i := 0; i < len(s); i++ {
		var d byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= lowerASCII(c) && lowerASCII(c) <= 'f':
			d = lowerASCII(c) - 'a' + 10
		default:
			return 0, false
		}
		v = v*uint32(base) + uint32(d)
	}
	return v, len(s) > 0
}
