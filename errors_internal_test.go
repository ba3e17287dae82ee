package elevenlabs

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestKeyFoldingMatchesAReference: containsKey, scrubString and
// trimKeyStart find the key in any ASCII case, and only there, at the
// right byte offsets, in text that also holds multi-byte and invalid
// UTF-8 (which a Unicode case mapping would resize or fold further:
// 'K', the Kelvin sign, is not 'k'): checked against a plain reference
// on random text. (Escaped spellings: TestEscapedKeyMatchesAReference.)
func TestKeyFoldingMatchesAReference(t *testing.T) {
	const key = "sk_Ab12Kz"
	lower := func(s string) string { // the reference: byte by byte
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 32
			}
		}
		return string(b)
	}
	// refScrub redacts each occurrence, keys back to back as one.
	refScrub := func(s string) string {
		var out strings.Builder
		for i := 0; i < len(s); {
			if i+len(key) <= len(s) && lower(s[i:i+len(key)]) == lower(key) {
				if !strings.HasSuffix(out.String(), "[REDACTED]") || i == 0 {
					out.WriteString("[REDACTED]")
				}
				i += len(key)
				continue
			}
			out.WriteByte(s[i])
			i++
		}
		return out.String()
	}
	pieces := []string{key, strings.ToUpper(key), "SK_aB12kZ", "sk_Ab12\u212az", "sk_", "Ab12", "é", "\xff", "\xe2\x82", "K", "k", "_", " ", "s"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := containsKey(s, key), strings.Contains(lower(s), lower(key)); got != want {
			t.Fatalf("containsKey(%q) = %v, want %v", s, got, want)
		}
		if got, want := scrubString(s, key), refScrub(s); got != want {
			t.Fatalf("scrubString(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(scrub([]byte(s), key)), refScrub(s); got != want {
			t.Fatalf("scrub(%q) = %q, want %q", s, got, want)
		}
		wantTrim := s
		for i := len(key) - 1; i >= 4; i-- {
			if strings.HasSuffix(lower(s), lower(key[:i])) {
				wantTrim = s[:len(s)-i]
				break
			}
		}
		if got := string(trimKeyStart([]byte(s), key)); got != wantTrim {
			t.Fatalf("trimKeyStart(%q) = %q, want %q", s, got, wantTrim)
		}
	}
}

// TestContainsKeyAllocatesNothing: GetSecret asks containsKey of every
// secret ID; mixed case must not make it copy either string.
func TestContainsKeyAllocatesNothing(t *testing.T) {
	id, key := "SEC_9F8B7C6D5E4A3B2C1D0E", "sk_ABCdef0123456789ABCDEF"
	if n := testing.AllocsPerRun(100, func() { containsKey(id, key) }); n != 0 {
		t.Errorf("containsKey allocates %.0f times a call, want 0", n)
	}
}

