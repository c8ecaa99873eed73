package validate

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPointers(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"a/b": map[string]any{"m~n": []any{"x", "y"}}}
	assert.Equal(t, "y", lookup(doc, "/"+escape("a/b")+"/"+escape("m~n")+"/1"))
	assert.Nil(t, lookup(doc, "/missing/x"))
	assert.Nil(t, lookup(doc, "/a~1b/m~0n/9"))
	assert.Equal(t, doc, lookup(doc, ""))
}

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
