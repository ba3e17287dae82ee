package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// TestKeyNeverPrinted runs the command where a careless program would
// print the key: servers that echo it in every kind of answer, refused
// keys, malformed keys.
func TestKeyNeverPrinted(t *testing.T) {
	t.Parallel()
	const id = "sec_7d2f4a9c1e8b3f6a0d5c"
	echo200 := `{"type":"stored","secret_id":"` + id + `","name":"` + testKey + `","used_by":{"tools":[{"type":"unknown","id":"` + testKey + `"}],"agents":[],"others":[]}}`
	// The key upper-cased, JSON-escaped, and in pieces (an ID, a field
	// name newer than the spec).
	echoPieces := `{"type":"stored","secret_id":"` + id + `","name":"` + strings.ToUpper(testKey) + `","used_by":{"tools":[{"type":"unknown","id":"` + testKey[1:] +
		`"}],"agents":[{"type":"unknown","id":"\u0078\u0069` + testKey[2:] + `"}],"others":[],"` + testKey[3:] + `":[{"id":"x"}]}}`
	cases := []struct {
		name  string
		env   []string
		args  []string
		fault *elevenlabstest.Fault
		code  int
	}{
		{"table", withKey, []string{"get", id}, nil, exitOK},
		{"json", withKey, []string{"get", "--json", id}, nil, exitOK},
		{"200 echoing the key, table", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 200, Body: []byte(echo200)}, exitOK},
		{"200 echoing the key, json", withKey, []string{"get", "--json", id}, &elevenlabstest.Fault{Status: 200, Body: []byte(echo200)}, exitOK},
		{"404 echoing the key", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 404, Body: []byte(`{"detail":{"status":"secret_not_found","message":"no secret for key ` + testKey + `"}}`)}, exitNotFound},
		{"401 echoing the key", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 401, Body: []byte(`{"detail":"bad key ` + testKey + `"}`)}, exitUnauthorized},
		{"HTML echoing the key", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 400, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<h1>Bad key " + testKey + "</h1>")}, exitAPIError},
		{"undecodable 200 echoing the key", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 200, Body: []byte("oops " + testKey)}, exitAPIError},
		{"200 echoing the key in other forms, table", withKey, []string{"get", id}, &elevenlabstest.Fault{Status: 200, Body: []byte(echoPieces)}, exitOK},
		{"200 echoing the key in other forms, json", withKey, []string{"get", "--json", id}, &elevenlabstest.Fault{Status: 200, Body: []byte(echoPieces)}, exitOK},
		{"key refused", []string{"ELEVENLABS_API_KEY=" + testKey + "-other"}, []string{"get", id}, nil, exitUnauthorized},
		{"fake mode with a key set", withKey, []string{"get", "--fake", id}, nil, exitOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startFake(t)
			if tc.fault != nil {
				srv.AddFaults(times(*tc.fault)...)
			}
			args := tc.args
			if tc.args[1] != "--fake" {
				args = append([]string{tc.args[0], "--base-url", srv.URL}, tc.args[1:]...)
			}
			r := secrets(t, tc.env, args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d", r.code, tc.code)
			}
			checkNoKey(t, r)
		})
	}
	// A malformed key is refused without quoting it.
	bad := testKey + " with space"
	r := secrets(t, []string{"ELEVENLABS_API_KEY=" + bad}, "get", "--base-url", "http://127.0.0.1:1", "sec_x")
	if r.code != exitUsage {
		t.Errorf("malformed key: exit %d", r.code)
	}
	checkNoKey(t, r)
}

// TestShortKeysDoNotMangleOutput: the output is scrubbed of the key only
// in real mode and only for a key long enough to be a credential, so a
// placeholder key does not corrupt ordinary words.
func TestShortKeysDoNotMangleOutput(t *testing.T) {
	t.Parallel()
	const id = "sec_7d2f4a9c1e8b3f6a0d5c"
	t.Run("fake mode does not use the key", func(t *testing.T) {
		t.Parallel()
		// "tool" is short, "CreateRefund" a long key that is also a name
		// in the sample: --fake prints both as they are.
		for _, key := range []string{"tool", "CreateRefund"} {
			for _, args := range [][]string{{"get", "--fake", id}, {"get", "--fake", "--json", id}} {
				want := secrets(t, nil, args...)
				got := secrets(t, []string{"ELEVENLABS_API_KEY=" + key}, args...)
				if want.code != exitOK || !strings.Contains(want.stdout, "tool_8c1d2e3f4a5b6c7d") || !strings.Contains(want.stdout, "CreateRefund") {
					t.Fatalf("%v without a key: exit %d, stdout %q", args, want.code, want.stdout)
				}
				if got != want {
					t.Errorf("%v with ELEVENLABS_API_KEY=%s: %+v, want the same as without a key: %+v", args, key, got, want)
				}
			}
		}
	})
	t.Run("short key, real mode", func(t *testing.T) {
		t.Parallel()
		srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys("tool", testKey), elevenlabstest.WithSampleData())
		want := secrets(t, withKey, "get", "--base-url", srv.URL, id)
		got := secrets(t, []string{"ELEVENLABS_API_KEY=tool"}, "get", "--base-url", srv.URL, id)
		if want.code != exitOK || !strings.Contains(want.stdout, "tool          -                       and more") || got != want {
			t.Errorf("key \"tool\": %+v, want %+v", got, want)
		}
		r := secrets(t, []string{"ELEVENLABS_API_KEY=k"}, "get", "--base-url", closedURL(t), id)
		if r.code != exitNetwork || !strings.HasPrefix(r.stderr, "secrets: network error: ") {
			t.Errorf("key \"k\", connection refused: exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("an echoed key is hidden from 8 bytes on", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct{ key, name string }{
			{"abcdefg", "abcdefg"},     // 7 bytes: printed as the name it also is
			{"abcdefgh", "[REDACTED]"}, // 8 bytes: a credential
		} {
			srv := elevenlabstest.Start(t, elevenlabstest.WithAPIKeys(tc.key))
			echo := `{"type":"stored","secret_id":"` + id + `","name":"` + tc.key + `","used_by":{"tools":[],"agents":[],"others":[]}}`
			srv.AddFaults(elevenlabstest.Fault{Status: http.StatusOK, Body: []byte(echo)})
			r := secrets(t, []string{"ELEVENLABS_API_KEY=" + tc.key}, "get", "--base-url", srv.URL, id)
			if want := "Name:  " + tc.name + "\n"; r.code != exitOK || !strings.HasPrefix(r.stdout, want) {
				t.Errorf("%d-byte key echoed as the name: exit %d, stdout %q, want it to start with %q", len(tc.key), r.code, r.stdout, want)
			}
		}
	})
}

// TestKeyTypedInTheWrongPlaceIsNotPrinted: a key pasted where a command,
// a flag or its value, or the ID goes is not quoted back in the error,
// with --fake too.
func TestKeyTypedInTheWrongPlaceIsNotPrinted(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{testKey},
		{"get", "--timeout", testKey, "sec_x"},
		{"get", "--" + testKey, "sec_x"},
		{"get", "--json=" + testKey, "sec_x"},
		{"get", "--fake", testKey},
		{"get", "--fake", "--region", testKey, "sec_x"},
	} {
		r := secrets(t, withKey, args...)
		if r.code == exitOK {
			t.Errorf("%d args: exit 0", len(args))
		}
		checkNoKey(t, r)
	}
}
