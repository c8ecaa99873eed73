package carik

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// This file is the schema-independent scanner the generated decoders (decode_gen.go) call: it
// reads a body once, checks its syntax as strictly as RFC 8259 and the SDK's rules demand
// (UTF-8, no duplicate keys, no byte-order mark, no raw control bytes, nesting at most
// maxDepth deep) and hands the generated code one value at a time. A syntax error aborts the
// scan at once (a panic of abortScan, recovered by decode); schema violations are collected
// and the scan goes on.

// maxDepth is how deeply arrays and objects may nest, as in encoding/json.
const maxDepth = 10000

// abortScan unwinds the scan after a syntax error, which is in decoder.syntax.
type abortScan struct{}

// jsonKind is the kind of a JSON value.
type jsonKind int8

const (
	kindNull jsonKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// kindNames names each kind with its article, as violation messages write it.
var kindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

// kindOf gives the kind of the value a byte starts, or -1.
var kindOf = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	t['"'], t['{'], t['['], t['-'], t['t'], t['f'], t['n'] = int8(kindString), int8(kindObject), int8(kindArray), int8(kindNumber), int8(kindBool), int8(kindBool), int8(kindNull)
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(kindNumber)
	}
	return t
}()

// decoder is one scan of one body.
type decoder struct {
	b      []byte
	i      int
	strict bool

	syntax *SyntaxError
	found  violations
	// badNumbers counts the numbers the limits refuse; their pointers are found later, on
	// the rare path.
	badNumbers int

	keybuf  []byte    // unescaped keys of the open objects
	arena   []byte    // the current block of the arena (arena.go)
	foldbuf []byte    // scratch space for case-folding a key
	strbuf  []byte    // scratch space for unescaping a string value
	items   itemStack // the elements of the arrays tree is reading (tree.go)
}

// fail records a syntax error at off and aborts the scan.
func (d *decoder) fail(off int, reason string) {
	if d.syntax == nil {
		d.syntax = &SyntaxError{Offset: int64(off), Reason: reason}
	}
	panic(abortScan{})
}

// unexpected reports the byte at d.i, or the end of the body, in the words of encoding/json.
func (d *decoder) unexpected(context string) {
	if d.i >= len(d.b) {
		d.fail(len(d.b), "unexpected end of JSON input")
	}
	msg := "invalid character " + quoteChar(d.b[d.i])
	if context != "" {
		msg += " " + context
	}
	d.fail(d.i, msg)
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("%q", string(rune(c)))
	}
	return "'" + string(c) + "'"
}

// ws skips white space.
func (d *decoder) ws() {
	if i := d.i; i < len(d.b) {
		if c := d.b[i]; c > ' ' {
			return // no space: inlined
		} else if c == ' ' && i+1 < len(d.b) && d.b[i+1] > ' ' {
			d.i = i + 1 // one space, as after a colon or a comma
			return
		}
	}
	d.wsSlow()
}

func (d *decoder) wsSlow() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// kind returns the kind of the value at d.i, failing when no value starts there.
func (d *decoder) kind() jsonKind {
	if d.i < len(d.b) {
		if k := kindOf[d.b[d.i]]; k >= 0 {
			return jsonKind(k)
		}
	}
	d.unexpected("looking for beginning of value")
	return 0
}

// scanString reads the string whose opening quote is at d.i and returns the span of its
// content, and whether it holds escapes.
func (d *decoder) scanString() (start, end int, esc bool) {
	b := d.b
	i := d.i + 1
	start = i
	for {
		// Eight bytes at a time while none is special, then byte by byte.
		for i+8 <= len(b) {
			if m := special(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(b) {
			c := b[i]
			if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
				break
			}
			i++
		}
		if i >= len(b) {
			d.i = i
			d.unexpected("")
		}
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return start, i, esc
		case c == '\\':
			esc = true
			d.i = i
			i = d.skipEscape()
		case c < 0x20:
			d.i = i
			d.unexpected("in string literal")
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				d.i = i
				d.fail(i, "invalid UTF-8 in string")
			}
			i += size
		}
	}
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// special flags each byte of x that is '"', a backslash, a control byte or not ASCII. The lowest
// flag is exact (the borrows of the subtractions only add flags above a true one).
func special(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	s := x ^ (lo8 * '\\')
	return (((q - lo8) &^ q) | ((s - lo8) &^ s) | ((x - lo8*0x20) &^ x) | x) & hi8
}

// skipEscape checks the escape at d.i (a backslash) and returns the index after it.
func (d *decoder) skipEscape() int {
	i := d.i + 1
	if i >= len(d.b) {
		d.i = i
		d.unexpected("")
	}
	switch d.b[i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 1
	case 'u':
		i++
		for range 4 {
			d.i = i
			if i >= len(d.b) {
				d.unexpected("")
			}
			if hexValue(d.b[i]) < 0 {
				d.unexpected("in \\u hexadecimal character escape")
			}
			i++
		}
		return i
	}
	d.i = i
	d.unexpected("in string escape code")
	return 0
}

func hexValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func hex4(s []byte) rune {
	return hexValue(s[0])<<12 | hexValue(s[1])<<8 | hexValue(s[2])<<4 | hexValue(s[3])
}

// unescape appends the content of a checked string to dst, decoded: a valid surrogate pair
// makes one rune, any other surrogate becomes U+FFFD, as in encoding/json.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		i++
		switch s[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[i+1:])
			i += 5
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, hex4(s[i+2:])); dec != utf8.RuneError {
						r2 = dec
						i += 6
					}
				}
				r = r2
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // " \ /
			dst = append(dst, s[i])
		}
		i++
	}
	return dst
}

