// Package jsonpointer writes, splits and follows RFC 6901 JSON pointers ("/data/status"), the
// one way every part of the SDK names a place in a payload.
package jsonpointer

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	escaper   = strings.NewReplacer("~", "~0", "/", "~1")
	unescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// Escape encodes one property name as a reference token.
func Escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return escaper.Replace(token)
}

// Join returns the pointer made of tokens ("" for none, the whole document).
func Join(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// MaxBytes is the longest pointer [JoinLimit] writes.
const MaxBytes = 512

// CutNote ends the message of a violation whose pointer [JoinLimit] cut.
const CutNote = " (path cut to its first 512 bytes)"

// JoinLimit is [Join] for pointers that go into error messages: it writes at most MaxBytes
// bytes and reports whether it cut the pointer. A cut pointer is a prefix of the whole one and
// still a valid pointer: it never ends inside a "~0"/"~1" escape or a UTF-8 sequence. The work
// is bounded by MaxBytes however long or deep the path, so that reporting many values under
// one long key costs no more than the limit each.
func JoinLimit(tokens []string) (ptr string, cut bool) {
	var b []byte
	for _, t := range tokens {
		if b, cut = AppendLimit(b, t); cut {
			break
		}
	}
	return string(b), cut
}

// AppendLimit appends the reference token t ("/" and t, escaped) to dst, a pointer
// [JoinLimit] could have written, as JoinLimit does: it writes no further than MaxBytes in all
// and reports whether it had to cut, in which case dst is the cut pointer (no more tokens may
// follow). It reads at most MaxBytes bytes of t, so that a caller can keep a pointer to each
// value of a document it walks, one token at a time, at a cost bounded by the limit.
func AppendLimit(dst []byte, t string) ([]byte, bool) {
	if len(dst) >= MaxBytes {
		return dst, true
	}
	dst = append(dst, '/')
	// Each step writes at least one byte or returns, so the loop ends by MaxBytes.
	for i := 0; i < len(t); i++ {
		var esc string
		switch t[i] {
		case '~':
			esc = "~0"
		case '/':
			esc = "~1"
		}
		if esc != "" {
			if len(dst)+2 > MaxBytes {
				return dst, true
			}
			dst = append(dst, esc...)
			continue
		}
		if len(dst)+1 > MaxBytes {
			return dst, true
		}
		if t[i] >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(t[i:])
			if len(dst)+size > MaxBytes || (r == utf8.RuneError && size == 1) {
				// No room for the whole character, or a token already cut inside one
				// by its caller: end here, a valid prefix.
				return dst, true
			}
			dst = append(dst, t[i:i+size]...)
			i += size - 1
			continue
		}
		dst = append(dst, t[i])
	}
	return dst, false
}

// Cut shortens ptr, a pointer already written, to at most MaxBytes bytes as [JoinLimit] would,
// and reports whether it did.
func Cut(ptr string) (string, bool) {
	if len(ptr) <= MaxBytes {
		return ptr, false
	}
	n := MaxBytes
	for n > 0 && !utf8.RuneStart(ptr[n]) {
		n--
	}
	if ptr[n-1] == '~' {
		n-- // do not split an escape
	}
	return ptr[:n], true
}

// Split returns the unescaped tokens of ptr, and false when ptr is neither "" nor starts
// with "/".
func Split(ptr string) ([]string, bool) {
	if ptr == "" {
		return nil, true
	}
	if ptr[0] != '/' {
		return nil, false
	}
	tokens := strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		tokens[i] = unescaper.Replace(t)
	}
	return tokens, true
}

// Lookup returns the value at ptr in doc, a decoded JSON tree, or nil.
func Lookup(doc any, ptr string) any {
	tokens, ok := Split(ptr)
	if !ok {
		return nil
	}
	for _, token := range tokens {
		switch v := doc.(type) {
		case map[string]any:
			doc = v[token]
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			doc = v[i]
		default:
			return nil
		}
	}
	return doc
}
