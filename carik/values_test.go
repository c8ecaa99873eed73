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

// TestStringRuleChecksEachKeyword: a value that breaks an enum and minLength is reported for
// both, as the reference validators do; in strict mode the documented values replace the
// enum (schema.Strict's rule), so the enum is not checked there.
func TestStringRuleChecksEachKeyword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rule   stringRule
		strict bool
		body   string
		want   []string
	}{
		{"enum and minLength", stringRule{minLength: 1, enum: []string{"a"}}, false, `""`,
			[]string{`expected a non-empty string, found ""`, `expected one of "a"; found ""`}},
		{"known values and minLength, strict", stringRule{minLength: 1, strictEnum: []string{"a"}}, true, `""`,
			[]string{`expected a non-empty string, found ""`, `expected one of "a"; found ""`}},
		{"known values replace the enum, strict", stringRule{enum: []string{"a"}, strictEnum: []string{"b"}}, true, `"b"`, nil},
		{"known values replace the enum, strict, outside both", stringRule{enum: []string{"a"}, strictEnum: []string{"b"}}, true, `"a"`,
			[]string{`expected one of "b"; found "a"`}},
		{"the enum applies in the default mode", stringRule{enum: []string{"a"}, strictEnum: []string{"b"}}, false, `"b"`,
			[]string{`expected one of "a"; found "b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := decoder{b: []byte(tt.body), strict: tt.strict}
			_, isString := d.readString("/s", 1, &tt.rule)
			assert.True(t, isString)
			var got []string
			for _, v := range d.found.sorted() {
				assert.Equal(t, "/s", v.Path)
				got = append(got, v.Message)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
