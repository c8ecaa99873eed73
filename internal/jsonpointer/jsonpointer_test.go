package jsonpointer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tokens := []string{"data", "a/b", "m~n", "~1", "", "0"}
	ptr := Join(tokens)
	assert.Equal(t, "/data/a~1b/m~0n/~01//0", ptr)
	got, ok := Split(ptr)
	assert.True(t, ok)
	assert.Equal(t, tokens, got)
	assert.Equal(t, "", Join(nil))
	_, ok = Split("data")
	assert.False(t, ok)
}

func TestLookup(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"a/b": map[string]any{"m~n": []any{"x", "y"}}}
	assert.Equal(t, "y", Lookup(doc, "/a~1b/m~0n/1"))
	assert.Nil(t, Lookup(doc, "/missing/x"))
	assert.Nil(t, Lookup(doc, "/a~1b/m~0n/9"))
	assert.Nil(t, Lookup(doc, "/a~1b/m~0n/-1"))
	assert.Nil(t, Lookup(doc, "no-slash"))
	assert.Equal(t, doc, Lookup(doc, ""))
}
