package jsonpointer

import (
	"strings"
	"testing"
	"unicode/utf8"

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

func TestJoinLimit(t *testing.T) {
	t.Parallel()
	short := []string{"data", "a/b", "m~n"}
	got, cut := JoinLimit(short)
	assert.Equal(t, Join(short), got)
	assert.False(t, cut)

	tests := []struct {
		name   string
		tokens []string
	}{
		{"one long key", []string{"data", strings.Repeat("k", 100_000), "0"}},
		{"a key of slashes", []string{"data", strings.Repeat("/", 100_000)}},
		{"a key of tildes, odd start", []string{"d", strings.Repeat("~", 1000)}},
		{"deep nesting", strings.Split(strings.Repeat("0,", 10_000), ",")},
		{"multi-byte runes", []string{"x", strings.Repeat("é", 1000)}},
		{"four-byte runes", []string{"xy", strings.Repeat("😀", 1000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, cut := JoinLimit(tt.tokens)
			whole := Join(tt.tokens)
			assert.True(t, cut)
			assert.LessOrEqual(t, len(got), MaxBytes)
			assert.Greater(t, len(got), MaxBytes-4, "cut no more than needed")
			assert.True(t, strings.HasPrefix(whole, got), "a prefix of the whole pointer")
			assert.True(t, utf8.ValidString(got))
			assert.False(t, strings.HasSuffix(got, "~") && !strings.HasSuffix(got, "~0") && !strings.HasSuffix(got, "~1"), "never ends inside an escape: %q", got[len(got)-4:])
			_, ok := Split(got)
			assert.True(t, ok)
			cutWhole, cut := Cut(whole)
			assert.True(t, cut)
			assert.Equal(t, got, cutWhole, "Cut of the whole pointer agrees with JoinLimit")
		})
	}
}

// A caller may shorten a long token before joining it, inside a character: the pointer ends
// before that character instead of holding half of it.
func TestJoinLimitOfATokenCutInsideACharacter(t *testing.T) {
	t.Parallel()
	token := strings.Repeat("a", 509) + "😀"
	for cut := len(token) - 3; cut < len(token); cut++ {
		got, _ := JoinLimit([]string{token[:cut]})
		assert.Equal(t, "/"+strings.Repeat("a", 509), got)
		assert.True(t, utf8.ValidString(got))
	}
}
