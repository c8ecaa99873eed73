package carik

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// keyRef is an object key: a span of the body, or (esc) of decoder.keybuf once unescaped.
type keyRef struct {
	off, n int32
	esc    bool
}

// keySet finds keys of one object that are equal, or equal but for case (bytes.EqualFold),
// both refused since parsers disagree on which one counts. Small objects compare keys in
// place; past keySetInline keys, a map of case-folded keys takes over, so that the cost stays
// linear in the number of keys and allocation-free per key.
type keySet struct {
	n      int
	keys   [keySetInline]keyRef
	folded map[uint64][]keyRef // by foldHash
	mark   int                 // length of decoder.keybuf when the object's first escaped key was read
	marked bool
}

const (
	keySetInline = 8
	longKey      = 256
)

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
		h := foldHash(kb)
		for _, old := range ks.folded[h] {
			if ob := d.keyBytes(old); bytes.EqualFold(ob, kb) {
				d.duplicateKey(at, ob, kb)
			}
		}
		ks.folded[h] = append(ks.folded[h], key)
		return
	}
	for _, old := range ks.keys[:ks.n] {
		if ob := d.keyBytes(old); bytes.EqualFold(ob, kb) {
			d.duplicateKey(at, ob, kb)
		}
	}
	// Long keys go to the map at once, so that every long key costs one pass of foldHash,
	// however many keys the object has.
	if ks.n < keySetInline && len(kb) <= longKey {
		ks.keys[ks.n] = key
		ks.n++
		return
	}
	ks.folded = make(map[uint64][]keyRef, 2*keySetInline)
	for _, old := range ks.keys[:ks.n] {
		h := foldHash(d.keyBytes(old))
		ks.folded[h] = append(ks.folded[h], old)
	}
	h := foldHash(kb)
	ks.folded[h] = append(ks.folded[h], key)
}

// duplicateKey fails the scan on key, at offset at, which repeats earlier (or differs from it
// only in case).
func (d *decoder) duplicateKey(at int, earlier, key []byte) {
	if bytes.Equal(earlier, key) {
		d.fail(at, "duplicate key "+excerpt.Quote(string(key))+" in object")
	}
	d.fail(at, "key "+excerpt.Quote(string(key))+" differs only in case from another key of the object")
}

// foldHash hashes key (FNV-1a) so that keys bytes.EqualFold calls equal hash alike: each rune
// counts as the smallest of its case-folding orbit.
func foldHash(key []byte) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); {
		c := key[i]
		r := rune(c)
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				r -= 'a' - 'A'
			}
			i++
		} else {
			var size int
			r, size = utf8.DecodeRune(key[i:])
			i += size
			least := r
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				least = min(least, f)
			}
			r = least
		}
		h = (h ^ uint64(r)) * 1099511628211
	}
	return h
}
