package elevenlabs

import (
	"bytes"
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
	// ID is the item's "id", or else the property named after its list
	// (a phone number's "phone_number_id"; a "workflows" item's
	// "workflow_id", a "policies" item's "policy_id"); "" for an item
	// with neither (an entry of others). Another property ending in
	// "_id" is not taken for the ID: a workflow's "owner_agent_id" names
	// the agent that owns it, not the workflow.
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
	// [DependentPhoneNumberIdentifier], a [SecretDependencyType] (which
	// may hold a value newer than this package: see its Valid method);
	// nil for a kind of item newer than this package, which Raw holds.
	Value any
	// Raw is the item's JSON: as decoded and encoded again, so a number
	// may read differently (12345678901234567891 as
	// 12345678901234567000 in a list newer than this package, which
	// GetSecret decodes as encoding/json does, to float64).
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
			raw, _ := marshal(item) // nil if it does not encode
			out = append(out, dependentOf(f.name, value, raw))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(used.AdditionalProperties)) {
		for _, raw := range newerList(used.AdditionalProperties[name]) {
			out = append(out, dependentOf(name, nil, raw))
		}
	}
	return out
}

// newerList returns the items of a used_by field newer than this package,
// as JSON, or none if it is not a list. GetSecret keeps such a field
// decoded (numbers as float64), or, if a number in it is beyond float64,
// as its JSON; a caller may have set any value that encodes as a list.
func newerList(v any) []json.RawMessage {
	raw, ok := v.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = marshal(v); err != nil {
			return nil
		}
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	return items
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

// marshal is json.Marshal without HTML's escapes (\u003c for '<'...):
// Raw reads as the API wrote it.
func marshal(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// dependentOf reads the type, ID and name of the item in list from its
// JSON, raw.
func dependentOf(list string, value any, raw json.RawMessage) Dependent {
	d := Dependent{List: list, Value: value, Raw: raw}
	var plain string
	if json.Unmarshal(raw, &plain) == nil {
		d.Type = plain
		return d
	}
	// Each property as JSON: a number beyond float64 in one of them
	// spoils no other.
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return d
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if v, ok := obj[k]; ok && json.Unmarshal(v, &s) == nil {
				return s
			}
		}
		return ""
	}
	d.Type = str(discriminatorProperty)
	d.ID = itemID(list, obj, str)
	d.Name = str("name", "label")
	d.Hidden = d.Type == "unknown"
	return d
}

// itemID reads the ID of an item of list, whose properties are obj (str
// reads one as text): its "id", or else the property named after the
// list (phone_numbers: phone_number_id); "" if it has neither.
func itemID(list string, obj map[string]json.RawMessage, str func(keys ...string) string) string {
	if _, ok := obj["id"]; ok {
		return str("id")
	}
	for _, one := range singulars(list) {
		if own := one + "_id"; obj[own] != nil {
			return str(own)
		}
	}
	return ""
}

// singulars returns what the used_by list name list may be the plural
// of, in English's regular ways: policies as policy, batches as batch,
// tools as tool.
func singulars(list string) []string {
	var out []string
	if stem, ok := strings.CutSuffix(list, "ies"); ok {
		out = append(out, stem+"y")
	}
	if stem, ok := strings.CutSuffix(list, "es"); ok {
		out = append(out, stem)
	}
	if stem, ok := strings.CutSuffix(list, "s"); ok {
		out = append(out, stem)
	}
	return out
}
