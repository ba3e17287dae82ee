package elevenlabs

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/convai-secrets-go/elevenlabs/api"
)

// checkItems, and the required properties of the secret that
// decodeAndCheck looks for, report the first way a 200 body, which
// json.Unmarshal decoded into a Secret, departs from the spec where
// json.Unmarshal does not notice:
//   - a property the spec requires is absent, or null where the spec
//     does not allow null: at the top level
//     (the secret's name, say), in used_by (a flag, should the spec
//     require one) or in a phone number, where encoding/json leaves a
//     zero value that reads as an answer;
//   - a dependent (an item of a union list: tools, agents, mcp_servers)
//     has no type;
//   - a dependent of a kind this package knows lacks a property its kind
//     requires, or has one of the wrong JSON type. The union keeps the
//     item's raw JSON, so encoding/json never looked inside; left alone,
//     the item would reach the caller (through ValueByDiscriminator) as an
//     error only the default case of a type switch sees, or as a value
//     with zero fields: an agent with an empty ID.
//
// A dependent of a kind newer than this package (a type it does not know)
// passes: it keeps its raw JSON and its type, as forward compatibility
// asks. So do properties the spec does not name, and enum values it does
// not list.
//
// What they check is read from the generated types, once (a required
// property is a field without omitempty, as oapi-codegen writes one; the
// kinds of a union are its From* methods), so it follows openapi.yaml
// through go generate. They allocate nothing for a well-formed body, and
// read each item's properties once, in decodeAndCheck's walk over the
// body (checking each dependent with the generated ValueByDiscriminator
// instead would cost some 20 allocations a dependent).

// checkItems checks the items of the list that starts at data[at] and
// returns the offset after it, also with an error.
func (l *list) checkItems(data []byte, at int) (end int, err error) {
	i := at
	for n := 0; ; n++ {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '[' && data[i] != ',' {
			break
		}
		item := skipSpace(data, i+1)
		if item >= len(data) || data[item] == ']' {
			i = item
			break
		}
		if i, err = l.checkItem(data, item); err != nil {
			return skipValue(data, at), fmt.Errorf("used_by.%s[%d]: %w", l.name, n, err)
		}
	}
	if i < len(data) && data[i] == ']' {
		return i + 1, nil
	}
	return skipValue(data, at), nil // not a list: json.Unmarshal said so
}

// pair is a property of an object: its name as written, and its value.
type pair struct{ key, value []byte }

// checkItem checks the item that starts at data[at] and returns the
// offset after it. It reads the item's properties once: an item of one
// shape (a phone number), or of a union whose first property is its kind
// (as the API writes them), is checked as the properties come; any other
// union item goes to checkUnionItem.
func (l *list) checkItem(data []byte, at int) (end int, err error) {
	if data[at] != '{' {
		return 0, errors.New("not an object")
	}
	if l.kinds == nil {
		return l.shape.checkObject(data, at)
	}
	key, value, next := nextField(data, at)
	if string(key) != discriminatorProperty || len(value) < 3 || value[0] != '"' || bytes.IndexByte(value, '\\') >= 0 {
		return l.checkUnionItem(data, at)
	}
	name := value[1 : len(value)-1]
	s := l.kind(name) // nil for a kind newer than this package
	var seen uint64
	if s != nil {
		err = s.checkPair(key, value, &seen) // the kind is a property of the variant too
	}
	for key, value, next = nextField(data, next); key != nil; key, value, next = nextField(data, next) {
		if isName(key, discriminatorProperty) {
			// The kind again (encoding/json reads the last): read anew.
			return l.checkUnionItem(data, at)
		}
		if s != nil && err == nil {
			err = s.checkPair(key, value, &seen)
		}
	}
	if next >= len(data) || data[next] != '}' {
		return skipValue(data, at), nil // json.Unmarshal said it is valid
	}
	if s == nil {
		return next + 1, nil
	}
	if err == nil {
		err = s.missingErr(seen)
	}
	if err != nil {
		return 0, fmt.Errorf("%s %q: %w", discriminatorProperty, name, err)
	}
	return next + 1, nil
}

