package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/schema"
)

// ticketHead starts a ticket event schema for the tests below.
const ticketHead = `{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://carik.id/schema/webhook/ticket.schema.json",
	"description": "d", "examples": [{}], "type": "object", `

// generateTicket generates the package with schema/ticket.schema.json set to content, and
// returns the decoders file, or the error.
func generateTicket(t *testing.T, content string) (string, error) {
	t.Helper()
	root := copySchemas(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "schema", "ticket.schema.json"), []byte(content), 0o644))
	out, err := generate(root)
	if err != nil {
		return "", err
	}
	return string(out[decodersFile]), nil
}

// TestObjectSchemaRefusesOtherKeywords: an object schema may use only the keywords its decoder
// implements; any other is refused by name, even one that applies to objects.
func TestObjectSchemaRefusesOtherKeywords(t *testing.T) {
	t.Parallel()
	props := `"properties": {"a": {"description": "i", "type": "string"}}`
	for _, tt := range []struct{ keyword, content string }{
		{"const", ticketHead + props + `, "const": {"a": "x"}}`},
		{"enum", ticketHead + props + `, "enum": [{"a": "x"}]}`},
		{"enum", ticketHead + `"enum": [{"a": "x"}]}`},
		{"minLength", ticketHead + props + `, "minLength": 3}`},
		{"$ref", ticketHead + props + `, "$ref": "defs.schema.json#/$defs/id"}`},
		{"minimum", ticketHead + `"minimum": 1}`},
		{"x-events", ticketHead + `"x-events": ["ticket"]}`},
	} {
		t.Run(tt.content[len(ticketHead):], func(t *testing.T) {
			t.Parallel()
			_, err := generateTicket(t, tt.content)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `ticket.schema.json: (root): keyword "`+tt.keyword+`" is not supported on an object schema`)
		})
	}
}

// TestPropertyKeywordCombinations: keywords a property may not combine are refused.
func TestPropertyKeywordCombinations(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ prop, want string }{
		"x-strict on a number":       {`{"description": "i", "type": "number", "x-strict": true}`, `keyword "x-strict" does not apply to a number`},
		"x-strict without known":     {`{"description": "i", "type": "string", "x-strict": true}`, "x-strict on a string applies to x-known-values"},
		"enum and const":             {`{"description": "i", "type": "string", "enum": ["a"], "const": "a"}`, "enum and const together"},
		"const and known values":     {`{"description": "i", "title": "T", "type": "string", "const": "a", "x-known-values": ["a"]}`, "const with x-known-values"},
		"minLength not an integer":   {`{"description": "i", "type": "string", "minLength": 1.5}`, "minLength must be a non-negative integer"},
		"maximum beyond float64":     {`{"description": "i", "type": "number", "maximum": 1e400}`, "beyond the range of a float64"},
		"minimum underflowing to 0":  {`{"description": "i", "type": "number", "minimum": 1e-400}`, "beyond the range of a float64"},
		"negative minimum underflow": {`{"description": "i", "type": "number", "minimum": -1e-400}`, "beyond the range of a float64"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := generateTicket(t, ticketHead+`"properties": {"a": `+tt.prop+`}}`)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "ticket.schema.json: /properties/a: ")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestBoundsKeepTheirExactText: a minimum or maximum is generated from the schema's text, not
// from a float64 reading of it, which would move it.
func TestBoundsKeepTheirExactText(t *testing.T) {
	t.Parallel()
	for bound, want := range map[string]string{
		"9007199254740993":          `&bound{text: "9007199254740993", f: 9.007199254740992e+15, exact: false}`,
		"0.1":                       `&bound{text: "0.1", f: 0.1, exact: false}`,
		"1e-300":                    `&bound{text: "1e-300", f: 1e-300, exact: false}`,
		"1E+3":                      `&bound{text: "1E+3", f: 1000, exact: true}`,
		"-1000000000000000":         `&bound{text: "-1000000000000000", f: -1e+15, exact: true}`,
		"12345678901234567890.5e-3": `&bound{text: "12345678901234567890.5e-3", f: 1.2345678901234568e+16, exact: false}`,
	} {
		t.Run(bound, func(t *testing.T) {
			t.Parallel()
			dec, err := generateTicket(t, ticketHead+`"properties": {"a": {"description": "i", "type": "number", "maximum": `+bound+`}}}`)
			require.NoError(t, err)
			line := regexp.MustCompile(`(?m)^\s*ticketDataA\s+=.*$`).FindString(dec)
			assert.Equal(t, "ticketDataA = numberRule{minimum: nil, maximum: "+want+"}", strings.Join(strings.Fields(line), " "))
		})
	}
}

// TestStrictModeFollowsSchemaStrict: the generated decoders close an object in strict mode
// exactly when schema.Strict (what the reference validator checks) closes it, and refuse the
// one combination they cannot follow.
func TestStrictModeFollowsSchemaStrict(t *testing.T) {
	t.Parallel()
	props := `"properties": {"a": {"description": "i", "type": "string"}}`
	tests := []struct {
		name, extra  string
		closedStrict bool // strict mode refuses unknown members
		closed       bool // every mode does
	}{
		{"x-strict", `"x-strict": true, ` + props, true, false},
		{"x-strict, additionalProperties true", `"x-strict": true, "additionalProperties": true, ` + props, false, false},
		{"x-strict, additionalProperties false", `"x-strict": true, "additionalProperties": false, ` + props, true, true},
		{"no x-strict", props, false, false},
		{"x-strict false", `"x-strict": false, ` + props, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			content := ticketHead + tt.extra + `}`
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(content), &doc))
			strictDoc := schema.Strict(doc).(map[string]any)
			assert.Equal(t, tt.closedStrict, strictDoc["additionalProperties"] == false, "schema.Strict")

			dec, err := generateTicket(t, content)
			require.NoError(t, err)
			i := strings.Index(dec, "func (d *decoder) decodeTicketData(")
			require.GreaterOrEqual(t, i, 0)
			body := dec[i:]
			body = body[:strings.Index(body, "\n}\n")]
			refuses := strings.Contains(body, `d.unknownMember("/data", key)`)
			keeps := strings.Contains(body, "d.keepExtra(&out.Extra, key, 2)")
			assert.Equal(t, tt.closedStrict, refuses, "strict mode refuses unknown members")
			assert.Equal(t, !tt.closed, keeps, "the default mode keeps them")
		})
	}
	_, err := generateTicket(t, ticketHead+`"x-strict": true, "properties": {}}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ticket.schema.json: (root): "x-strict" with empty properties`)
}
