// Package jsonpointer writes, splits and follows RFC 6901 JSON pointers ("/data/status"), the
// one way every part of the SDK names a place in a payload.
package jsonpointer

import (
	"strconv"
	"strings"
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
