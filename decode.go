package elevenlabs

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

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
// only those are decoded again. One difference: encoding/json matches
// names to fields in any case, so here "Tools" is the tools list, where
// the generated UnmarshalJSON (json.Unmarshal into a Secret, the client
// of Client.API) keeps it as an additional property. The API sends the
// names as the spec writes them.
func decodeSecret(body []byte) (*Secret, error) {
	secret, _, err := decodeAndCheck(body)
	return secret, err
}

// decodeAsideBytes is the body size from which decodeWithin decodes on
// a goroutine of its own: a smaller body decodes in less time than a
// deadline is worth watching for (at most a few ms), a larger one may
// not (8 MiB of small items takes about half a second here).
const decodeAsideBytes = 256 << 10

// decoded is what decodeAndCheck returns.
type decoded struct {
	secret        *Secret
	shapeErr, err error
}

// decodeWithin is decodeAndCheck, ended by ctx: the caller's deadline
// bounds the whole call, decoding included. A large body is decoded on
// a goroutine of its own, which, if ctx ends first, is left to finish
// (bounded by the body's cap) and its result dropped; the error is then
// ctx's. A small body is decoded at once.
func decodeWithin(ctx context.Context, body []byte) (decoded, error) {
	if len(body) < decodeAsideBytes || ctx.Done() == nil {
		return decodeAll(body), nil
	}
	done := make(chan decoded, 1)
	go func() { done <- decodeAll(body) }()
	select {
	case d := <-done:
		return d, nil
	case <-ctx.Done():
		return decoded{}, ctx.Err()
	}
}

// decodeAll is decodeAndCheck, its results in one value.
func decodeAll(body []byte) (d decoded) {
	d.secret, d.shapeErr, d.err = decodeAndCheck(body)
	return d
}

// decodeAndCheck is decodeSecret, which also checks the body's shape
// where json.Unmarshal does not (see shape.go): shapeErr says how the
// body departs from the spec there, err why it does not decode. The one
// walk over the body serves both.
func decodeAndCheck(body []byte) (secret *Secret, shapeErr, err error) {
	p := new(plainSecret)
	if err := json.Unmarshal(body, p); err != nil {
		return nil, nil, err
	}
	secret = &p.ConvAIWorkspaceStoredSecretConfig
	secret.UsedBy = api.ConvAIStoredSecretDependencies(p.UsedBy)
	var seen uint64 // the secret's properties present, by secretShape's index
	// used_by's properties present, by usedByShape's index, in any used_by
	// (encoding/json merges them all into the one field).
	var usedBySeen uint64
	// The verdict on each list, by its index: of its last occurrence, as
	// encoding/json keeps the last (one used_by's, or another's merged
	// over it, in any case: "tools", "Tools").
	var fixed [8]error
	verdicts := fixed[:min(len(listsInOrder), len(fixed))]
	if len(listsInOrder) > len(fixed) {
		verdicts = make([]error, len(listsInOrder))
	}
	for key, start := nextKey(body, 0); key != nil; key, start = nextKey(body, start) {
		var end int
		if isName(key, "used_by") && start < len(body) && body[start] == '{' {
			// Every used_by, as encoding/json decodes them all into the
			// one field, the later ones over the earlier.
			end = start + readUsedBy(body[start:], &secret.UsedBy, verdicts, &usedBySeen)
		} else {
			end = skipValue(body, start)
		}
		if i := secretShape.index(key); i >= 0 && secretShape.present(i, body[start:end]) {
			seen |= 1 << i
		}
		start = end
	}
	for _, l := range listsInOrder {
		if verdicts[l.index] != nil {
			return secret, verdicts[l.index], nil
		}
	}
	if missing := secretShape.missing(seen); missing != "" {
		return secret, fmt.Errorf("no %s in the response", missing), nil
	}
	if missing := usedByShape.missing(usedBySeen); missing != "" {
		// A flag the spec requires (a *_has_more, say) would read as
		// false.
		return secret, fmt.Errorf("no used_by.%s in the response", missing), nil
	}
	return secret, nil, nil
}

