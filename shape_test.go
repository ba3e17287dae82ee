package elevenlabs_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/internal/contract"
)

// withReplaced returns fullSecret with old replaced by new, once; the test
// fails if fullSecret does not hold old.
func withReplaced(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(fullSecret, old) {
		t.Fatalf("fullSecret holds no %q", old)
	}
	return strings.Replace(fullSecret, old, new, 1)
}

const (
	availableTool  = `{"type": "available", "id": "tool_1", "name": "DataSyncTool", "created_at_unix_secs": 1685000000, "access_level": "admin"}`
	availableAgent = `{"type": "available", "id": "agent_1", "name": "SupportAgent", "created_at_unix_secs": 1685100000, "access_level": "editor", "referenced_resource_ids": ["res_1", "res_2"]}`
	unknownMCP     = `{"type": "unknown", "id": "mcp_2"}`
	phoneNumber    = `{"phone_number_id": "pn_1", "phone_number": "+15551234567", "label": "Support Line", "provider": "twilio"}`
	secretName     = `"name": "DatabaseCredentials",`
)

// TestMalformedSecretsAreErrors: a 200 body that encoding/json decodes,
// but that breaks the spec's shape where a caller would read a zero value
// as an answer (a required property absent or null, a dependent of a
// known kind whose properties do not decode as that kind, a dependent
// without a type), is a *DecodeError naming the place. What forward
// compatibility asks to pass (a kind of dependent, an enum value or a
// property newer than this spec) passes. kin-openapi is the judge of what
// the spec allows: every body refused is one it refuses too, and every
// body it accepts passes.
func TestMalformedSecretsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string // in the error; "" for a body that must decode
		newer      bool   // passes, though kin-openapi refuses it (a newer value; a name in another case, which encoding/json reads)
		goOnly     bool   // refused, though kin-openapi accepts it: encoding/json reads names in any case, and an integer as an int64
	}{
		{"as the spec says", fullSecret, "", false, false},
		{"an available tool with a fractional date", withReplaced(t, availableTool, strings.Replace(availableTool, "1685000000", "1685000000.5", 1)), `used_by.tools[0]: type "available": "created_at_unix_secs" is not an integer`, false, false},
		{"an available tool with a date as a string", withReplaced(t, availableTool, strings.Replace(availableTool, "1685000000", `"1685000000"`, 1)), `used_by.tools[0]: type "available": "created_at_unix_secs" is not an integer`, false, false},
		{"an available agent with a numeric ID", withReplaced(t, availableAgent, strings.Replace(availableAgent, `"agent_1"`, "42", 1)), `used_by.agents[0]: type "available": "id" is not a string`, false, false},
		{"an available agent whose references are not strings", withReplaced(t, availableAgent, strings.Replace(availableAgent, `"res_2"`, "7", 1)), `"referenced_resource_ids" is not a list of strings`, false, false},
		{"an available agent without an access level", withReplaced(t, availableAgent, strings.Replace(availableAgent, `, "access_level": "editor"`, "", 1)), `used_by.agents[0]: type "available": no access_level`, false, false},
		{"an available agent with a null name", withReplaced(t, availableAgent, strings.Replace(availableAgent, `"SupportAgent"`, "null", 1)), `used_by.agents[0]: type "available": no name`, false, false},
		{"an unknown MCP server without an ID", withReplaced(t, unknownMCP, `{"type": "unknown"}`), `used_by.mcp_servers[1]: type "unknown": no id`, false, false},
		{"a dependent without a type", withReplaced(t, unknownMCP, `{"id": "mcp_2"}`), `used_by.mcp_servers[1]: no type`, false, false},
		{"a dependent with a null type", withReplaced(t, unknownMCP, `{"type": null, "id": "mcp_2"}`), `used_by.mcp_servers[1]: no type`, false, false},
		{"a numeric type before a newer kind", withReplaced(t, unknownMCP, `{"type": 1, "type": "remote", "id": "mcp_2"}`), `used_by.mcp_servers[1]: "type" is not a string`, false, false},
		{"a dependent with a numeric type", withReplaced(t, unknownMCP, `{"type": 1, "id": "mcp_2"}`), `used_by.mcp_servers[1]: "type" is not a string`, false, false},
		{"a dependent that is a string", withReplaced(t, unknownMCP, `"mcp_2"`), `used_by.mcp_servers[1]: not an object`, false, false},
		{"a dependent that is null", withReplaced(t, unknownMCP, `null`), `used_by.mcp_servers[1]: not an object`, false, false},
		{"a phone number that is null", withReplaced(t, phoneNumber, "null"), `used_by.phone_numbers[0]: not an object`, false, false},
		{"a phone number without a label", withReplaced(t, phoneNumber, strings.Replace(phoneNumber, `, "label": "Support Line"`, "", 1)), `used_by.phone_numbers[0]: no label`, false, false},
		{"a secret without a name", withReplaced(t, secretName, ""), `no name in the response`, false, false},
		{"a secret with a null name", withReplaced(t, secretName, `"name": null,`), `no name in the response`, false, false},
		{"a secret with a null name, white space after it", withReplaced(t, secretName, "\"name\": null \t\r\n,"), `no name in the response`, false, false},
		{"an available agent with a null name, white space after it", withReplaced(t, availableAgent, strings.Replace(availableAgent, `"SupportAgent"`, "null ", 1)), `used_by.agents[0]: type "available": no name`, false, false},
		{"a secret without a type", withReplaced(t, `"type": "stored",`, ""), `no type in the response`, false, false},

		{"an escaped kind, malformed as that kind", withReplaced(t, availableTool, `{"type": "\u0061vailable", "id": "tool_1"}`), `used_by.tools[0]: type "available": no access_level`, false, false},
		{"a second type, of a known kind the item does not fit", withReplaced(t, unknownMCP, `{"type": "unknown", "id": "mcp_2", "type": "available"}`), `used_by.mcp_servers[1]: type "available": no `, false, false},
		{"a second type in another case", withReplaced(t, unknownMCP, `{"type": "unknown", "id": "mcp_2", "TYPE": "available"}`), `used_by.mcp_servers[1]: type "available": no `, false, true},
		{"an empty type", withReplaced(t, unknownMCP, `{"type": "", "id": "mcp_2"}`), `used_by.mcp_servers[1]: no type`, false, false},
		{"a list named in another case", withReplaced(t, `"mcp_servers": [`, `"MCP_Servers": [{"id": 1}], "mcp_servers_x": [`), `used_by.mcp_servers[0]: no type`, false, true},
		{"references that are no list", withReplaced(t, `"referenced_resource_ids": ["res_1", "res_2"]`, `"referenced_resource_ids": "res_1"`), `"referenced_resource_ids" is not a list of strings`, false, false},
		{"a date beyond int64", withReplaced(t, availableTool, strings.Replace(availableTool, "1685000000", "9999999999999999999", 1)), `"created_at_unix_secs" is not an integer`, false, true},
		{"a dependent of 9 properties, the 9th of the wrong type", withReplaced(t, availableTool, strings.Replace(availableTool, `"admin"}`, `"admin", "a": 1, "b": 2, "c": 3, "ID": 4}`, 1)), `used_by.tools[0]: type "available": "id" is not a string`, false, true},
		{"a dependent of 9 properties, one required missing", withReplaced(t, availableTool, strings.Replace(availableTool, `, "access_level": "admin"}`, `, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5}`, 1)), `used_by.tools[0]: type "available": no access_level`, false, false},
		{"a later list, of the one encoding/json keeps, malformed", withReplaced(t, `"others": [`, `"tools": [{}], "others": [`), `used_by.tools[0]: no type`, false, false},

		// What must pass.
		{"an earlier list encoding/json discards, malformed", withReplaced(t, `"tools": [`, `"tools": [{}], "tools": [`), "", false, false},
		{"an earlier list discarded by a later used_by", withReplaced(t, `"used_by": {`, `"used_by": {"phone_numbers": [{}], "tools": [7]}, "used_by": {`), "", false, false},
		{"an empty name", withReplaced(t, secretName, `"name": "",`), "", false, false},
		{"names in another case, and escaped", withReplaced(t, availableTool, `{"TYPE": "\u0061vailable", "Id": "tool_1", "name": "DataSyncTool", "created_at_unix_secs": -1, "access_level": "admin"}`), "", true, false},
		{"a kind of dependent newer than the spec", withReplaced(t, unknownMCP, `{"type": "archived", "id": 7, "archived_at": "2026-01-01"}`), "", true, false},
		{"an access level newer than the spec", withReplaced(t, availableTool, strings.Replace(availableTool, `"admin"`, `"owner"`, 1)), "", true, false},
		{"a property newer than the spec", withReplaced(t, availableTool, strings.Replace(availableTool, `"admin"}`, `"admin", "folder": {"id": 1}}`, 1)), "", false, false},
		{"a dependent of 9 properties", withReplaced(t, availableTool, strings.Replace(availableTool, `"admin"}`, `"admin", "a": 1, "b": 2, "c": 3, "d": 4}`, 1)), "", false, false},
		{"a date of 19 digits", withReplaced(t, availableTool, strings.Replace(availableTool, "1685000000", "1234567890123456789", 1)), "", false, false},
		{"a second type, of a kind the item fits", withReplaced(t, availableTool, strings.Replace(availableTool, `"admin"}`, `"admin", "type": "unknown"}`, 1)), "", false, false},
		{"an escaped name in another case", withReplaced(t, availableTool, strings.Replace(availableTool, `"id"`, `"\u0049d"`, 1)), "", true, false},
		{"lines ending in CRLF", strings.ReplaceAll(fullSecret, "\n", "\r\n"), "", false, false},
		{"a number at the end of a CRLF line", withReplaced(t, availableTool, `{"type": "available", "id": "tool_1", "name": "DataSyncTool", "access_level": "admin", "created_at_unix_secs": 1685000000`+"\r\n}"), "", false, false},
		{"a null reference", withReplaced(t, `["res_1", "res_2"]`, `["res_1", null]`), "", true, false},
		{"a null optional list", withReplaced(t, `"referenced_resource_ids": ["res_1", "res_2"]`, `"referenced_resource_ids": null`), "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := contract.NewServer(t, jsonHandler(200, tc.body), nil, contract.AllowOffSpecResponses())
			s, err := newClient(t, srv).GetSecret(context.Background(), "sec_full")
			specErr := contract.ValidateSecret([]byte(tc.body))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("GetSecret: %v, want the secret", err)
				}
				if !tc.newer && specErr != nil {
					t.Errorf("the case is marked spec-valid, but kin-openapi refuses it: %v", specErr)
				}
				return
			}
			var decErr *elevenlabs.DecodeError
			if s != nil || !errors.As(err, &decErr) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("GetSecret = %v, %v; want a *DecodeError containing %q", s, err, tc.want)
			}
			if specErr == nil && !tc.goOnly {
				t.Errorf("refused a body kin-openapi accepts as spec-valid")
			}
		})
	}
}
