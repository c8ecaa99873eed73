package carik

import (
	"bytes"
	"hash/maphash"
	"unicode"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// keyRef is an object key: a span of the body, or (esc) of decoder.keybuf once unescaped.
type keyRef struct {
	off, n int32
	esc    bool
	first  byte // firstFolded of the key
}

// firstFolded is the key's first byte in lower case when it is ASCII, 0xFF when it is not, and
// 0 for the empty key: two keys whose firstFolded differ, neither 0xFF, differ under
// bytes.EqualFold too.
func firstFolded(key []byte) byte {
	switch {
	case len(key) == 0:
		return 0
	case key[0] >= utf8.RuneSelf:
		return 0xFF
	case 'A' <= key[0] && key[0] <= 'Z':
		return key[0] + 'a' - 'A'
	}
	return key[0]
}

// mayFoldEqual tells from their first bytes whether two keys may be equal under
// bytes.EqualFold.
func mayFoldEqual(a, b keyRef) bool {
	return a.first == b.first || a.first == 0xFF || b.first == 0xFF
}

// keySet finds keys of one object that are equal, or equal but for case (bytes.EqualFold),
// both refused since parsers disagree on which one counts. Small objects compare keys in
// place; past keySetInline keys, or from the first long key, a map by a seeded hash of the
// case-folded key takes over, so that the cost stays linear in the bytes of the keys.
type keySet struct {
	n      int
	keys   [keySetInline]keyRef
	folded map[uint64]keyRef
	clash  []keyRef // keys whose hash another key of the object already had (rare)
	mark   int      // length of decoder.keybuf when the object's first escaped key was read
	marked bool
}

const (
	keySetInline = 16
	longKey      = 256
)

// foldSeed seeds foldHash, so that no one can choose keys that collide.
var foldSeed = maphash.MakeSeed()

func (d *decoder) keyBytes(k keyRef) []byte {
	if k.esc {
		return d.keybuf[k.off : k.off+k.n]
	}
	return d.b[k.off : k.off+k.n]
}

// addKey adds key (whose bytes are kb and which starts at the body's offset at) to ks, or
// fails the scan when the object already has it.
func (d *decoder) addKey(ks *keySet, key keyRef, kb []byte, at int) {
	if ks.folded == nil {
		for _, old := range ks.keys[:ks.n] {
			if mayFoldEqual(old, key) {
				if ob := d.keyBytes(old); bytes.EqualFold(ob, kb) {
					d.duplicateKey(at, ob, kb)
				}
			}
		}
		if ks.n < keySetInline && len(kb) <= longKey {
			ks.keys[ks.n] = key
			ks.n++
			return
		}
		ks.folded = make(map[uint64]keyRef, 2*keySetInline)
		for _, old := range ks.keys[:ks.n] {
			ks.insert(old, d.foldHash(d.keyBytes(old)))
		}
		ks.insert(key, d.foldHash(kb))
		return
	}
	h := d.foldHash(kb)
	if old, ok := ks.folded[h]; ok {
		if ob := d.keyBytes(old); bytes.EqualFold(ob, kb) {
			d.duplicateKey(at, ob, kb)
		}
		for _, other := range ks.clash {
			if ob := d.keyBytes(other); bytes.EqualFold(ob, kb) {
				d.duplicateKey(at, ob, kb)
			}
		}
	}
	ks.insert(key, h)
}

func (ks *keySet) insert(key keyRef, h uint64) {
	if _, taken := ks.folded[h]; taken {
		ks.clash = append(ks.clash, key)
		return
	}
	ks.folded[h] = key
}

// foldHash hashes key so that keys bytes.EqualFold calls equal hash alike: each rune counts as
// the smallest of its case-folding orbit.
func (d *decoder) foldHash(key []byte) uint64 {
	d.foldbuf = foldKey(d.foldbuf[:0], key)
	return maphash.Bytes(foldSeed, d.foldbuf)
}

// duplicateKey fails the scan on key, at offset at, which repeats earlier (or differs from it
// only in case).
func (d *decoder) duplicateKey(at int, earlier, key []byte) {
	if bytes.Equal(earlier, key) {
		d.fail(at, "duplicate key "+excerpt.Quote(string(key))+" in object")
	}
	d.fail(at, "key "+excerpt.Quote(string(key))+" differs only in case from another key of the object")
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
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		dst = utf8.AppendRune(dst, least)
	}
	return dst
}
