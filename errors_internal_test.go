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
	refScrub := func(s string) string {
		var out strings.Builder
		for i := 0; i < len(s); {
			if i+len(key) <= len(s) && lower(s[i:i+len(key)]) == lower(key) {
				out.WriteString("[REDACTED]")
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
	reference := func(s string) string {
		units := unit.FindAllStringIndex(s, -1)
		var out strings.Builder
		last := 0
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
				out.WriteString(s[last:units[i][0]] + "[REDACTED]")
				last, i = units[j-1][1], j
				continue
			}
			i++
		}
		return out.String() + s[last:]
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
