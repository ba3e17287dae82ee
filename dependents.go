package elevenlabs

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Dependent is one thing that uses a secret, of whatever kind, as
// [Dependents] lists it.
type Dependent struct {
	// List is the used_by list the dependent is in: "tools", "agents",
	// "phone_numbers", "mcp_servers", "others", or a list newer than
	// this package.
	List string
	// Type is the item's "type": "available", "unknown" (see Hidden) or
	// one newer than this package; for an item that is a plain value (an
	// entry of others, such as "conversation_initiation_webhook"), that
	// value; "" for an item without one (a phone number).
	Type string
	// ID is the item's "id" (a phone number's "phone_number_id"), or ""
	// for an item without one (an entry of others).
	ID string
	// Name is the item's "name" (a phone number's "label"), or "" for
	// one without (a hidden one).
	Name string
	// Hidden reports that the dependent exists but the API key may not
	// see it (the spec's "unknown" variant): the API gives its ID, not
	// its name.
	Hidden bool
	// Value is the item as this package decodes it: the union's variant
	// (a [DependentAvailableToolIdentifier], a
	// [DependentUnknownAgentIdentifier]...; values, not pointers), a
	// [DependentPhoneNumberIdentifier], a [SecretDependencyType]; nil for
	// a kind newer than this package, which Raw holds.
	Value any
	// Raw is the item's JSON.
	Raw json.RawMessage
}

// Dependents lists everything used_by names, flat: tools, agents, phone
// numbers, MCP servers and others (in the spec's order), then any other
// list the generated type has, then lists newer than this package (kept
// in AdditionalProperties) by name; within a list, in the API's order. Items of kinds newer than this package
// are listed too, by their type and ID. A list the API cut short says so
// in its *_has_more flag: see [HasMore].
//
// It reads the lists the generated type has, so a list a later spec adds
// to used_by is listed as soon as the code is regenerated.
func Dependents(used ConvAIStoredSecretDependencies) []Dependent {
	var out []Dependent
	v := reflect.ValueOf(used)
	for _, f := range listsToShow {
		list := v.Field(f.index)
		if list.Kind() == reflect.Pointer {
			if list.IsNil() {
				continue
			}
			list = list.Elem()
		}
		if list.Kind() != reflect.Slice {
			continue // a flag
		}
		for i := range list.Len() {
			item := list.Index(i).Interface()
			value := item
			if u, ok := item.(interface{ ValueByDiscriminator() (any, error) }); ok {
				value, _ = u.ValueByDiscriminator() // nil for a newer kind
			}
			raw, err := json.Marshal(item)
			if err != nil {
				raw = nil
			}
			out = append(out, dependentOf(f.name, value, raw))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(used.AdditionalProperties)) {
		items, ok := used.AdditionalProperties[name].([]any)
		if !ok {
			continue
		}
		for _, item := range items {
			raw, err := json.Marshal(item)
			if err != nil {
				raw = nil
			}
			out = append(out, dependentOf(name, nil, raw))
		}
	}
	return out
}

// listsToShow is usedByInOrder (the generated fields, sorted by name)
// in the order the spec lists them, for the lists it had when this was
// written; others after, in field order.
var listsToShow = func() []usedByField {
	order := []string{"tools", "agents", "phone_numbers", "mcp_servers", "others"}
	rank := func(f usedByField) int {
		if i := slices.Index(order, f.name); i >= 0 {
			return i
		}
		return len(order)
	}
	fields := slices.Clone(usedByInOrder)
	slices.SortStableFunc(fields, func(a, b usedByField) int { return rank(a) - rank(b) })
	return fields
}()

// dependentOf reads the type, ID and name of the item in list from its
// JSON, raw.
func dependentOf(list string, value any, raw json.RawMessage) Dependent {
	d := Dependent{List: list, Value: value, Raw: raw}
	var plain string
	if json.Unmarshal(raw, &plain) == nil {
		d.Type = plain
		return d
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) != nil {
		return d
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if s, ok := obj[k].(string); ok {
				return s
			}
		}
		return ""
	}
	d.Type = str(discriminatorProperty)
	d.ID = str("id", strings.TrimSuffix(list, "s")+"_id")
	d.Name = str("name", "label")
	d.Hidden = d.Type == "unknown"
	return d
}
