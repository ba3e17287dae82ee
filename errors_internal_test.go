package elevenlabs

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestKeyFoldingMatchesAReference: holdsKey, scrubString and
// scrubCut find the key in any ASCII case, and only there, at the
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
		if got, want := holdsKey(s, key), strings.Contains(lower(s), lower(key)); got != want {
			t.Fatalf("holdsKey(%q) = %v, want %v", s, got, want)
		}
		if got, want := scrubString(s, key), refScrub(s); got != want {
			t.Fatalf("scrubString(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(scrub([]byte(s), key, false)), refScrub(s); got != want {
			t.Fatalf("scrub(%q) = %q, want %q", s, got, want)
		}
		// Cut short, the text also loses an end that starts the key.
		wantCut := refScrub(s)
		for i := len(key) - 1; i >= 4; i-- {
			if strings.HasSuffix(lower(s), lower(key[:i])) {
				wantCut = refScrub(s[:len(s)-i])
				if !strings.HasSuffix(wantCut, "[REDACTED]") { // else touching: one
					wantCut += "[REDACTED]"
				}
				break
			}
		}
		if got := scrubCut(s, key); got != wantCut {
			t.Fatalf("scrubCut(%q) = %q, want %q", s, got, wantCut)
		}
	}
}

// TestHoldsKeyAllocatesNothing: GetSecret asks holdsKey of every
// secret ID; mixed case must not make it copy either string.
func TestHoldsKeyAllocatesNothing(t *testing.T) {
	id, key := "SEC_9F8B7C6D5E4A3B2C1D0E", "sk_ABCdef0123456789ABCDEF"
	if n := testing.AllocsPerRun(100, func() { holdsKey(id, key) }); n != 0 {
		t.Errorf("holdsKey allocates %.0f times a call, want 0", n)
	}
}

// TestEscapedKeyMatchesAReference: scrubString finds the key spelled with
// any of its bytes escaped (%73, \u0073, &#115;, &#x73;), in any case,
// and replaces exactly the escaped text: checked against a reference that
// decodes the whole text first, on random text mixing escapes that spell
// ASCII, ones that do not (non-ASCII, malformed) and plain bytes.
func TestEscapedKeyMatchesAReference(t *testing.T) {
	t.Run("letters, digits, _", func(t *testing.T) {
		checkEscapedKey(t, "sk_Ab12Kz", []string{
			"sk_Ab12Kz", "%73%6B%5F%41%62%31%32%4b%7A", "\\u0073k_\\u0041b12&#75;&#x7a;", "%73", "%6b", "\\u005F", "&#65;", "&#x62;", "&#X31;", "2", "K", "z", "sk_Ab1",
			"%e2%82", "%zz", "%7", "\\u00e9", "\\u12", "&#x;", "&#;", "&#1150;", "&#00000115;", "&#0000115;", "é", "\xff", "%", "&", "\\",
		})
	})
	// The characters HTML and XML escape by name, and JSON by a backslash.
	t.Run("characters with named entities", func(t *testing.T) {
		checkEscapedKey(t, `k'<&>"9Zq`, []string{
			`k'<&>"9Zq`, "k&apos;&lt;&amp;&gt;&quot;9Zq", `k&#39;&#x3c;&amp;&gt;\"9Zq`, "k\\u0027<&>\\u0022%39%5a%71", "&apos;", "&lt;", "&amp;", "&gt;", "&quot;", `\"`,
			"'", "<", "&", ">", `"`, "9", "Z", "q", "k", "&apos", "&am;", "&AMP;", "%27", "%3C", "%26", "%3E", "%22",
		})
	})
}