// stringBytes returns the decoded content of a scanned string: a span of the body, or of
// d.strbuf, valid until the next call.
func (d *decoder) stringBytes(start, end int, esc bool) []byte {
	if !esc {
		return d.b[start:end]
	}
	d.strbuf = unescape(d.strbuf[:0], d.b[start:end])
	return d.strbuf
}

// literal reads true, false or null.
func (d *decoder) literal(word string) {
	for j := 0; j < len(word); j++ {
		if d.i >= len(d.b) || d.b[d.i] != word[j] {
			d.unexpected("in literal " + word + " (expecting '" + word[j:j+1] + "')")
		}
		d.i++
	}
}

// scanNumber reads the number at d.i and returns its span. A number the limits refuse is
// counted, not fatal: it is reported as a violation.
func (d *decoder) scanNumber() (start, end int) {
	b := d.b
	i := d.i
	start = i
	if b[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		d.i = i
		d.unexpected("in numeric literal")
	}
	plain := true
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			d.i = i
			d.unexpected("after decimal point in numeric literal")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		plain = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.i = i
			d.unexpected("in exponent of numeric literal")
		}
	}
	d.i = i
	// The text is only read during the call: it may alias the body.
	if n := i - start; (n > 15 || !plain) && numberFault(unsafe.String(&b[start], n)) != numberOK {
		d.badNumbers++
	}
	return start, i
}

// skip checks the value at d.i without keeping it and returns its span. depth is the nesting
// of the value's container.
func (d *decoder) skip(depth int) (start, end int) {
	start = d.i
	switch d.kind() {
	case kindString:
		d.scanString()
	case kindNumber:
		d.scanNumber()
	case kindObject:
		d.openObject(depth + 1)
		var ks keySet
		if d.objectHasMembers() {
			for {
				d.objectKey(&ks)
				d.skip(depth + 1)
				if !d.objectNext() {
					break
				}
			}
		}
		d.closeObject(&ks)
	case kindArray:
		if d.openArray(depth + 1) {
			for {
				d.skip(depth + 1)
				if !d.arrayNext() {
					break
				}
			}
		}
	case kindBool:
		if d.b[d.i] == 't' {
			d.literal("true")
		} else {
			d.literal("false")
		}
	case kindNull:
		d.literal("null")
	}
	return start, d.i
}

// openObject enters the object at d.i, at nesting depth.
func (d *decoder) openObject(depth int) {
	if depth > maxDepth {
		d.fail(d.i, "exceeded max depth")
	}
	d.i++
	d.ws()
}

// objectHasMembers reports whether the object just opened has members; for an empty one it
// reads the closing brace.
func (d *decoder) objectHasMembers() bool {
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return false
	}
	return true
}

// objectKey reads a member's key and the colon after it, and returns the key, unescaped,
// valid until the object is closed. A key equal to an earlier one of the object, or differing
// from it only in case, is a syntax error.
func (d *decoder) objectKey(ks *keySet) []byte {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		d.unexpected("looking for beginning of object key string")
	}
	at := d.i
	s, e, esc := d.scanString()
	var key keyRef
	if !esc {
		key = keyRef{off: int32(s), n: int32(e - s), first: firstFolded(d.b[s:e])}
	} else {
		if !ks.marked {
			ks.mark, ks.marked = len(d.keybuf), true
		}
		off := len(d.keybuf)
		d.keybuf = unescape(d.keybuf, d.b[s:e])
		key = keyRef{off: int32(off), n: int32(len(d.keybuf) - off), esc: true, first: firstFolded(d.keybuf[off:])}
	}
	kb := d.keyBytes(key)
	d.addKey(ks, key, kb, at)
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != ':' {
		d.unexpected("after object key")
	}
	d.i++
	d.ws()
	return kb
}

// objectNext reads what follows a member: ',' (true, another member follows) or '}'.
func (d *decoder) objectNext() bool {
	d.ws()
	if d.i >= len(d.b) {
		d.unexpected("")
	}
	switch d.b[d.i] {
	case ',':
		d.i++
		d.ws()
		return true
	case '}':
		d.i++
		return false
	}
	d.unexpected("after object key:value pair")
	return false
}

// closeObject releases the keys the object kept.
func (d *decoder) closeObject(ks *keySet) {
	if ks.marked {
		d.keybuf = d.keybuf[:ks.mark]
	}
}

// openArray enters the array at d.i and reports whether it has elements.
func (d *decoder) openArray(depth int) bool {
	if depth > maxDepth {
		d.fail(d.i, "exceeded max depth")
	}
	d.i++
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return false
	}
	return true
}

// arrayNext reads what follows an element: ',' (true) or ']'.
func (d *decoder) arrayNext() bool {
	d.ws()
	if d.i >= len(d.b) {
		d.unexpected("")
	}
	switch d.b[d.i] {
	case ',':
		d.i++
		d.ws()
		return true
	case ']':
		d.i++
		return false
	}
	d.unexpected("after array element")
	return false
}

// byteOrderMark is UTF-8's, which RFC 8259 forbids at the start of a JSON text.
var byteOrderMark = []byte{0xEF, 0xBB, 0xBF}

// syntaxError words a scan's syntax error for the caller.
func (d *decoder) syntaxError() *SyntaxError {
	se := *d.syntax
	switch {
	case len(bytes.TrimLeft(d.b, " \t\r\n")) == 0:
		return &SyntaxError{Offset: 0, Reason: "empty body"}
	case se.Offset == int64(len(d.b)):
		se.Reason += " (truncated body)"
	}
	se.Pointer = pointerAt(d.b, se.Offset)
	return &se
}
