package schema_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/schema"
)

func TestStrict(t *testing.T) {
	t.Parallel()
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{
		"type": "object", "x-strict": true,
		"properties": {
			"status": {"type": "string", "x-known-values": ["a", "b"], "x-strict": true},
			"platform": {"type": "string", "x-known-values": ["p"]},
			"open": {"type": "object", "properties": {"x": {"type": "string"}}},
			"explicit": {"type": "object", "x-strict": true, "properties": {}, "additionalProperties": {"type": "string"}}
		}}`), &doc))
	before, _ := json.Marshal(doc)
	got, err := json.Marshal(schema.Strict(doc))
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"type": "object", "x-strict": true, "additionalProperties": false,
		"properties": {
			"status": {"type": "string", "x-known-values": ["a", "b"], "x-strict": true, "enum": ["a", "b"]},
			"platform": {"type": "string", "x-known-values": ["p"]},
			"open": {"type": "object", "properties": {"x": {"type": "string"}}},
			"explicit": {"type": "object", "x-strict": true, "properties": {}, "additionalProperties": {"type": "string"}}
		}}`, string(got))
	after, _ := json.Marshal(doc)
	assert.Equal(t, string(before), string(after), "Strict must not modify its input")
}
