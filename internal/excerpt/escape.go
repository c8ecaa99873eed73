package excerpt

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns untrusted text (an event type, a key, a header, a message quoting a payload)
// safe to print on a terminal or in a CI log: control bytes, newlines, escape sequences,
// invalid UTF-8 and invisible format characters are written as visible escapes (\n, \x1b,
// \u202e), and a backslash as \\, so that nothing is interpreted and no line can be forged.
func Escape(s string) string {
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

// EscapeLines returns raw bytes as lines of cleaned text: the line breaks of the input stay line
// breaks , everything else is escaped as by
// [Escape]. At most limit bytes are shown; the rest is counted.
func EscapeLines(raw []byte, limit int) (lines []string, more int) {
	if len(raw) > limit {
		more = len(raw) - limit
		raw = raw[:limit]
	}
	for _, line := range strings.Split(string(raw), "\n") {
		lines = append(lines, Escape(line))
	}
	return lines, more
}
