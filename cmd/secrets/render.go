package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// row is one dependent in the table.
type row struct {
	kind, id, name, details string
}

// render prints secret as a table: a header with its name and ID, then a
// row per dependent, those of kinds newer than this program included.
// hide, if not nil, hides the API key in each cell (a server may echo it)
// before the columns are laid out.
func render(w io.Writer, secret *elevenlabs.Secret, hide func(string) string) error {
	if hide == nil {
		hide = func(s string) string { return s }
	}
	var head table
	head.add("Name:", hide(clean(secret.Name)))
	head.add("ID:", hide(clean(secret.SecretID)))
	switch {
	case !secret.Type.Valid():
		head.add("Type:", hide(clean(string(secret.Type)))+" (newer than this program)")
	case secret.Type != elevenlabs.ConvAIWorkspaceStoredSecretConfigTypeStored:
		head.add("Type:", string(secret.Type))
	}
	if err := head.write(w); err != nil {
		return err
	}
	rows := dependents(secret.UsedBy)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "\nNot used by anything.")
		return err
	}
	fmt.Fprintln(w)
	body := table{rows: [][]string{{"USED BY", "ID", "NAME", "DETAILS"}}}
	for _, r := range rows {
		// A long name would widen every row: the header above, and
		// --json, show names whole. IDs are never cut.
		cells := []string{hide(r.kind), hide(orDash(clean(r.id))), fit(hide(orDash(clean(r.name))), maxNameWidth)}
		if r.details != "" { // no trailing cell: no trailing spaces
			cells = append(cells, hide(r.details))
		}
		body.add(cells...)
	}
	return body.write(w)
}

// maxNameWidth is the most columns a dependent's name takes in the table.
const maxNameWidth = 40

// knownLists are the used_by lists of the spec this program was built
// from, in its order, and the kind of dependent each holds.
var knownLists = []struct{ field, kind string }{
	{"tools", "tool"}, {"agents", "agent"}, {"phone_numbers", "phone number"},
	{"mcp_servers", "MCP server"}, {"others", "other"},
}

// dependents lists what uses a secret, as elevenlabs.Dependents reads it:
// the spec's lists in its order (tools, agents, phone numbers, MCP
// servers, others), then any list a later spec added, then the used_by
// fields newer than this program by name; "and more" after each list the
// API cut short.
func dependents(u elevenlabs.ConvAIStoredSecretDependencies) []row {
	byList := map[string][]elevenlabs.Dependent{}
	for _, d := range elevenlabs.Dependents(u) {
		byList[d.List] = append(byList[d.List], d)
	}
	var rows []row
	listRows := func(field, kind string) {
		for _, d := range byList[field] {
			rows = append(rows, dependentRow(kind, d))
		}
		rows = andMore(rows, elevenlabs.ListHasMore(u, field), kind)
	}
	for _, l := range knownLists {
		listRows(l.field, l.kind)
	}
	for _, field := range generatedLists {
		if _, known := kinds[field]; !known { // a list of a later spec's
			listRows(field, kindOf(field))
		}
	}
	for _, field := range slices.Sorted(maps.Keys(u.AdditionalProperties)) {
		value := u.AdditionalProperties[field]
		if list, ok := strings.CutSuffix(field, "_has_more"); ok {
			if _, isFlag := value.(bool); isFlag {
				// Shown with its list above, or on its own: a flag without
				// its list.
				if !slices.Contains(generatedLists, list) && !isList(u.AdditionalProperties[list]) {
					rows = andMore(rows, elevenlabs.ListHasMore(u, list), kindOf(list))
				}
				continue
			}
		}
		switch {
		case value == nil:
		case isList(value):
			listRows(field, kindOf(field))
		default:
			rows = append(rows, row{kindOf(field), "", "", "newer than this program: " + excerpt(value)})
		}
	}
	return rows
}

// generatedLists are the used_by lists of the generated type, in field
// order (by name, as in Dependents): those of a later spec once api/ is
// regenerated are shown after the knownLists, an empty one too if the API
// says it goes on.
var generatedLists = func() []string {
	var lists []string
	for _, f := range usedByFields {
		if f.list {
			lists = append(lists, f.name)
		}
	}
	return lists
}()

