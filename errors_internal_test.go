package elevenlabs

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestKeyFoldingMatchesAReference: containsKey, scrubString and
// trimKeyStart find the key in any ASCII case, and only there, at the
// right byte offsets, in text that also holds multi-byte and invalid
// UTF-8 (which a Unicode case mapping would resize or fold further:
// 'K', the Kelvin sign, is not 'k'): checked against a plain reference
// on random text.
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
