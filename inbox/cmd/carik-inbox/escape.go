package main

import (
	"fmt"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// Limits on what one value prints as: an id, a header value or an error line, and a body.
const (
	maxValue = 300
	maxBody  = 64 << 10
)

// value returns s cleaned and cut to about n bytes of input, saying how much was left out.
func value(s string, n int) string {
	if len(s) <= n {
		return excerpt.Escape(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", excerpt.Escape(s[:cut]), len(s)-cut)
}
