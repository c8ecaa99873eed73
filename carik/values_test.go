package carik

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMinLengthCountsCharacters: minLength counts characters (after unescaping), not bytes.
func TestMinLengthCountsCharacters(t *testing.T) {
	t.Parallel()
	rule := stringRule{minLength: 2}
	for body, ok := range map[string]bool{`"é"`: false, `"éé"`: true, `"\u00e9"`: false, `"😀"`: false, `"\ud83d\ude00x"`: true, `"ab"`: true, `"a"`: false} {
		d := decoder{b: []byte(body)}
		v, isString := d.readString("/s", 1, &rule)
		assert.True(t, isString)
		assert.Equal(t, ok, len(d.found.list) == 0, "%s -> %q: %v", body, v, d.found.list)
	}
}