// TestEscapedKeyMatchesAReference: scrubString finds the key spelled with
// any of its bytes escaped (%73, \u0073, &#115;, &#x73;), in any case,
// and replaces exactly the escaped text: checked against a reference that
// decodes the whole text first, on random text mixing escapes that spell
// ASCII, ones that do not (non-ASCII, malformed) and plain bytes.
func TestEscapedKeyMatchesAReference(t *testing.T) {
	const key = "sk_Ab12Kz"
	unit := regexp.MustCompile(`(?s)%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,7};|.`)
	// decode spells each unit of s as an ASCII byte where it escapes one.
	decode := func(u string) (byte, bool) {
		var v uint64
		var err error
		switch {
		case len(u) == 3 && u[0] == '%':
			v, err = strconv.ParseUint(u[1:], 16, 64)
		case len(u) == 6 && u[0] == '\\':
			v, err = strconv.ParseUint(u[2:], 16, 64)
		case strings.HasPrefix(u, "&#x") || strings.HasPrefix(u, "&#X"):
			v, err = strconv.ParseUint(u[3:len(u)-1], 16, 64)
		case strings.HasPrefix(u, "&#"):
			v, err = strconv.ParseUint(u[2:len(u)-1], 10, 64)
		default:
			return 0, false
		}
		return byte(v), err == nil && v < 0x80
	}
	// reference marks the bytes of every spelling of the key (decoded
	// units, leftmost first; and, separately, the literal bytes in any
	// case) and writes each run of marked bytes as one [REDACTED].
	reference := func(s string) string {
		marked := make([]bool, len(s))
		units := unit.FindAllStringIndex(s, -1)
		for i := 0; i < len(units); {
			j, matched := i, 0
			for ; j < len(units) && matched < len(key); j++ {
				u := s[units[j][0]:units[j][1]]
				c, ok := decode(u)
				if !ok {
					if len(u) != 1 { // a multi-byte character: no key byte
						break
					}
					c = u[0]
				}
				if lowerASCII(c) != lowerASCII(key[matched]) {
					break
				}
				matched++
			}
			if matched == len(key) {
				for b := units[i][0]; b < units[j-1][1]; b++ {
					marked[b] = true
				}
				i = j
				continue
			}
			i++
		}
		for i := 0; i+len(key) <= len(s); {
			if strings.EqualFold(s[i:i+len(key)], key) && !strings.ContainsFunc(s[i:i+len(key)], func(r rune) bool { return r > 0x7f }) {
				for b := i; b < i+len(key); b++ {
					marked[b] = true
				}
				i += len(key)
				continue
			}
			i++
		}
		var out strings.Builder
		for i := 0; i < len(s); i++ {
			switch {
			case !marked[i]:
				out.WriteByte(s[i])
			case i == 0 || !marked[i-1]:
				out.WriteString("[REDACTED]")
			}
		}
		return out.String()
	}
	pieces := []string{
		key, "%73%6B%5F%41%62%31%32%4b%7A", "\\u0073k_\\u0041b12&#75;&#x7a;", "%73", "%6b", "\\u005F", "&#65;", "&#x62;", "&#X31;", "2", "K", "z", "sk_Ab1",
		"%e2%82", "%zz", "%7", "\\u00e9", "\\u12", "&#x;", "&#;", "&#1150;", "&#00000115;", "&#0000115;", "é", "\xff", "%", "&", "\\",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	matches := 0
	for range 10_000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		got, want := scrubString(s, key), reference(s)
		if got != want {
			t.Fatalf("scrubString(%q) = %q, want %q", s, got, want)
		}
		if strings.Contains(want, "[REDACTED]") {
			matches++
		}
	}
	if matches < 300 {
		t.Errorf("only %d of the random texts spelled the key: the test shows little", matches)
	}
}

// TestKeysThatLookLikeEscapes: a key written as it is is found even when
// reading escapes first would not find it: a key holding text like
// "%41", and a key after a stray escape start that would swallow its
// first bytes ("%7" before a key starting with hex digits).
func TestKeysThatLookLikeEscapes(t *testing.T) {
	for _, tc := range []struct{ key, text, want string }{
		{"abc%41defg", "echo: abc%41defg.", "echo: [REDACTED]."},
		{"pass&#65;word", "pass&#65;word", "[REDACTED]"},
		{`ab\u0041cdef`, `"ab\u0041cdef"`, `"[REDACTED]"`},
		{"3f9a0b1c2d3e", "50%3f9a0b1c2d3e", "50%[REDACTED]"},
		{"0041abcdefgh", `\u0041abcdefgh`, `\u[REDACTED]`},
		{"acaaabab", "%7acaaabab", "%7[REDACTED]"},
	} {
		if got := scrubString(tc.text, tc.key); got != tc.want {
			t.Errorf("key %q in %q: scrubbed to %q, want %q", tc.key, tc.text, got, tc.want)
		}
	}
}

// TestDecodingHostileTextAllocatesLittle: text full of escape starts that
// spell nothing ("%zz", "&#", "\u00") costs no allocation per escape
// (strconv's parsers allocate an error for each).
func TestDecodingHostileTextAllocatesLittle(t *testing.T) {
	text := strings.Repeat("%zz&#;\\u00%%&#x;", 1000)
	if n := testing.AllocsPerRun(10, func() { keySpans(text, "sk_Ab12Kz", true) }); n > 5 {
		t.Errorf("%0.f allocations to read %d bytes of malformed escapes, want a few", n, len(text))
	}
}
