package elevenlabstest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// docsExample is the example response of the ElevenLabs docs page for
// this endpoint, kept as a shared fixture (tools that update the spec may
// rewrite it).
//
//go:embed testdata/get-secret-example.json
var docsExample []byte

// sampleFiles are the other sample secrets, one per file.
//
//go:embed sampledata/*.json
var sampleFiles embed.FS

// SampleSecrets returns the sample data [WithSampleData] seeds a server
// with, decoded anew on every call: first the example response of the
// ElevenLabs docs page, then secrets that together cover every kind of
// dependent: each union's available and unknown variants, phone numbers
// of every provider, others, and every *_has_more flag set; one secret
// nothing uses. The error is for sample data that does not decode, which
// the package's tests rule out.
func SampleSecrets() ([]elevenlabs.Secret, error) {
	bodies, err := sampleBodies()
	if err != nil {
		return nil, err
	}
	secrets := make([]elevenlabs.Secret, 0, len(bodies))
	for i, b := range bodies {
		var s elevenlabs.Secret
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("elevenlabstest: sample data %d: %w", i, err)
		}
		secrets = append(secrets, s)
	}
	return secrets, nil
}

// sampleBodies returns the JSON of the sample secrets, in the order of
// [SampleSecrets].
func sampleBodies() ([][]byte, error) {
	bodies := [][]byte{docsExample}
	names, err := fs.Glob(sampleFiles, "sampledata/*.json")
	if err != nil {
		return nil, fmt.Errorf("elevenlabstest: sample data: %w", err)
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := sampleFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("elevenlabstest: sample data: %w", err)
		}
		bodies = append(bodies, b)
	}
	return bodies, nil
}

// sampleBody returns the ID of the sample secret raw and the body the
// server answers with: raw itself, compacted, when it is what
// [Server.AddSecret] would store (the same JSON value), so that the docs
// example is served with its own key order, as the API sent it;
// otherwise what AddSecret would store.
func sampleBody(raw []byte) (id string, body []byte, err error) {
	var secret elevenlabs.Secret
	if err := json.Unmarshal(raw, &secret); err != nil {
		return "", nil, err
	}
	body, err = encodeSecret(secret)
	if err != nil {
		return "", nil, err
	}
	if sameJSON(raw, body) {
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err == nil {
			body = compact.Bytes()
		}
	}
	return secret.SecretID, body, nil
}

// sameJSON reports whether a and b hold the same JSON value, numbers
// compared as written.
func sameJSON(a, b []byte) bool {
	decode := func(data []byte) (any, bool) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil || d.More() {
			return nil, false
		}
		return v, true
	}
	va, okA := decode(a)
	vb, okB := decode(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}