// checkEscapedKey checks scrubString against a reference on 10,000
// random texts made of pieces.
func checkEscapedKey(t *testing.T, key string, pieces []string) {
	unit := regexp.MustCompile(`(?s)%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\["\\/]|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,7};|&(lt|gt|amp|quot|apos);|.`)
	named := map[string]byte{"&lt;": '<', "&gt;": '>', "&amp;": '&', "&quot;": '"', "&apos;": '\''}
	// decode spells each unit of s as an ASCII byte where it escapes one.
	decode := func(u string) (byte, bool) {
		var v uint64
		var err error
		switch {
		case len(u) == 3 && u[0] == '%':
			v, err = strconv.ParseUint(u[1:], 16, 64)
		case len(u) == 6 && u[0] == '\\':
			v, err = strconv.ParseUint(u[2:], 16, 64)
		case len(u) == 2 && u[0] == '\\':
			return u[1], true
		case named[u] != 0:
			return named[u], true
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
		return redactMarked(s, marked)
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
	if n := testing.AllocsPerRun(10, func() { matcherFor("sk_Ab12Kz").spans(text, true) }); n > 5 {
		t.Errorf("%0.f allocations to read %d bytes of malformed escapes, want a few", n, len(text))
	}
}

// TestKeyFragmentsMatchAReference: with a key longer than keyFragmentLen,
// scrubString hides every run of keyFragmentLen or more consecutive bytes
// of the key, as written or through escapes, in any case, and nothing
// else; scrubCut also hides an end of the text that starts the key, 4
// bytes or more. Checked against a reference that tries every window of
// every reading, on random text built of pieces of the key (cut anywhere,
// escaped or not) and of noise.
func TestKeyFragmentsMatchAReference(t *testing.T) {
	const key = "sk_0123456789abcdefABCDEF0123456789abcdef0123456789"
	unit := regexp.MustCompile(`(?s)%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\["\\/]|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,7};|&(lt|gt|amp|quot|apos);|.`)
	lower := func(b []byte) string {
		for i, c := range b {
			b[i] = lowerASCII(c)
		}
		return string(b)
	}
	lk := lower([]byte(key))
	// reading returns s's units ([start, end) byte ranges) and the byte
	// each spells: with decode, escapes read as their byte (the
	// reference of decodeUnit is the regexp and strconv).
	reading := func(s string, decode bool) (units [][2]int, bytes []byte) {
		if !decode {
			for i := range len(s) {
				units, bytes = append(units, [2]int{i, i + 1}), append(bytes, s[i])
			}
			return units, bytes
		}
		for _, u := range unit.FindAllStringIndex(s, -1) {
			text := s[u[0]:u[1]]
			c, ok := byte(0), false
			switch {
			case len(text) == 3 && text[0] == '%', len(text) == 6 && text[0] == '\\':
				v, err := strconv.ParseUint(text[1+len(text)/6:], 16, 16)
				c, ok = byte(v), err == nil && v < 0x80
			case len(text) == 2 && text[0] == '\\':
				c, ok = text[1], true
			case strings.HasPrefix(text, "&#"):
				digits, base := text[2:len(text)-1], 10
				if digits[0] == 'x' || digits[0] == 'X' {
					digits, base = digits[1:], 16
				}
				v, err := strconv.ParseUint(digits, base, 32)
				c, ok = byte(v), err == nil && v < 0x80
			case len(text) > 1 && text[0] == '&':
				c, ok = map[string]byte{"&lt;": '<', "&gt;": '>', "&amp;": '&', "&quot;": '"', "&apos;": '\''}[text], true
			}
			if ok {
				units, bytes = append(units, [2]int{u[0], u[1]}), append(bytes, c)
				continue
			}
			// Not an escape of an ASCII byte: its bytes as they are.
			for b := u[0]; b < u[1]; b++ {
				units, bytes = append(units, [2]int{b, b + 1}), append(bytes, s[b])
			}
		}
		return units, bytes
	}
	// cutEscape matches an escape cut before its end, ending the text.
	cutEscape := regexp.MustCompile(`(%[0-9A-Fa-f]?|\\(u[0-9A-Fa-f]{0,3})?|&#[0-9]{0,7}|&#[xX][0-9A-Fa-f]{0,7}|&(l|lt|g|gt|a|am|amp|ap|apo|apos|q|qu|quo|quot)?)$`)
	reference := func(s string, cut bool) string {
		marked := make([]bool, len(s))
		mark := func(from, to int) {
			for b := from; b < to; b++ {
				marked[b] = true
			}
		}
		scan := s
		if loc := cutEscape.FindStringIndex(s); cut && loc != nil {
			scan = s[:loc[0]]
		}
		for _, decode := range []bool{false, true} {
			units, bytes := reading(scan, decode)
			text := lower(bytes)
			for i := 0; i+keyFragmentLen <= len(units); i++ {
				if strings.Contains(lk, text[i:i+keyFragmentLen]) {
					mark(units[i][0], units[i+keyFragmentLen-1][1])
				}
			}
			if cut {
				for k := keyFragmentLen - 1; k >= 4; k-- {
					if k <= len(units) && strings.HasSuffix(text, lk[:k]) {
						mark(units[len(units)-k][0], len(s))
						break
					}
				}
			}
		}
		return redactMarked(s, marked)
	}
	escape := func(rng *rand.Rand, c byte) string {
		switch rng.IntN(8) {
		case 0:
			return fmt.Sprintf("%%%02X", c)
		case 1:
			return fmt.Sprintf(`\u%04x`, c)
		case 2:
			return fmt.Sprintf("&#%d;", c)
		case 3:
			return fmt.Sprintf("&#x%x;", c)
		case 4:
			return strings.ToUpper(string(c))
		}
		return string(c)
	}
	noise := []string{" ", "x", "é", "\xff", "%", "&", "\\", "&amp;", `\"`, "%zz", "\u200b", "0", "a", "sk_", "[REDACTED]", "%7", `\u00`, "&#11", "&am", "&#x"}
	rng := rand.New(rand.NewPCG(5, 6))
	hits := 0
	for range 5_000 {
		var b strings.Builder
		for range rng.IntN(6) {
			if rng.IntN(2) == 0 {
				b.WriteString(noise[rng.IntN(len(noise))])
				continue
			}
			from := rng.IntN(len(key))
			to := from + 1 + rng.IntN(len(key)-from)
			escaped := rng.IntN(3) == 0
			for i := from; i < to; i++ {
				if escaped {
					b.WriteString(escape(rng, key[i]))
				} else {
					b.WriteByte(key[i])
				}
			}
		}
		s := b.String()
		for _, cut := range []bool{false, true} {
			got, want := scrubString(s, key), reference(s, false)
			if cut {
				got, want = scrubCut(s, key), reference(s, true)
			}
			if got != want {
				t.Fatalf("cut %v: scrubbed %q to %q, want %q", cut, s, got, want)
			}
		}
		if strings.Contains(scrubString(s, key), "[REDACTED]") != strings.Contains(s, "[REDACTED]") {
			hits++
		}
	}
	if hits < 1000 {
		t.Errorf("only %d of the random texts held a fragment of the key: the test shows little", hits)
	}
}

// keyTimeout is a network error whose text quotes the key.
type keyTimeout struct{ key string }

func (e keyTimeout) Error() string   { return "i/o timeout talking to " + e.key }
func (e keyTimeout) Timeout() bool   { return true }
func (e keyTimeout) Temporary() bool { return false }

// sliceError is an error of a type == cannot compare.
type sliceError []string

func (e sliceError) Error() string { return "several: " + strings.Join(e, ", ") }

// TestWithoutKeyKeepsWhatCallersAsk: the chain withoutKey rebuilds holds
// the key nowhere, and still answers what the retry loop and callers ask
// of it: errors.Is for the causes and for an error replaced, errors.As for
// *url.Error (Op, URL) and *net.OpError, Timeout.
func TestWithoutKeyKeepsWhatCallersAsk(t *testing.T) {
	const key = "sk_7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e2b6d4f0a9c7e3b1d5"
	sentinel := errors.New("proxy refused key " + key)
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	chain := &url.Error{Op: "Get", URL: "https://api.example/?k=" + key,
		Err: fmt.Errorf("via %s: %w", key, errors.Join(sentinel, reset, keyTimeout{key}))}
	got, changed := withoutKey(chain, key)
	if !changed {
		t.Fatal("withoutKey says it changed nothing")
	}
	var walk func(err error)
	walk = func(err error) {
		if err == nil {
			return
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", err)} {
			if strings.Contains(text, key[:12]) || strings.Contains(text, key[20:32]) {
				t.Errorf("%T holds the key: %s", err, scrubString(text, key))
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		}
	}
	walk(got)
	var urlErr *url.Error
	if !errors.As(got, &urlErr) || urlErr.Op != "Get" || urlErr.URL != "https://api.example/?k=[REDACTED]" {
		t.Errorf("errors.As(*url.Error) = %v", urlErr)
	}
	var opErr *net.OpError
	if !errors.As(got, &opErr) || opErr.Op != "read" {
		t.Errorf("errors.As(*net.OpError) = %v", opErr)
	}
	for _, target := range []error{sentinel, syscall.ECONNRESET} {
		if !errors.Is(got, target) {
			t.Errorf("errors.Is(%v) = false", target)
		}
	}
	if errors.Is(got, errors.New("proxy refused key "+key)) {
		t.Error("errors.Is matches an error that is not in the chain")
	}
	// The timeout replaced still says it is one, to the retry loop too.
	timeouts := 0
	var count func(err error)
	count = func(err error) {
		if n, ok := err.(net.Error); ok && n.Timeout() {
			timeouts++
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			count(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				count(c)
			}
		}
	}
	if count(got); timeouts != 1 {
		t.Errorf("%d timeouts in the chain, want 1", timeouts)
	}
	if !transientError(got) {
		t.Error("transientError no longer sees the reset and the timeout")
	}
	if clean := errors.New("no key here"); func() bool { got, changed := withoutKey(clean, key); return changed || got != clean }() {
		t.Error("withoutKey replaced an error that does not hold the key")
	}
	// An error of a type == cannot compare (a slice) is walked, not
	// compared: it does not panic.
	if got, changed := withoutKey(sliceError{"no key here"}, key); changed || got.Error() != "several: no key here" {
		t.Errorf("withoutKey(an uncomparable error) = %v, %v", got, changed)
	}
	if got := scrubError(sliceError{"no key here"}, key); got.Error() != "several: no key here" {
		t.Errorf("scrubError(an uncomparable error) = %v", got)
	}
	if got := scrubError(sliceError{key}, key); got.Error() != "several: [REDACTED]" {
		t.Errorf("scrubError(an uncomparable error quoting the key) = %v", got)
	}
}

// TestCutInsideAnEscape: a text cut at a limit in the middle of an escape
// that spells the key's start loses that start with the cut escape;
// a cut escape after anything else is left as it is.
func TestCutInsideAnEscape(t *testing.T) {
	const key = "sk_0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, tc := range []struct{ text, want string }{
		{"body: %73%6b%5f%30%31%3", "body: [REDACTED]"},
		{`body: \u0073k_01\u00`, "body: [REDACTED]"},
		{"body: &#115;k_01&#5", "body: [REDACTED]"},
		{"body: sk_01&am", "body: [REDACTED]"},
		// Numeric entities of 7 to 10 bytes, cut before their ';'.
		{"body: sk_01&#x0006", "body: [REDACTED]"},
		{"body: sk_01&#x00000", "body: [REDACTED]"},
		{"body: sk_01&#x0000000", "body: [REDACTED]"},
		{"body: sk_01&#0000000", "body: [REDACTED]"},
		{`body: sk_01234567\`, "body: [REDACTED]"},
		{"body: sk_%", "body: sk_%"}, // 3 bytes of the key: any word's
		{"50% off, &#x", "50% off, &#x"},
		{"body: %73%6b%5f%30%31%32", "body: [REDACTED]"},
	} {
		if got := scrubCut(tc.text, key); got != tc.want {
			t.Errorf("scrubCut(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// opaqueError is a wrapper whose text does not hold its cause's.
type opaqueError struct{ cause error }

func (e *opaqueError) Error() string { return "proxy refused the request" }
func (e *opaqueError) Unwrap() error { return e.cause }

// TestScrubErrorReachesEveryPlaceTheKeyHides: scrubError hides the key
// where only the chain holds it (a wrapper whose text is clean), in a
// *net.OpError's address, in text whose escaping would complete a piece
// of it; and a replaced *bodyReadError is still retried.
func TestScrubErrorReachesEveryPlaceTheKeyHides(t *testing.T) {
	const key = "sk_0123456789abcdef0123456789abcdef0123456789abcdef"
	check := func(name string, err error) {
		t.Helper()
		for e := err; e != nil; e = errors.Unwrap(e) {
			texts := []string{e.Error(), fmt.Sprintf("%#v", e)}
			if op, ok := e.(*net.OpError); ok && op.Addr != nil {
				texts = append(texts, op.Addr.String())
			}
			for _, text := range texts {
				if strings.Contains(text, key[3:15]) {
					t.Errorf("%s: %T holds the key: %s", name, e, scrubString(text, key))
				}
			}
		}
	}
	check("a clean wrapper", scrubError(&opaqueError{errors.New("bad key " + key)}, key))
	addr := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.UnixAddr{Name: "proxy-" + key, Net: "unix"}, Err: errors.New("refused")}
	scrubbed := scrubError(addr, key)
	check("an address", scrubbed)
	var op *net.OpError
	if !errors.As(scrubbed, &op) || op.Addr.Network() != "unix" || op.Addr.String() != "proxy-[REDACTED]" {
		t.Errorf("the *net.OpError's address is %v", op)
	}
	// (Only the text scrubError writes: the error it wraps holds a
	// control character, not "\x01", and no 12 bytes of the key.)
	if escaped := scrubError(errors.New("upstream: \x0123456789ab"), key).Error(); escaped != `upstream: \x[REDACTED]` {
		t.Errorf("escaped and scrubbed to %q, want the escape's letters hidden with the key's", escaped)
	}
	broken := scrubError(&bodyReadError{fmt.Errorf("%s: %w", key, io.ErrUnexpectedEOF)}, key)
	check("a broken body", broken)
	if !transientError(broken) {
		t.Error("a broken body quoting the key is no longer retried")
	}
}

// redactMarked writes s with each run of marked bytes as one [REDACTED]:
// how the reference tests spell what scrubbing should return.
func redactMarked(s string, marked []bool) string {
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

// TestErrorURLHidesTheKey: the URL an *APIError or *DecodeError carries
// (errorURL) has no query, fragment or credentials, and no key in its
// path, escaped or not. (Redirects to such a URL are refused, so this is
// defence in depth for a transport of the caller's that follows them.)
func TestErrorURLHidesTheKey(t *testing.T) {
	const key = "sk_0123456789abcdef0123456789abcdef"
	for raw, want := range map[string]string{
		"https://api.example/v1/convai/secrets/" + key:                   "https://api.example/v1/convai/secrets/[REDACTED]",
		"https://api.example/v1/convai/secrets/%73" + key[1:]:            "https://api.example/v1/convai/secrets/[REDACTED]",
		"https://u:" + key + "@api.example/v1/convai/secrets/s?k=" + key: "https://api.example/v1/convai/secrets/s",
		"https://api.example/v1/convai/secrets/s#" + key:                 "https://api.example/v1/convai/secrets/s",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := errorURL(u, key); got != want {
			t.Errorf("errorURL(%s) = %q, want %q", scrubString(raw, key), got, want)
		}
	}
}

// TestRequestIDHeadersInOrder: the request id is read from each of the
// headers APIError's doc names, the first present winning, in the order
// it names them.
func TestRequestIDHeadersInOrder(t *testing.T) {
	documented := []string{"request-id", "x-request-id", "xi-request-id", "x-amzn-requestid", "cf-ray"}
	for i := range documented {
		h := http.Header{}
		for _, name := range documented[i:] {
			h.Set(name, "id from "+name)
		}
		if got, want := requestID(h), "id from "+documented[i]; got != want {
			t.Errorf("with %v set: request id %q, want %q", documented[i:], got, want)
		}
	}
	if got := requestID(http.Header{"X-Other-Id": {"x"}}); got != "" {
		t.Errorf("request id %q from a header not in the list", got)
	}
}

// TestRedactKeepsTheMatchersOfSeveralKeys: Redact with a few keys in turn
// (elevenlabstest checks each request against the keys it accepts and
// the one sent) builds each key's matcher once, not at every call.
func TestRedactKeepsTheMatchersOfSeveralKeys(t *testing.T) {
	keys := []string{"sk_first_key_0123456789", "sk_second_key_0123456789", "sk_third_key_0123456789"}
	text := "GET /v1/convai/secrets/sec_123 nothing secret here"
	allocs := testing.AllocsPerRun(50, func() {
		for _, k := range keys {
			if got := Redact(text, k); got != text {
				t.Fatalf("Redact changed %q to %q", text, got)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Redact with %d keys in turn allocates %.0f times a round, want 0 (each key's matcher kept)", len(keys), allocs)
	}
}
