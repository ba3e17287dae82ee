package elevenlabs

import (
	"reflect"
	"strings"
)

// InUse reports whether the API reported anything that uses the secret:
// a dependent in any used_by list, a true *_has_more flag (dependents
// beyond the lists), or, in a used_by field newer than this package (kept
// in AdditionalProperties), a non-empty list or a true value. It errs on
// the side of "in use": a field this package cannot read counts if it is
// not empty. A secret is safe to delete only if InUse is false.
//
// It reads the fields the generated type has, so a list or flag that a
// later spec adds to used_by counts as soon as the code is regenerated.
func InUse(used ConvAIStoredSecretDependencies) bool {
	return walkUsedBy(used, func(_ string, in bool) bool { return in })
}

// HasMore reports whether the API cut any used_by list short: a
// *_has_more flag, of this spec or newer than it, is true. The lists then
// show a preview of the dependents, not all of them.
func HasMore(used ConvAIStoredSecretDependencies) bool {
	return walkUsedBy(used, func(field string, in bool) bool {
		return in && strings.HasSuffix(field, "_has_more")
	})
}

// ListHasMore reports whether the API cut the used_by list named list
// ("tools", "agents"... or a list newer than this package) short: its
// *_has_more flag, of this spec or newer than it, is true. A list without
// such a flag is never cut.
func ListHasMore(used ConvAIStoredSecretDependencies, list string) bool {
	flag := list + "_has_more"
	v := reflect.ValueOf(used)
	for _, f := range usedByInOrder {
		if f.name == flag {
			return reports(v.Field(f.index))
		}
	}
	more, _ := used.AdditionalProperties[flag].(bool)
	return more
}

// walkUsedBy calls found with the JSON name of each field of used, and
// whether that field reports a use (a non-empty list, a true flag), until
// found returns true; it reports whether it did. A field whose value is
// neither a list nor a flag (only a newer one can be) reports a use
// unless it is null, an empty object, an empty string or zero.
func walkUsedBy(used ConvAIStoredSecretDependencies, found func(field string, in bool) bool) bool {
	v := reflect.ValueOf(used)
	for _, f := range usedByInOrder {
		if found(f.name, reports(v.Field(f.index))) {
			return true
		}
	}
	for name, value := range used.AdditionalProperties {
		if found(name, reportsJSON(value)) {
			return true
		}
	}
	return false
}

// reports says whether a generated used_by field reports a use.
func reports(f reflect.Value) bool {
	for f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return false
		}
		f = f.Elem()
	}
	switch f.Kind() {
	case reflect.Slice, reflect.Map, reflect.String:
		return f.Len() > 0
	case reflect.Bool:
		return f.Bool()
	default:
		return !f.IsZero()
	}
}

// reportsJSON says whether a used_by field newer than this package,
// decoded by encoding/json, reports a use.
func reportsJSON(value any) bool {
	switch v := value.(type) {
	case nil:
		return false
	case bool:
		return v
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	case string:
		return v != ""
	case float64:
		return v != 0
	default: // a json.Number, or a value set by hand
		return !reflect.ValueOf(v).IsZero()
	}
}
