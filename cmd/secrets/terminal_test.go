package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestStderrCannotDriveTheTerminal: an error quoting what a server chose
// outside any response (here the names in its TLS certificate, which the
// hostname check lists) reaches stderr with its control characters
// escaped; the exit code is the network error's.
func TestStderrCannotDriveTheTerminal(t *testing.T) {
	t.Parallel()
	const name = "\x1b]0;owned\a\x1b[2Jevil.example" // IA5String: ASCII only
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hostile"}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	r := secrets(t, withKey, "get", "--base-url", url, "sec_1")
	if r.code != exitNetwork {
		t.Errorf("exit %d, want %d (network error): %s", r.code, exitNetwork, r.stderr)
	}
	if !strings.Contains(r.stderr, `x509: certificate is valid for \x1b]0;owned\a\x1b[2Jevil.example, not localhost`) {
		t.Errorf("stderr does not quote the certificate's name escaped:\n%q", r.stderr)
	}
	if i := strings.IndexFunc(r.stderr, func(r rune) bool {
		return r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
	}); i >= 0 {
		t.Errorf("stderr holds %q raw:\n%q", []rune(r.stderr[i:])[0], r.stderr)
	}
	checkNoKey(t, r)
}

// TestStderrEscapesWhatTheLibraryDoesNot: text that reaches stderr
// without passing through the library (the flag package's message for an
// unknown flag, quoting it as typed or pasted) is escaped too.
func TestStderrEscapesWhatTheLibraryDoesNot(t *testing.T) {
	t.Parallel()
	r := secrets(t, nil, "get", "--\x1b]0;owned\a\u202e", "sec_1")
	if r.code != exitUsage {
		t.Errorf("exit %d, want %d (usage)", r.code, exitUsage)
	}
	if !strings.Contains(r.stderr, `-\x1b]0;owned\a\u202e`) {
		t.Errorf("stderr does not name the flag escaped:\n%q", r.stderr)
	}
	if strings.ContainsAny(r.stderr, "\x1b\a\u202e") {
		t.Errorf("stderr holds control characters raw:\n%q", r.stderr)
	}
}

// TestTerminalSafeText: every character that is not printable but for
// line breaks and tabs, and every byte that is not UTF-8, is escaped; the
// rest (spaces and non-ASCII letters included) is kept; text with nothing
// to escape is returned as it is.
func TestTerminalSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, été\n\tindented\n": "plain text, été\n\tindented\n",
		"\x1b[31mred\x07":               `\x1b[31mred\a`,
		"\u009b2J \u202eabc\u2066":      `\u009b2J \u202eabc\u2066`,
		"bad \xff byte\r\n":             `bad \xff byte\r` + "\n",
		"":                              "",
	} {
		if got := string(terminalSafeText([]byte(in))); got != want {
			t.Errorf("terminalSafeText(%q) = %q, want %q", in, got, want)
		}
	}
}
