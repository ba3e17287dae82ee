package main

import (
	"net/http"
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