// checkObject checks the object that starts at data[at] against s and
// returns the offset after it.
func (s *shape) checkObject(data []byte, at int) (end int, err error) {
	var seen uint64
	key, value, next := nextField(data, at)
	for ; key != nil; key, value, next = nextField(data, next) {
		if err == nil {
			err = s.checkPair(key, value, &seen)
		}
	}
	if next >= len(data) || data[next] != '}' {
		return skipValue(data, at), nil // json.Unmarshal said it is valid
	}
	if err == nil {
		err = s.missingErr(seen)
	}
	return next + 1, err
}

// checkUnionItem is checkItem for any union item: it keeps the item's
// properties (on the stack, for up to 8: the spec's items have up to 6)
// to check once its kind, the last, is known.
func (l *list) checkUnionItem(data []byte, at int) (end int, err error) {
	var kept [8]pair
	pairs, kind, kindNotString := kept[:0], []byte(nil), false
	key, value, next := nextField(data, at)
	for ; key != nil; key, value, next = nextField(data, next) {
		if !isNull(value) && isName(key, discriminatorProperty) {
			kind = value // the last, as encoding/json reads duplicates
			// Any one not a string makes the generated Discriminator
			// fail, whatever comes after it.
			kindNotString = kindNotString || value[0] != '"'
		}
		pairs = append(pairs, pair{key, value})
	}
	if next >= len(data) || data[next] != '}' {
		return skipValue(data, at), nil // json.Unmarshal said it is valid
	}
	end = next + 1
	switch {
	case kind == nil:
		return 0, fmt.Errorf("no %s", discriminatorProperty)
	case kindNotString:
		return 0, fmt.Errorf("%q is not a string", discriminatorProperty)
	}
	name := kind[1 : len(kind)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var decoded string
		_ = json.Unmarshal(kind, &decoded) // valid: json.Unmarshal read it
		name = []byte(decoded)
	}
	if len(name) == 0 {
		return 0, fmt.Errorf("no %s", discriminatorProperty)
	}
	s := l.kind(name)
	if s == nil {
		return end, nil // a kind newer than this package
	}
	if err := s.checkPairs(pairs); err != nil {
		return 0, fmt.Errorf("%s %q: %w", discriminatorProperty, name, err)
	}
	return end, nil
}

// isNull reports whether the JSON value v is null.
func isNull(v []byte) bool { return string(v) == "null" }

// isName reports whether key, a property's name as written, reads as
// name to encoding/json: as written, or else in any case, escapes
// decoded. The common case, an exact match or a name in lower-case ASCII
// alone, costs a comparison.
func isName(key []byte, name string) bool {
	return string(key) == name || mayFold(key, name) && !plainName(key) && nameIs(key, name)
}

// mayFold is a quick test that key, a name as written, might read as
// name in another case: its first byte reads as name's first, in some
// case, or starts an escape or a character beyond ASCII (which may fold
// to an ASCII letter: U+212A, the Kelvin sign, to k), and it is no
// shorter. Most names that differ fail it at once.
func mayFold(key []byte, name string) bool {
	if len(key) < len(name) || len(key) == 0 {
		return false
	}
	c, n := key[0], name[0]
	return c == n || c|0x20 == n && 'a' <= n && n <= 'z' || c == '\\' || c >= 0x80
}

