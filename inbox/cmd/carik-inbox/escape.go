package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one value prints as: an id, a header value or an error line, and a body.
const (
	maxValue = 300
	maxBody  = 64 << 10
)

// clean returns untrusted text (a delivery id, a header, a body line, an error quoting a
// payload) safe to print on a terminal: control bytes, escape sequences, invalid UTF-8 and
// invisible format characters (bidi overrides such as U+202E) are written as visible escapes
// (\t, \x1b, \xff, \u202e), and a backslash as \\, so that nothing is interpreted and no line
// can be forged. A copy of cmd/carik's escaper: this module cannot import package main.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII without a backslash.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '\\' {
			return false
		}
	}
	return true
}

// value returns s cleaned and cut to about n bytes of input, saying how much was left out.
func value(s string, n int) string {
	if len(s) <= n {
		return clean(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", clean(s[:cut]), len(s)-cut)
}

// cleanLines returns raw bytes as lines of cleaned text: the line breaks of the input stay line
// breaks, everything else is escaped as by [clean]. At most limit bytes are shown; the rest is
// counted.
func cleanLines(raw []byte, limit int) (lines []string, more int) {
	if len(raw) > limit {
		more = len(raw) - limit
		raw = raw[:limit]
	}
	for _, line := range strings.Split(string(raw), "\n") {
		lines = append(lines, clean(line))
	}
	return lines, more
}