// usedByField is a field of the generated used_by type: its JSON name,
// and whether it is a list (or else a flag).
type usedByField struct {
	name string
	list bool
}

// usedByFields are the fields of the generated used_by type, in field
// order, AdditionalProperties aside.
var usedByFields = func() []usedByField {
	var fields []usedByField
	for f := range reflect.TypeFor[elevenlabs.ConvAIStoredSecretDependencies]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		t := f.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		fields = append(fields, usedByField{name, t.Kind() == reflect.Slice})
	}
	return fields
}()

// isList reports whether a used_by value newer than this program is a
// list (GetSecret keeps one with a number beyond float64 as its JSON).
func isList(value any) bool {
	switch v := value.(type) {
	case []any:
		return true
	case json.RawMessage:
		return len(v) > 0 && v[0] == '['
	}
	return false
}

// kinds names the kinds of dependents by their used_by list.
var kinds = func() map[string]string {
	m := map[string]string{}
	for _, l := range knownLists {
		m[l.field] = l.kind
	}
	return m
}()

// kindOf names the kind of dependent in the used_by list field.
func kindOf(field string) string {
	if kind, ok := kinds[field]; ok {
		return kind
	}
	if field == "" { // a field named "" would leave the cell blank
		return `""`
	}
	return clean(field)
}

// excerpt shows a JSON value in one table cell, cut to a readable length.
func excerpt(value any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(value) != nil {
		return "(not JSON)"
	}
	s := strings.TrimSuffix(buf.String(), "\n")
	if len(s) > 64 {
		cut := 64
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return clean(s)
}

// andMore adds an "and more" row when the API says the list goes on
// (plain ASCII, like the rest of the table's own text).
func andMore(rows []row, hasMore bool, kind string) []row {
	if hasMore {
		rows = append(rows, row{kind, "", "and more", "not listed by the API"})
	}
	return rows
}

// dependentRow shows one dependent of kind: as its variant says, or, for
// a kind newer than this program, by its type, ID and name.
func dependentRow(kind string, d elevenlabs.Dependent) row {
	switch v := d.Value.(type) {
	case elevenlabs.DependentAvailableToolIdentifier:
		return row{kind, v.ID, v.Name, available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)}
	case elevenlabs.DependentUnknownToolIdentifier:
		return row{kind, v.ID, "", hidden(nil)}
	case elevenlabs.DependentAvailableAgentIdentifier:
		details := available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)
		if refs := references(v.ReferencedResourceIDs); refs != "" {
			details += ", " + refs
		}
		return row{kind, v.ID, v.Name, details}
	case elevenlabs.DependentUnknownAgentIdentifier:
		return row{kind, v.ID, "", hidden(v.ReferencedResourceIDs)}
	case elevenlabs.DependentAvailableMCPServerIdentifier:
		return row{kind, v.ID, v.Name, available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)}
	case elevenlabs.DependentUnknownMCPServerIdentifier:
		return row{kind, v.ID, "", hidden(nil)}
	case elevenlabs.DependentPhoneNumberIdentifier:
		return row{kind, v.PhoneNumberID, v.Label, clean(v.PhoneNumber) + " via " + enumValue(v.Provider)}
	case elevenlabs.SecretDependencyType:
		// Others are kinds of dependency with no ID or name of their
		// own: the kind is the detail.
		return row{kind, "", "", enumValue(v)}
	}
	return newerRow(kind, d)
}

