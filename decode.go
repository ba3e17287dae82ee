package elevenlabs

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/convai-secrets-go/elevenlabs/api"
)

// decodeSecret decodes a 200 body into a Secret. A used_by field this spec
// does not name (a new kind of dependent, a new *_has_more flag) is kept,
// decoded, in UsedBy.AdditionalProperties: a secret used by something
// newer than this module must not read as unused.
//
// The generated UnmarshalJSON of ConvAIStoredSecretDependencies keeps
// them too, but decodes used_by twice over (2.6 times the cost of the
// whole body's decoding). So the body is decoded into plainSecret, whose
// used_by type has the same fields without that method, and used_by's
// keys are then scanned (no allocation) for ones the spec does not name;
// only those are decoded again.
func decodeSecret(body []byte) (Secret, error) {
	var p plainSecret
	if err := json.Unmarshal(body, &p); err != nil {
		return Secret{}, err
	}
	secret := p.ConvAIWorkspaceStoredSecretConfig
	secret.UsedBy = api.ConvAIStoredSecretDependencies(p.UsedBy)
	usedBy := valueOf(body, "used_by")
	for key, value, next := nextField(usedBy, 0); key != nil; key, value, next = nextField(usedBy, next) {
		if specUsedBy[string(key)] { // no allocation
			continue
		}
		name := string(key)
		if bytes.IndexByte(key, '\\') >= 0 { // an escaped name: rare
			quoted := append(append([]byte{'"'}, key...), '"')
			if err := json.Unmarshal(quoted, &name); err != nil {
				return Secret{}, err
			}
			if specUsedBy[name] {
				continue
			}
		}
		var v any
		if err := json.Unmarshal(value, &v); err != nil {
			return Secret{}, err
		}
		secret.UsedBy.Set(name, v)
	}
	return secret, nil
}

// plainSecret decodes like Secret, but for used_by, which it decodes as
// plainDependencies: its UsedBy field hides the embedded one.
type plainSecret struct {
	api.ConvAIWorkspaceStoredSecretConfig
	UsedBy plainDependencies `json:"used_by"`
}

// plainDependencies is ConvAIStoredSecretDependencies without its
// methods, so encoding/json decodes it field by field, in one pass.
type plainDependencies api.ConvAIStoredSecretDependencies

// specUsedBy are the used_by fields the spec names: the JSON names of the
// generated type's fields.
var specUsedBy = func() map[string]bool {
	names := map[string]bool{}
	t := reflect.TypeFor[api.ConvAIStoredSecretDependencies]()
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "-" {
			names[name] = true
		}
	}
	return names
}()

// valueOf returns body from the start of the value of its top-level field
// name, or nil. body must be valid JSON, as a successful json.Unmarshal
// has shown: valueOf and nextField only skip over values, reading each
// byte once, and allocate nothing. (encoding/json offers no walk over an
// object's fields that does not allocate per token; this runs on every
// call.)
func valueOf(body []byte, name string) []byte {
	for key, start := nextKey(body, 0); key != nil; key, start = nextKey(body, skipValue(body, start)) {
		if string(key) == name {
			return body[start:]
		}
	}
	return nil
}

// nextField returns the name (as written, without its quotes) and the
// value of the field of the JSON object data at or after offset i, and
// the offset after it; i is 0 for the first field. The name is nil past
// the object's last field, or if data is not an object.
func nextField(data []byte, i int) (key, value []byte, next int) {
	key, start := nextKey(data, i)
	if key == nil {
		return nil, nil, start
	}
	end := skipValue(data, start)
	return key, data[start:end], end
}

// nextKey returns the name of the field at or after offset i in the JSON
// object data, and the offset of its value.
func nextKey(data []byte, i int) (key []byte, value int) {
	i = skipSpace(data, i)
	if i >= len(data) || (data[i] != '{' && data[i] != ',') {
		return nil, i // '}', or not an object
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '"' {
		return nil, i
	}
	end := skipString(data, i)
	key = data[i+1 : end-1]
	i = skipSpace(data, end) // at ':'
	return key, skipSpace(data, i+1)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) int {
	for i++; ; {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return len(data)
		}
		i += j
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		k := i
		for k > 0 && data[k-1] == '\\' {
			k--
		}
		i++
		if (i-1-k)%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index just past the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		// Strings are skipped whole (bytes.IndexByte is fast); brackets
		// are counted in what lies between them.
		depth := 0
		for i < len(data) {
			q := bytes.IndexByte(data[i:], '"')
			between := data[i:]
			if q >= 0 {
				between = between[:q]
			}
			for k, c := range between {
				switch c {
				case '{', '[':
					depth++
				case '}', ']':
					if depth--; depth == 0 {
						return i + k + 1
					}
				}
			}
			if q < 0 {
				return len(data)
			}
			i = skipString(data, i+q)
		}
		return i
	}
	// A number, true, false or null.
	for i < len(data) && !strings.ContainsRune(",}] \t\n\r", rune(data[i])) {
		i++
	}
	return i
}
