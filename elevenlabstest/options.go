package elevenlabstest

import (
	"errors"
	"fmt"
	"net"
)

// An Option configures a [Server]. NewServer returns the first option
// error.
type Option func(*config) error

type config struct {
	keys    []string
	samples bool
	// listen opens the server's listener; nil is net.Listen. (Tests set
	// it to make listening fail.)
	listen func(network, address string) (net.Listener, error)
}

// WithAPIKeys sets the API keys the server accepts in the xi-api-key
// header; any other key, or none, is answered with a 401. The first key is
// the one [Server.Client] sends and [Server.APIKey] returns. Without this
// option the server accepts one random key. A key that is empty or cannot
// be sent in a header is an error.
func WithAPIKeys(keys ...string) Option {
	return func(c *config) error {
		if len(keys) == 0 {
			return errors.New("elevenlabstest: WithAPIKeys: no keys")
		}
		for i, k := range keys {
			if k == "" {
				return fmt.Errorf("elevenlabstest: WithAPIKeys: key %d is empty", i)
			}
			for j := 0; j < len(k); j++ {
				if k[j] < 0x21 || k[j] > 0x7e {
					return fmt.Errorf("elevenlabstest: WithAPIKeys: key %d has a character that cannot be sent in a header (byte %d)", i, j)
				}
			}
		}
		c.keys = append([]string(nil), keys...)
		return nil
	}
}

// WithSampleData seeds the store with the sample secrets of
// [SampleSecrets]: the example response of the ElevenLabs docs page and
// secrets covering every kind of dependent. Each is served as its JSON
// file is written, compacted (the docs example with the docs' key
// order), unless the file holds something [Server.AddSecret] would store
// differently, such as a field the spec does not know; then it is served
// as AddSecret would store it.
func WithSampleData() Option {
	return func(c *config) error {
		c.samples = true
		return nil
	}
}
