package jsontree

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold returns the form of key that every key equal to it under Unicode case folding (as
// strings.EqualFold, and so encoding/json's field matching, sees it) shares. A key of lower-case
// ASCII, the common case, is its own folded form and costs no allocation.
func fold(key string) string {
	i := 0
	for ; i < len(key); i++ {
		c := key[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			break
		}
	}
	if i == len(key) {
		return key
	}
	var b strings.Builder
	b.Grow(len(key))
	b.WriteString(key[:i])
	for _, r := range key[i:] {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune maps every rune of a case-folding orbit to one of them: the lower-case ASCII letter
// when the orbit has one (K, k and the Kelvin sign all give k), else the smallest rune.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	if 'A' <= least && least <= 'Z' {
		return least + 'a' - 'A'
	}
	return least
}