// readUsedBy walks the used_by object usedBy starts with and returns the
// offset after it: it checks each list's items into verdicts (by the
// list's index), marks the properties present (not null) in seen (a list
// given, then null again, stays marked: GetSecret's missingLists reads
// the decoded lists for that), and keeps each field the spec does not
// name in used.AdditionalProperties, decoded.
func readUsedBy(usedBy []byte, used *ConvAIStoredSecretDependencies, verdicts []error, seen *uint64) int {
	key, at := nextKey(usedBy, 0)
	for ; key != nil; key, at = nextKey(usedBy, at) {
		i := usedByShape.index(key) // -1 for a field the spec does not name
		var l *list
		if i >= 0 {
			l = usedByLists[i]
		}
		var end int
		if l != nil {
			end, verdicts[l.index] = l.checkItems(usedBy, at)
		} else {
			end = skipValue(usedBy, at)
		}
		if i >= 0 {
			if usedByShape.present(i, usedBy[at:end]) {
				*seen |= 1 << i
			}
		} else {
			var v any
			if json.Unmarshal(usedBy[at:end], &v) != nil {
				v = json.RawMessage(usedBy[at:end]) // a number beyond float64
			}
			used.Set(fieldName(key), v)
		}
		at = end
	}
	if at < len(usedBy) && usedBy[at] == '}' {
		return at + 1
	}
	return skipValue(usedBy, 0) // json.Unmarshal read it: cannot happen
}

// fieldName returns a field's name as encoding/json reads it from the
// name as written (without its quotes): escapes decoded, invalid UTF-8
// replaced.
func fieldName(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 && utf8.Valid(key) {
		return string(key)
	}
	var name string
	_ = json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &name) // valid: json.Unmarshal read it
	return name
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

// usedByInOrder are the used_by fields the spec names, in field order,
// and requiredLists the lists it requires there, in field order: both
// read from the generated type's fields. A required list is a slice field
// without omitempty, which is how oapi-codegen writes a required property
// (an optional list is a pointer with omitempty).
// TestRequiredUsedByAreTheSpecs holds the two together.
var usedByInOrder, requiredLists = usedByFields()

func usedByFields() (all, required []usedByField) {
	t := reflect.TypeFor[api.ConvAIStoredSecretDependencies]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		all = append(all, usedByField{i, name})
		if f.Type.Kind() == reflect.Slice && !strings.Contains(opts, "omitempty") {
			required = append(required, usedByField{i, name})
		}
	}
	return all, required
}

// usedByField is a field of used_by: its index in the Go struct and its
// JSON name.
type usedByField struct {
	index int
	name  string
}

// nextKey and nextField walk a JSON object's fields. The object must be
// valid JSON, as a successful json.Unmarshal has shown: they only skip
// over values, reading each byte once, and allocate nothing.
// (encoding/json offers no walk over an object's fields that does not
// allocate per token; this runs on every call.)

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
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	return i
}

// isSpace marks JSON's white space.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) int {
	i++
	// Eight bytes at a time while no '"' or '\\' is among them.
	for ; i+8 <= len(data); i += 8 {
		v := binary.LittleEndian.Uint64(data[i:])
		q, e := v^0x2222222222222222, v^0x5c5c5c5c5c5c5c5c
		if ((q-0x0101010101010101)&^q|(e-0x0101010101010101)&^e)&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++ // the escaped character
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// structural marks the bytes skipValue stops at inside an object or
// array.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// skipValue returns the index just past the value starting at data[i].
// (One loop over the bytes, strings skipped inline: for a body of many
// short strings, faster than a call to bytes.IndexByte per string.)
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			c := data[i]
			if !structural[c] {
				continue
			}
			switch c {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	// A number, true, false or null.
	for ; i < len(data); i++ {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}
