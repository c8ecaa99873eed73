// Package excerpt shortens untrusted text (a payload's keys and values, request headers) before
// an error message, an answer or a log line quotes it, so that none of them grows with what an
// attacker sends.
package excerpt

import (
	"strconv"
	"unicode/utf8"
)

// MaxBytes is how much of a quoted text is kept.
const MaxBytes = 100

// Cut returns s when it is at most MaxBytes long; otherwise its first MaxBytes bytes (fewer,
// so as not to split a UTF-8 sequence) followed by "...(N bytes)", N being the length of s.
func Cut(s string) string { return CutTo(s, MaxBytes) }

// CutTo is [Cut] with a bound of n bytes instead of MaxBytes, for text a log keeps more of (an
// error, a stack trace).
func CutTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:runeStart(s, n)] + "...(" + strconv.Itoa(len(s)) + " bytes)"
}

// Quote returns s as a double-quoted Go string literal, like strconv.Quote; when s is longer
// than MaxBytes, only its start is quoted, followed by "...(N bytes)".
func Quote(s string) string {
	if len(s) <= MaxBytes {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:runeStart(s, MaxBytes)]) + "...(" + strconv.Itoa(len(s)) + " bytes)"
}

// runeStart returns the largest i <= n at which s does not split a UTF-8 sequence.
func runeStart(s string, n int) int {
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	return n
}
