package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
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
	rows := append(dependents(secret.UsedBy), newerFields(secret.UsedBy.AdditionalProperties)...)
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

// dependents lists what uses a secret, in the API's order within each
// kind: tools, agents, phone numbers, MCP servers, others.
func dependents(u elevenlabs.ConvAIStoredSecretDependencies) []row {
	var rows []row
	for _, d := range u.Tools {
		rows = append(rows, toolRow(d))
	}
	rows = andMore(rows, hasMore(u, u.ToolsHasMore, "tools"), "tool")
	for _, d := range u.Agents {
		rows = append(rows, agentRow(d))
	}
	rows = andMore(rows, hasMore(u, u.AgentsHasMore, "agents"), "agent")
	if u.PhoneNumbers != nil {
		for _, p := range *u.PhoneNumbers {
			rows = append(rows, row{"phone number", p.PhoneNumberID, p.Label, clean(p.PhoneNumber) + " via " + enumValue(p.Provider)})
		}
	}
	rows = andMore(rows, hasMore(u, u.PhoneNumbersHasMore, "phone_numbers"), "phone number")
	if u.MCPServers != nil {
		for _, d := range *u.MCPServers {
			rows = append(rows, mcpServerRow(d))
		}
	}
	rows = andMore(rows, hasMore(u, nil, "mcp_servers"), "MCP server")
	// Others are kinds of dependency with no ID or name of their own:
	// the kind is the detail.
	for _, o := range u.Others {
		rows = append(rows, row{"other", "", "", enumValue(o)})
	}
	return andMore(rows, hasMore(u, nil, "others"), "other")
}

// hasMore is the *_has_more flag of the used_by list: the spec's field
// (spec), or else a flag newer than this program, kept in
// AdditionalProperties, so that its "and more" row follows the list's.
func hasMore(u elevenlabs.ConvAIStoredSecretDependencies, spec *bool, list string) *bool {
	if spec != nil {
		return spec
	}
	if more, ok := u.AdditionalProperties[list+"_has_more"].(bool); ok {
		return &more
	}
	return nil
}

// kinds names the kinds of dependents by their used_by list.
var kinds = map[string]string{
	"tools": "tool", "agents": "agent", "phone_numbers": "phone number",
	"mcp_servers": "MCP server", "others": "other",
}

// newerFields shows the used_by fields newer than this program (the
// client keeps them in AdditionalProperties: a new kind of dependent, a
// new flag), by field name: a list by its items' types and IDs, a true
// *_has_more flag as "and more", anything else as its JSON.
func newerFields(newer map[string]any) []row {
	var rows []row
	for _, field := range slices.Sorted(maps.Keys(newer)) {
		value := newer[field]
		if list, ok := strings.CutSuffix(field, "_has_more"); ok {
			if more, ok := value.(bool); ok {
				if _, known := kinds[list]; !known { // else shown after its list
					rows = andMore(rows, &more, kindOf(list))
				}
				continue
			}
		}
		switch v := value.(type) {
		case nil:
		case []any:
			for _, item := range v {
				rows = append(rows, newerRow(kindOf(field), item))
			}
		default:
			rows = append(rows, row{clean(field), "", "", "newer than this program: " + excerpt(v)})
		}
	}
	return rows
}

// kindOf names the kind of dependent in the used_by list field.
func kindOf(field string) string {
	if kind, ok := kinds[field]; ok {
		return kind
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
func andMore(rows []row, hasMore *bool, kind string) []row {
	if hasMore != nil && *hasMore {
		rows = append(rows, row{kind, "", "and more", "not listed by the API"})
	}
	return rows
}

func toolRow(d elevenlabs.ToolDependent) row {
	switch v := value(d).(type) {
	case elevenlabs.DependentAvailableToolIdentifier:
		return row{"tool", v.ID, v.Name, available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)}
	case elevenlabs.DependentUnknownToolIdentifier:
		return row{"tool", v.ID, "", hidden(nil)}
	}
	return newerUnion("tool", d)
}

func agentRow(d elevenlabs.AgentDependent) row {
	switch v := value(d).(type) {
	case elevenlabs.DependentAvailableAgentIdentifier:
		details := available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)
		if refs := references(v.ReferencedResourceIDs); refs != "" {
			details += ", " + refs
		}
		return row{"agent", v.ID, v.Name, details}
	case elevenlabs.DependentUnknownAgentIdentifier:
		return row{"agent", v.ID, "", hidden(v.ReferencedResourceIDs)}
	}
	return newerUnion("agent", d)
}

func mcpServerRow(d elevenlabs.MCPServerDependent) row {
	switch v := value(d).(type) {
	case elevenlabs.DependentAvailableMCPServerIdentifier:
		return row{"MCP server", v.ID, v.Name, available(enumValue(v.AccessLevel), v.CreatedAtUnixSecs)}
	case elevenlabs.DependentUnknownMCPServerIdentifier:
		return row{"MCP server", v.ID, "", hidden(nil)}
	}
	return newerUnion("MCP server", d)
}

// union is what the generated union types have in common.
type union interface {
	ValueByDiscriminator() (any, error)
	MarshalJSON() ([]byte, error)
}

// value returns the union's variant, or nil for a variant this program
// does not know.
func value(u union) any {
	v, err := u.ValueByDiscriminator()
	if err != nil {
		return nil
	}
	return v
}

// newerUnion shows a variant newer than the spec by its type and ID.
func newerUnion(kind string, u union) row {
	var item any
	if raw, err := u.MarshalJSON(); err == nil {
		_ = json.Unmarshal(raw, &item)
	}
	return newerRow(kind, item)
}

// newerRow shows a dependent newer than this program, decoded from JSON,
// by its type and ID (a list item that is not an object, by its JSON).
func newerRow(kind string, item any) row {
	obj, ok := item.(map[string]any)
	if !ok {
		return row{kind, "", "", "newer than this program: " + excerpt(item)}
	}
	details := "a kind of dependent newer than this program"
	if t, ok := obj["type"]; ok {
		details = fmt.Sprintf("type %s: %s", strconv.Quote(fmt.Sprint(t)), details)
	}
	if refs, ok := obj["referenced_resource_ids"].([]any); ok {
		ids := make([]string, 0, len(refs))
		for _, r := range refs {
			if id, ok := r.(string); ok {
				ids = append(ids, id)
			}
		}
		if via := references(&ids); via != "" {
			details += ", " + via
		}
	}
	id, _ := obj["id"].(string)
	return row{kind, id, "", details}
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

// references lists the resources through which an agent uses the secret.
func references(ids *[]string) string {
	if ids == nil || len(*ids) == 0 {
		return ""
	}
	cleaned := make([]string, len(*ids))
	for i, id := range *ids {
		cleaned[i] = clean(id)
	}
	return "via " + strings.Join(cleaned, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clean makes a value from the API safe to print in one table cell: a
// value with tabs, line breaks, control or other non-printing characters
// (which could break the table or drive the terminal) is shown quoted,
// with those characters escaped.
func clean(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || (r != ' ' && !unicode.IsPrint(r)) {
			return strconv.Quote(s)
		}
	}
	return s
}
