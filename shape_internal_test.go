package elevenlabs

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestDependentKindsAreTheGenerated: the kinds checkShape knows for each
// union list are the ones the generated code decodes: an item of each
// kind's discriminator value, read as checkShape reads it (the
// discriminatorProperty), is the same kind to the generated
// Discriminator, and ValueByDiscriminator returns the variant whose
// shape checkShape holds it to; and every variant of the union (an As*
// method) has its kind.
func TestDependentKindsAreTheGenerated(t *testing.T) {
	deps := reflect.TypeFor[ConvAIStoredSecretDependencies]()
	unions := 0
	for _, f := range usedByInOrder {
		elem := deps.Field(f.index).Type
		for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice {
			elem = elem.Elem()
		}
		l := usedByLists[usedByShape.index([]byte(f.name))]
		if elem.Kind() == reflect.Struct && l == nil {
			t.Errorf("used_by.%s is a list of objects that checkShape does not check", f.name)
		}
		if l == nil || l.kinds == nil {
			continue
		}
		unions++
		var variants []string
		for i := range elem.NumMethod() {
			if m := elem.Method(i); strings.HasPrefix(m.Name, "As") {
				variants = append(variants, m.Type.Out(0).String())
			}
		}
		var covered []string
		for _, k := range l.kinds {
			kind, s := k.kind, k.shape
			item, _ := json.Marshal(map[string]string{discriminatorProperty: kind})
			union := reflect.New(elem)
			if err := union.Interface().(json.Unmarshaler).UnmarshalJSON(item); err != nil {
				t.Fatal(err)
			}
			d := union.Interface().(dependent)
			if got, err := d.Discriminator(); err != nil || got != kind {
				t.Errorf("%s: the generated Discriminator of %s = %q, %v; checkShape reads %q", l.name, item, got, err, kind)
			}
			v, _ := d.ValueByDiscriminator() // an error for the missing properties is fine
			if v == nil {
				t.Errorf("%s: ValueByDiscriminator of %s returns no variant", l.name, item)
				continue
			}
			if want := shapeOf(reflect.TypeOf(v)); !reflect.DeepEqual(fieldNames(s), fieldNames(want)) {
				t.Errorf("%s: kind %q is checked as %v, but decodes as %T %v", l.name, kind, fieldNames(s), v, fieldNames(want))
			}
			covered = append(covered, reflect.TypeOf(v).String())
		}
		slices.Sort(variants)
		slices.Sort(covered)
		if !slices.Equal(variants, covered) {
			t.Errorf("%s: the union's variants are %v, checkShape knows kinds for %v", l.name, variants, covered)
		}
	}
	if unions == 0 {
		t.Fatal("no union lists found in used_by")
	}
}

func fieldNames(s *shape) []string {
	var names []string
	for _, f := range s.fields {
		names = append(names, f.name)
	}
	return names
}

// TestIsNameAgreesWithEncodingJSON: isName's quick test (mayFold) turns
// away no name that encoding/json reads as the field's: for each key, as
// written in JSON, isName agrees with decoding an object holding it into
// a struct with that one field.
func TestIsNameAgreesWithEncodingJSON(t *testing.T) {
	keys := []string{
		"type", "TYPE", "Type", `\u0074ype`, `\u0054YPE`, "typ", "types", "xtype", "tYpE",
		"secret_id", "SECRET_ID", "\u017fecret_id", `\u017fecret_id`, "ſECRET_ID",
		"key", "\u212aey", "KEY", "\u212a", "ke", "", "_", "__", "access_level", "ACCESS_LEVEL", "acce\u017f\u017f_level",
	}
	for _, name := range []string{"type", "secret_id", "key", "access_level", "_"} {
		field := reflect.StructOf([]reflect.StructField{{Name: "F", Type: reflect.TypeFor[*string](), Tag: reflect.StructTag(`json:"` + name + `"`)}})
		for _, key := range keys {
			v := reflect.New(field)
			if err := json.Unmarshal([]byte(`{"`+key+`":"x"}`), v.Interface()); err != nil {
				t.Fatalf("%q: %v", key, err)
			}
			want := !v.Elem().Field(0).IsNil()
			if got := isName([]byte(key), name); got != want {
				t.Errorf("isName(%q, %q) = %v; encoding/json reads it as %q: %v", key, name, got, name, want)
			}
		}
	}
}

// TestNullableRequiredProperty: a required property the spec lets be null
// (which oapi-codegen writes as a pointer without omitempty) is present
// when null, where a required one that may not be null is missing then;
// an optional one may be absent or null.
func TestNullableRequiredProperty(t *testing.T) {
	type probe struct {
		ID   string  `json:"id"`
		Name *string `json:"name"`
		Note *string `json:"note,omitempty"`
	}
	s := shapeOf(reflect.TypeFor[probe]())
	for body, want := range map[string]string{
		`{"id": "a", "name": null}`:               "",
		`{"id": "a", "name": "n", "note": null}`:  "",
		`{"id": "a", "name": "n"}`:                "",
		`{"id": "a"}`:                             "no name",
		`{"id": null, "name": "n"}`:               "no id",
		`{"id": "a", "name": 1}`:                  `"name" is not a string`,
		`{"id": "a", "name": null, "note": true}`: `"note" is not a string`,
	} {
		var pairs []pair
		data := []byte(body)
		for key, at := nextKey(data, 0); key != nil; key, at = nextKey(data, at) {
			end := skipValue(data, at)
			pairs = append(pairs, pair{key, data[at:end]})
			at = end
		}
		got := ""
		if err := s.checkPairs(pairs); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: %q, want %q", body, got, want)
		}
	}
}

// TestValueCheckByKind: what a property of each Go kind the generated
// types use must be in JSON (null is a pointer's, checked apart).
func TestValueCheckByKind(t *testing.T) {
	for _, tc := range []struct {
		typ      reflect.Type
		ok, fail []string
	}{
		{reflect.TypeFor[bool](), []string{"true", "false"}, []string{`"true"`, "1", "null", "[]"}},
		{reflect.TypeFor[string](), []string{`""`, `"x"`}, []string{"1", "true", "null", "{}"}},
		{reflect.TypeFor[int](), []string{"0", "-12"}, []string{"1.5", "1e3", `"1"`, "true", "null"}}, // as encoding/json reads an int
		{reflect.TypeFor[*bool](), []string{"true", "null"}, []string{`"x"`}},
		{reflect.TypeFor[[]string](), []string{"[]", `["a", null]`}, []string{`[1]`, `"a"`}},
	} {
		_, valid := valueCheck(tc.typ)
		for _, v := range tc.ok {
			if !valid([]byte(v)) {
				t.Errorf("%v: %s refused", tc.typ, v)
			}
		}
		for _, v := range tc.fail {
			if valid([]byte(v)) {
				t.Errorf("%v: %s accepted", tc.typ, v)
			}
		}
	}
}
