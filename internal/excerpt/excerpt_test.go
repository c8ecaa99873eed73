package excerpt

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"short", "status", "status"},
		{"exactly the limit", strings.Repeat("a", MaxBytes), strings.Repeat("a", MaxBytes)},
		{"one over", strings.Repeat("a", MaxBytes+1), strings.Repeat("a", MaxBytes) + "...(101 bytes)"},
		{"long", strings.Repeat("k", 250_000), strings.Repeat("k", MaxBytes) + "...(250000 bytes)"},
		{"does not split a rune", strings.Repeat("a", MaxBytes-1) + "é" + "zz", strings.Repeat("a", MaxBytes-1) + "...(103 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Cut(tt.in)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
		})
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `"a\nb"`, Quote("a\nb"))
	long := strings.Repeat("\x1b", 1000)
	got := Quote(long)
	assert.Equal(t, `"`+strings.Repeat(`\x1b`, MaxBytes)+`"...(1000 bytes)`, got)
	assert.NotContains(t, got, "\x1b", "control bytes are escaped, never printed raw")
}
