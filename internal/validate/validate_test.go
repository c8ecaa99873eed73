package validate

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeShortens(t *testing.T) {
	t.Parallel()
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'x'
	}
	assert.Less(t, len(describe(string(long))), 80)
	assert.Equal(t, "null", describe(nil))
	assert.Equal(t, "an object", describe(map[string]any{}))
	assert.Equal(t, `"s"`, describe("s"))
}

func TestCompileRefusesTheNetwork(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.schema.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://example.com/x.json"}`)}}
	_, err := Compile(fsys, "https://carik.id/test/", map[string]any{"root": map[string]any{"$ref": "a.schema.json"}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing to load https://example.com/x.json")
}

func TestValidateNonJSONValueIsAnError(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.schema.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"x": {"type": "string"}}}`)}}
	vs, err := Compile(fsys, "https://carik.id/test/", map[string]any{"root": map[string]any{"$ref": "a.schema.json"}}, nil)
	require.NoError(t, err)
	_, err = vs["root"].Validate(map[string]any{"x": make(chan int)})
	assert.Error(t, err, "a Go value with no JSON type must give an error, not a panic")
}

// TestPanicInTheLibraryBecomesAnError provokes a fault inside the library (a nil schema is
// dereferenced there) and expects an error back, not a crashed process.
func TestPanicInTheLibraryBecomesAnError(t *testing.T) {
	t.Parallel()
	var v Validator // no compiled schema
	found, err := v.Validate(map[string]any{"event": "message"})
	assert.Nil(t, found)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "schema validation failed unexpectedly")
}

func TestInlineKeepsWhatItCannotMerge(t *testing.T) {
	t.Parallel()
	docs := map[string]any{
		"a.schema.json": map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "string"}}, "additionalProperties": false},
		"b.schema.json": map[string]any{"type": "string", "if": map[string]any{"const": "q"}, "then": map[string]any{"minLength": 3}},
		"c.schema.json": map[string]any{"type": "integer"},
	}
	in := &inliner{docs: docs}
	// The referring schema adds a property a's additionalProperties does not cover: merging
	// would allow it, the $ref forbids it, so the $ref stays.
	got, err := in.inline("root", map[string]any{"$ref": "a.schema.json", "properties": map[string]any{"y": map[string]any{}}}, 0)
	require.NoError(t, err)
	assert.Equal(t, "a.schema.json", got.(map[string]any)["$ref"])
	// if/then are not merged.
	got, err = in.inline("root", map[string]any{"$ref": "b.schema.json"}, 0)
	require.NoError(t, err)
	assert.Equal(t, "b.schema.json", got.(map[string]any)["$ref"])
	// Two different types conflict.
	got, err = in.inline("root", map[string]any{"$ref": "c.schema.json", "type": "string"}, 0)
	require.NoError(t, err)
	assert.Equal(t, "c.schema.json", got.(map[string]any)["$ref"])
	// A plain reference is inlined, with required lists joined.
	got, err = in.inline("root", map[string]any{"$ref": "a.schema.json", "required": []any{"x"}, "description": "d"}, 0)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "string"}},
		"additionalProperties": false, "required": []any{"x"}, "description": "d"}, got)
}
