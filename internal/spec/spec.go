// Package spec loads the project's openapi.yaml for tests, the contract
// helpers and the fake server's own tests. It is the only place that links
// kin-openapi; the client packages never import it.
package spec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/getkin/kin-openapi/openapi3"
)

// Path returns the absolute path of the module's openapi.yaml, found from
// this source file's location (tests run with the module's sources).
func Path() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("spec: cannot locate source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "openapi.yaml")
}

// Bytes returns the contents of openapi.yaml.
func Bytes() ([]byte, error) {
	return os.ReadFile(Path())
}

// Load parses and validates openapi.yaml.
func Load() (*openapi3.T, error) {
	data, err := Bytes()
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse parses and validates an OpenAPI document.
func Parse(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("spec: parse: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("spec: invalid OpenAPI document: %w", err)
	}
	return doc, nil
}
