package carik

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// keyRef is an object key: a span of the body, or (esc) of decoder.keybuf once unescaped.
type keyRef struct {
	off, n int32
	esc    bool
}

// keySet finds keys of one object that are equal, or equal but for case (bytes.EqualFold),
// both refused since parsers disagree on which one counts. Small objects compare keys in
// place; past keySetInline keys, a map of case-folded keys takes over, so that the cost stays
// linear in the number of keys.
type keySet struct {
	n      int
	keys   [keySetInline]keyRef
	folded map[string]keyRef
	mark   int // length of decoder.keybuf when the object's first escaped key was read
	marked bool
}

const keySetInline = 8

func (d *decoder) keyBytes(k keyRef) []byte {
	if k.esc {
		return d.keybuf[k.off : k.off+k.n]
	}
	return d.b[k.off : k.off+k.n]
}

// addKey adds key (whose bytes are kb and which starts at the body's offset at) to ks, or
// fails the scan when the object already has it.
func (d *decoder) addKey(ks *keySet, key keyRef, kb []byte, at int) {
	if ks.folded != nil {
		f := string(foldKey(nil, kb))
		if old, dup := ks.folded[f]; dup {
			d.duplicateKey(at, d.keyBytes(old), kb)
		}
		ks.folded[f] = key
		return
	}
	for _, old := range ks.keys[:ks.n] {
		if ob := d.keyBytes(old); bytes.EqualFold(ob, kb) {
			d.duplicateKey(at, ob, kb)
		}
	}
	if ks.n < keySetInline {
		ks.keys[ks.n] = key
		ks.n++
		return
	}
	ks.folded = make(map[string]keyRef, 2*keySetInline)
	for _, old := range ks.keys[:ks.n] {
		ks.folded[string(foldKey(nil, d.keyBytes(old)))] = old
	}
	ks.folded[string(foldKey(nil, kb))] = key
}

// duplicateKey fails the scan on key, at offset at, which repeats earlier (or differs from it
// only in case).
func (d *decoder) duplicateKey(at int, earlier, key []byte) {
	if bytes.Equal(earlier, key) {
		d.fail(at, "duplicate key "+quoteInput(key)+" in object")
	}
	d.fail(at, "duplicate key "+quoteInput(key)+" in object: it differs from "+quoteInput(earlier)+" only in case")
}

// foldKey appends to dst a form of key that is the same for two keys exactly when
// bytes.EqualFold says they are equal: each rune replaced by the smallest of its case-folding
// orbit.
func foldKey(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(key[i:])
		i += size
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		dst = utf8.AppendRune(dst, min)
	}
	return dst
}
