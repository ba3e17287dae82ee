package elevenlabs

import (
	"bytes"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// maxQuotedRegion is the longest region name an error quotes: longer than
// any region's, shorter than any API key.
const maxQuotedRegion = 24

// Region selects one of the ElevenLabs API stacks listed as servers in
// openapi.yaml. The residency stacks keep data in their region, so a Region
// never falls back to another one: an unknown Region is an error, and
// [WithRegion] cannot be combined with [WithBaseURL].
type Region string

// The regions, one for every server in openapi.yaml (a test keeps the two
// lists equal).
const (
	// RegionDefault is the global stack, https://api.elevenlabs.io.
	RegionDefault Region = "default"
	// RegionUS is the US stack, https://api.us.elevenlabs.io.
	RegionUS Region = "us"
	// RegionEU is the EU data-residency stack, https://api.eu.residency.elevenlabs.io.
	RegionEU Region = "eu"
	// RegionIndia is the India data-residency stack, https://api.in.residency.elevenlabs.io.
	RegionIndia Region = "india"
	// RegionSingapore is the Singapore data-residency stack, https://api.sg.residency.elevenlabs.io.
	RegionSingapore Region = "singapore"
)

// regions lists every Region in a fixed order with its base URL.
var regions = []struct {
	region  Region
	baseURL string
}{
	{RegionDefault, "https://api.elevenlabs.io"},
	{RegionUS, "https://api.us.elevenlabs.io"},
	{RegionEU, "https://api.eu.residency.elevenlabs.io"},
	{RegionIndia, "https://api.in.residency.elevenlabs.io"},
	{RegionSingapore, "https://api.sg.residency.elevenlabs.io"},
}

// Regions returns every known Region, RegionDefault first.
func Regions() []Region {
	out := make([]Region, len(regions))
	for i, r := range regions {
		out[i] = r.region
	}
	return out
}

// BaseURL returns the region's API base URL (its name read as
// [ParseRegion] and [WithRegion] read it), or "" for an unknown Region.
func (r Region) BaseURL() string {
	if i := lookupRegion(string(r)); i >= 0 {
		return regions[i].baseURL
	}
	return ""
}

// lookupRegion returns the index in regions of the region named name, in
// any case, white space around it ignored, or -1.
func lookupRegion(name string) int {
	name = strings.TrimSpace(name)
	for i, known := range regions {
		if strings.EqualFold(name, string(known.region)) {
			return i
		}
	}
	return -1
}

// MarshalText returns the region's name as [ParseRegion] reads it back,
// for encoders and flag.TextVar: "eu" for Region("EU") too. The zero
// Region, a region not set, is written as empty text, which UnmarshalText
// reads back as not set. An unknown region is an error: written out, it
// could not be read back.
func (r Region) MarshalText() ([]byte, error) {
	if r == "" {
		return []byte{}, nil
	}
	known, err := ParseRegion(string(r))
	if err != nil {
		return nil, err
	}
	return []byte(known), nil
}

// UnmarshalText sets r to the Region named text, as [ParseRegion] reads
// it, so that configuration files (JSON, YAML, TOML...) and flag.TextVar
// take a region by name and refuse an unknown one. Empty text sets the
// zero Region: not set (white space alone too, as ParseRegion ignores
// it around a name). (It names no region: [WithRegion] refuses it, and
// a Client made without WithRegion uses [RegionDefault].)
func (r *Region) UnmarshalText(text []byte) error {
	if len(bytes.TrimSpace(text)) == 0 {
		*r = ""
		return nil
	}
	parsed, err := ParseRegion(string(text))
	if err != nil {
		return err
	}
	*r = parsed
	return nil
}

// LogValue logs the region by its name (String), also an unknown one,
// which MarshalText, and so slog's default, would log as an error.
func (r Region) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String returns the region's name, as accepted by [ParseRegion]: the
// canonical name of a known region in any case ("eu" for Region("EU")),
// and r as it is otherwise.
func (r Region) String() string {
	if i := lookupRegion(string(r)); i >= 0 {
		return string(regions[i].region)
	}
	return string(r)
}

// ParseRegion returns the Region named s (case-insensitive, as listed by
// [Regions], white space around it ignored), for flags and configuration
// files. An unknown name, or none, is an error; it never defaults to
// another region. The error quotes only a short s: a long one may be a
// secret pasted in the wrong place.
func ParseRegion(s string) (Region, error) {
	if i := lookupRegion(s); i >= 0 {
		return regions[i].region, nil
	}
	s = strings.TrimSpace(s)
	names := make([]string, len(regions))
	for i, known := range regions {
		names[i] = string(known.region)
	}
	shown := strconv.Quote(s)
	if len(s) > maxQuotedRegion {
		shown = fmt.Sprintf("(a %d-byte name)", len(s))
	}
	return "", fmt.Errorf("elevenlabs: unknown region %s (known: %s)", shown, strings.Join(names, ", "))
}
