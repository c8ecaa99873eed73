package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/schema"
)

// generateEnvelope generates the package with envelope.schema.json changed by edit, and returns
// the decoders file, or the error.
func generateEnvelope(t *testing.T, edit func(env map[string]any)) (string, error) {
	t.Helper()
	root := copySchemas(t)
	path := filepath.Join(root, "schema", schema.EnvelopeFile)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var env map[string]any
	require.NoError(t, json.Unmarshal(raw, &env))
	edit(env)
	raw, err = json.Marshal(env)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o644))
	out, err := generate(root)
	if err != nil {
		return "", err
	}
	return string(out[decodersFile]), nil
}

// testEnvelopeProperty returns the schema of the envelope's property name.
func testEnvelopeProperty(env map[string]any, name string) map[string]any {
	return env["properties"].(map[string]any)[name].(map[string]any)
}

// TestEnvelopeDataRefusesConstraints: each event's schema describes data; a rule written on
// the envelope's data member would bind every event, and the generated decoders do not
// implement it there: it is refused by name, never ignored.
func TestEnvelopeDataRefusesConstraints(t *testing.T) {
	t.Parallel()
	for keyword, value := range map[string]any{
		"required":             []any{"id"},
		"additionalProperties": false,
		"properties":           map[string]any{"id": map[string]any{"type": "string"}},
		"const":                map[string]any{},
		"enum":                 []any{map[string]any{}},
		"x-strict":             true,
	} {
		t.Run(keyword, func(t *testing.T) {
			t.Parallel()
			_, err := generateEnvelope(t, func(env map[string]any) {
				data := testEnvelopeProperty(env, "data")
				delete(data, "description") // two keywords, as many as a description would take
				data[keyword] = value
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `envelope.schema.json: /properties/data: keyword "`+keyword+`"`)
		})
	}
	_, err := generateEnvelope(t, func(env map[string]any) {
		data := testEnvelopeProperty(env, "data")
		data["title"], data["examples"], data["$comment"] = "Data", []any{map[string]any{}}, "c"
	})
	assert.NoError(t, err, "annotations are allowed")
}

// TestEnvelopeStrictFollowsSchemaStrict: strict mode refuses undeclared envelope members
// exactly when schema.Strict closes the envelope, as for the data of an event.
func TestEnvelopeStrictFollowsSchemaStrict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		edit         func(env map[string]any)
		closedStrict bool
	}{
		{"x-strict", func(map[string]any) {}, true},
		{"no x-strict", func(env map[string]any) { delete(env, "x-strict") }, false},
		{"x-strict, additionalProperties true", func(env map[string]any) { env["additionalProperties"] = true }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dec, err := generateEnvelope(t, func(env map[string]any) {
				tt.edit(env)
				assert.Equal(t, tt.closedStrict, schema.StrictCloses(env), "schema.Strict")
			})
			require.NoError(t, err)
			i := strings.Index(dec, "func (d *decoder) decodeEnvelope(")
			require.GreaterOrEqual(t, i, 0)
			body := dec[i:]
			body = body[:strings.Index(body, "\n}\n")]
			assert.Equal(t, tt.closedStrict, strings.Contains(body, `d.unknownMember("", key)`), "strict mode refuses unknown members")
		})
	}
}

// TestEnvelopeEventRefusesEnum: the event types are the event schemas' names, and strict mode
// allows only those; an enum or const on the envelope's event would have to hold beside them,
// which the decoders do not implement: refused.
func TestEnvelopeEventRefusesEnum(t *testing.T) {
	t.Parallel()
	for keyword, value := range map[string]any{"enum": []any{"message", "device"}, "const": "message"} {
		t.Run(keyword, func(t *testing.T) {
			t.Parallel()
			_, err := generateEnvelope(t, func(env map[string]any) { testEnvelopeProperty(env, "event")[keyword] = value })
			require.Error(t, err)
			assert.Contains(t, err.Error(), `envelope.schema.json: /properties/event: keyword "`+keyword+`"`)
		})
	}
}