// plainName reports whether key holds only lower-case ASCII letters,
// digits and '_': a name that matches another in any case only if it
// matches exactly (names here are such names too).
func plainName(key []byte) bool {
	for _, c := range key {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// discriminatorProperty names a dependent's kind, as the spec's
// discriminators say. TestDependentKindsAreTheGenerated holds it to the
// generated code.
const discriminatorProperty = "type"

// dependent is what the generated union types of the used_by lists have.
type dependent interface {
	Discriminator() (string, error)
	ValueByDiscriminator() (any, error)
	MarshalJSON() ([]byte, error)
}

// kindShape is a kind of a union (its discriminator value) and its shape.
type kindShape struct {
	kind  string
	shape *shape
}

// kind returns the shape of the union kind named name, or nil for a kind
// this package does not know. (A search, not a map: unions have a few
// kinds, and comparing their lengths first touches less memory.)
func (l *list) kind(name []byte) *shape {
	for i := range l.kinds {
		if string(name) == l.kinds[i].kind {
			return l.kinds[i].shape
		}
	}
	return nil
}

// list is a used_by list whose items are objects: of a union type
// (kinds, by discriminator value) or of one plain shape.
type list struct {
	index int // in listsInOrder
	name  string
	kinds []kindShape // for a union
	shape *shape      // for plain objects
}

var (
	secretShape = shapeOf(reflect.TypeFor[api.ConvAIWorkspaceStoredSecretConfig]())
	// usedByShape is used_by's: decodeAndCheck reads its required
	// properties from it (the lists' items are checkItems' job).
	usedByShape = shapeOf(reflect.TypeFor[api.ConvAIStoredSecretDependencies]())
	// usedByLists holds, for each used_by field of the spec (by its index
	// in usedByShape), its list, or nil for a field that is none (a flag);
	// listsInOrder holds the lists in used_by's field order.
	usedByLists  []*list
	listsInOrder []*list
)

func init() {
	t := reflect.TypeFor[api.ConvAIStoredSecretDependencies]()
	usedByLists = make([]*list, len(usedByShape.fields))
	for _, f := range usedByInOrder {
		elem := t.Field(f.index).Type
		if elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
		if elem.Kind() != reflect.Slice {
			continue
		}
		l := &list{index: len(listsInOrder), name: f.name}
		switch elem = elem.Elem(); {
		case reflect.PointerTo(elem).Implements(reflect.TypeFor[dependent]()):
			l.kinds = unionKinds(elem)
		case elem.Kind() == reflect.Struct:
			l.shape = shapeOf(elem)
		default:
			continue
		}
		usedByLists[usedByShape.index([]byte(f.name))] = l
		listsInOrder = append(listsInOrder, l)
	}
}

// unionKinds returns the shape of each kind of the generated union type
// u, by discriminator value. Each kind has a From<Kind> method, which
// sets the discriminator as the overlay's mapping says: the value is read
// back from a union made so.
func unionKinds(u reflect.Type) []kindShape {
	var kinds []kindShape
	p := reflect.PointerTo(u)
	for i := range p.NumMethod() {
		m := p.Method(i)
		if !strings.HasPrefix(m.Name, "From") || m.Type.NumIn() != 2 || m.Type.NumOut() != 1 {
			continue
		}
		variant := m.Type.In(1)
		union := reflect.New(u)
		if err, _ := union.Method(i).Call([]reflect.Value{reflect.Zero(variant)})[0].Interface().(error); err != nil {
			panic("elevenlabs: " + m.Name + ": " + err.Error())
		}
		kind, err := union.Interface().(dependent).Discriminator()
		if err != nil || kind == "" {
			panic("elevenlabs: " + m.Name + " sets no discriminator value: is the overlay's mapping missing?")
		}
		kinds = append(kinds, kindShape{kind, shapeOf(variant)})
	}
	return kinds
}

// shape is what the spec asks of a JSON object: its properties, as a
// generated struct type has them as fields.
type shape struct {
	fields []field
	// byFirst is the index of the one field whose name starts with a
	// byte, -1 for none, -2 for several: index's first guess.
	byFirst [256]int8
}

type field struct {
	name     string
	required bool // a field without omitempty
	// nullable: required, and null is a value (oapi-codegen writes a
	// required property that may be null as a pointer without
	// omitempty), so null counts as present.
	nullable bool
	kind     string            // what valid checks, for the error: "a string"
	valid    func([]byte) bool // for a value other than null
}

func shapeOf(t reflect.Type) *shape {
	s := &shape{}
	for i := range s.byFirst {
		s.byFirst[i] = -1
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		kind, valid := valueCheck(f.Type)
		required := !strings.Contains(opts, "omitempty")
		s.fields = append(s.fields, field{name, required, required && f.Type.Kind() == reflect.Pointer, kind, valid})
	}
	if len(s.fields) > 64 {
		panic("elevenlabs: more than 64 properties in " + t.String())
	}
	for i, f := range s.fields {
		if c := f.name[0]; s.byFirst[c] == -1 {
			s.byFirst[c] = int8(i)
		} else {
			s.byFirst[c] = -2
		}
	}
	return s
}

// checkPairs reports the first property of the wrong JSON type among an
// object's properties, or else the first required one it lacks (or has
// only as null), or returns nil.
func (s *shape) checkPairs(pairs []pair) error {
	var seen uint64
	for _, p := range pairs {
		if err := s.checkPair(p.key, p.value, &seen); err != nil {
			return err
		}
	}
	return s.missingErr(seen)
}

// checkPair checks one property and marks it seen.
func (s *shape) checkPair(key, value []byte, seen *uint64) error {
	i := s.index(key)
	if i < 0 || !s.present(i, value) {
		return nil
	}
	*seen |= 1 << i
	if isNull(value) {
		return nil
	}
	if f := &s.fields[i]; !f.valid(value) {
		return fmt.Errorf("%q is not %s", f.name, f.kind)
	}
	return nil
}

func (s *shape) missingErr(seen uint64) error {
	if missing := s.missing(seen); missing != "" {
		return fmt.Errorf("no %s", missing)
	}
	return nil
}

// index returns the index of the field the property key names, as
// encoding/json matches names to fields (exactly, or else in any case),
// or -1.
func (s *shape) index(key []byte) int {
	if len(key) > 0 {
		if i := s.byFirst[key[0]]; i >= 0 && string(key) == s.fields[i].name {
			return int(i)
		}
	}
	for i := range s.fields {
		if string(key) == s.fields[i].name {
			return i
		}
	}
	if plainName(key) {
		return -1
	}
	for i := range s.fields {
		if nameIs(key, s.fields[i].name) {
			return i
		}
	}
	return -1
}

// present reports whether value gives field i a value: anything but
// null, or null for a nullable field.
func (s *shape) present(i int, value []byte) bool {
	return !isNull(value) || s.fields[i].nullable
}

// missing names the first required field whose bit is not in seen, or
// returns "".
func (s *shape) missing(seen uint64) string {
	for i, f := range s.fields {
		if f.required && seen&(1<<i) == 0 {
			return f.name
		}
	}
	return ""
}

// valueCheck returns what a JSON value must be to decode into a value of
// type t, and a check of it, without allocating for the kinds generated
// types use; other types are decoded (which may allocate).
func valueCheck(t reflect.Type) (string, func([]byte) bool) {
	if t.Implements(reflect.TypeFor[json.Unmarshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return "a " + t.String(), func(v []byte) bool { return json.Unmarshal(v, reflect.New(t).Interface()) == nil }
	}
	switch t.Kind() {
	case reflect.Pointer:
		kind, elem := valueCheck(t.Elem())
		return kind, func(v []byte) bool { return string(v) == "null" || elem(v) }
	case reflect.String:
		return "a string", func(v []byte) bool { return v[0] == '"' }
	case reflect.Bool:
		return "true or false", func(v []byte) bool { return v[0] == 't' || v[0] == 'f' }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return "an integer", func(v []byte) bool { return isInteger(v, bits) }
	case reflect.Float32, reflect.Float64:
		return "a number", func(v []byte) bool { return v[0] == '-' || '0' <= v[0] && v[0] <= '9' }
	case reflect.Slice:
		kind, elem := valueCheck(t.Elem())
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(kind, "a "), "an ") + "s", func(v []byte) bool {
			if v[0] != '[' {
				return false
			}
			for item, at := nextItem(v, 0); item != nil; item, at = nextItem(v, at) {
				if string(item) != "null" && !elem(item) {
					return false
				}
			}
			return true
		}
	}
	return "a " + t.String(), func(v []byte) bool { return json.Unmarshal(v, reflect.New(t).Interface()) == nil }
}

// isInteger reports whether the JSON number v decodes into an integer of
// the given bits, as encoding/json decodes one: no fraction, no exponent,
// in range.
func isInteger(v []byte, bits int) bool {
	digits := v
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	if len(digits) < 10 && bits >= 32 || len(digits) < 19 && bits >= 64 { // no allocation
		return true
	}
	_, err := strconv.ParseInt(string(v), 10, bits)
	return err == nil
}

// nameIs reports whether key, a field's name as written (without its
// quotes), reads as name to encoding/json: in any case, escapes decoded.
func nameIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') < 0 { // the common case: no allocation
		return bytes.EqualFold(key, []byte(name))
	}
	return strings.EqualFold(fieldName(key), name)
}

// nextItem returns the item of the JSON array data at or after offset i
// (0 for the first) and the offset after it; the item is nil past the
// last one, or if data is not an array.
func nextItem(data []byte, i int) (item []byte, next int) {
	i = skipSpace(data, i)
	if i >= len(data) || (data[i] != '[' && data[i] != ',') {
		return nil, i // ']', or not an array
	}
	start := skipSpace(data, i+1)
	if start >= len(data) || data[start] == ']' {
		return nil, start
	}
	end := skipValue(data, start)
	return data[start:end], end
}