// newerRow shows a dependent newer than this program by its type, ID and
// name, and by its JSON too when it has no ID (an item that is not an
// object by its JSON alone).
func newerRow(kind string, d elevenlabs.Dependent) row {
	if len(d.Raw) == 0 || d.Raw[0] != '{' {
		return row{kind, "", "", "newer than this program: " + excerpt(d.Raw)}
	}
	var item map[string]json.RawMessage // by exact name, as Dependents reads it
	_ = json.Unmarshal(d.Raw, &item)    // Dependents read it: an object
	details := "a kind of dependent newer than this program"
	switch t, ok := item["type"]; {
	case d.Type != "":
		details = fmt.Sprintf("type %s: %s", strconv.Quote(d.Type), details)
	case ok: // not a string: shown as its JSON
		details = fmt.Sprintf("type %s: %s", excerpt(t), details)
	}
	var refs []any
	_ = json.Unmarshal(item["referenced_resource_ids"], &refs)
	ids := make([]string, 0, len(refs))
	for _, r := range refs {
		if id, ok := r.(string); ok {
			ids = append(ids, id)
		}
	}
	if d.Hidden { // the spec's "unknown" variant, in a list newer than it
		return row{kind, d.ID, "", hidden(&ids)}
	}
	if via := references(&ids); via != "" {
		details += ", " + via
	}
	if d.ID == "" { // no "id" or property named after its list: shown whole
		details += ", as " + excerpt(d.Raw)
	}
	return row{kind, d.ID, d.Name, details}
}

// enumValue shows a value of one of the spec's enums, marked when the
// spec this program was built from does not list it.
func enumValue[E interface {
	~string
	Valid() bool
}](e E) string {
	if e == "" || e.Valid() {
		return clean(string(e))
	}
	return clean(string(e)) + " (newer than this program)"
}

// available details a dependent the API key can see, with its access
// level as enumValue shows it; a field the response left out (access "",
// created 0: no such date) shows as "-".
func available(access string, created int) string {
	date := "-"
	if created != 0 {
		date = time.Unix(int64(created), 0).UTC().Format(time.DateOnly)
	}
	return fmt.Sprintf("access %s, created %s", orDash(access), date)
}

// hidden describes a dependent that exists but that the API key may not
// see (the spec's "unknown" variant): the API gives only its ID.
func hidden(refs *[]string) string {
	s := "hidden (not visible to this API key)"
	if r := references(refs); r != "" {
		s += ", " + r
	}
	return s
}

// references lists the resources through which an agent uses the secret
// ("uses tool_1, tool_2": "via" is a phone number's provider).
func references(ids *[]string) string {
	if ids == nil || len(*ids) == 0 {
		return ""
	}
	cleaned := make([]string, len(*ids))
	for i, id := range *ids {
		cleaned[i] = clean(id)
	}
	return "uses " + strings.Join(cleaned, ", ")
}

// joiner reports whether r is a zero-width joiner or non-joiner: format
// characters, but ones that written text needs (emoji sequences such as
// 👩‍💻, Persian and Indic words), and that move nothing on a terminal.
func joiner(r rune) bool { return r == '\u200C' || r == '\u200D' }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clean makes a value from the API safe to print in one table cell: a
// value with tabs, line breaks, control or other non-printing characters
// (which could break the table or drive the terminal; bidirectional
// controls among them) is shown quoted, with those characters escaped.
// Zero-width joiners and non-joiners are text, not controls. A value
// that would look empty or other than it is is quoted too: nothing in it
// shows (spaces, joiners, blank letters such as U+3164 or U+2800,
// variation selectors, other characters Unicode says to ignore), or one
// of its ends does not (" admin", "x\u3164", "a\u200d"). "" stays "":
// the table shows it as "-".
func clean(s string) string {
	if s == "" {
		return s
	}
	visible := false
	for _, r := range s {
		if r == utf8.RuneError || (r != ' ' && !unicode.IsPrint(r) && !joiner(r)) {
			return strconv.Quote(s)
		}
		visible = visible || !(blankEdge(r) || unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r))
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !visible || blankEdge(first) || blankEdge(last) {
		return strconv.Quote(s)
	}
	return s
}

// blankEdge reports whether r, at either end of a value, would hide
// where it ends: a space, a joiner, or a printable character that shows
// nothing. (A variation selector ends an emoji, ❤️, which shows.)
func blankEdge(r rune) bool {
	return r == ' ' || joiner(r) || blank(r)
}

// blank reports whether r is a printable character that shows nothing:
// the Braille blank, the Hangul fillers, the combining grapheme joiner
// and the Khmer inherent vowels.
func blank(r rune) bool {
	switch r {
	case '\u2800', '\u115F', '\u1160', '\u3164', '\uFFA0', '\u034F', '\u17B4', '\u17B5':
		return true
	}
	return false
}
