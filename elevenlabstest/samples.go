package elevenlabstest

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
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
