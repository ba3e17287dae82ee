package elevenlabs

import (
	"fmt"
	"strings"
)

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

// BaseURL returns the region's API base URL, or "" for an unknown Region.
func (r Region) BaseURL() string {
	for _, known := range regions {
		if known.region == r {
			return known.baseURL
		}
	}
	return ""
}

// String returns the region's name, as accepted by [ParseRegion].
func (r Region) String() string { return string(r) }

// ParseRegion returns the Region named s (case-insensitive, as listed by
// [Regions]), for flags and configuration files. An unknown name is an
// error; it never defaults to another region.
func ParseRegion(s string) (Region, error) {
	for _, known := range regions {
		if strings.EqualFold(s, string(known.region)) {
			return known.region, nil
		}
	}
	names := make([]string, len(regions))
	for i, known := range regions {
		names[i] = string(known.region)
	}
	return "", fmt.Errorf("elevenlabs: unknown region %q (known: %s)", s, strings.Join(names, ", "))
}
