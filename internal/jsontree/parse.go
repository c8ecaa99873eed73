package jsontree

import (
	"encoding/json"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// MaxDepth is how deeply arrays and objects may nest, as in encoding/json.
const MaxDepth = 10000

// SyntaxError reports input that is not one valid JSON value.
type SyntaxError struct {
	// Offset is the index of the offending byte, or the input's length when it ends early.
	Offset int
	// Msg says what is wrong there.
	Msg string
}

// Error returns the message.
func (e *SyntaxError) Error() string { return e.Msg }

// Parse decodes data, one JSON value (RFC 8259) with optional white space around it, into the
// tree encoding/json gives for an any with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. It is stricter than encoding/json where that one would hand back
// something other than what the bytes say: invalid UTF-8 and duplicate object keys are
// errors, not silently replaced or overwritten. Otherwise it accepts exactly what
// encoding/json accepts and returns the same tree (a fuzz test checks both).
//
// The SDK parses every body with it because encoding/json's decoding into an any was the
// largest cost of carik.Parse in profiles, and because it cannot report duplicate keys.
func Parse(data []byte) (any, error) {
	p := parser{data: data}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.data) {
		return nil, p.errorf("unexpected data after the JSON value")
	}
	return v, nil
}

type parser struct {
	data []byte
	i    int
	buf  []byte // scratch space for strings with escapes
}

func (p *parser) errorf(format string, a ...any) error {
	return &SyntaxError{Offset: p.i, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) unexpected(context string) error {
	if p.i >= len(p.data) {
		return &SyntaxError{Offset: len(p.data), Msg: "unexpected end of JSON input"}
	}
	return p.errorf("invalid character %s %s", quoteChar(p.data[p.i]), context)
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

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if p.i >= len(p.data) {
		return nil, p.unexpected("")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	default:
		return nil, p.unexpected("looking for beginning of value")
	}
}

func (p *parser) literal(word string) error {
	for j := 0; j < len(word); j++ {
		if p.i >= len(p.data) || p.data[p.i] != word[j] {
			return p.unexpected("in literal " + word + " (expecting '" + word[j:j+1] + "')")
		}
		p.i++
	}
	return nil
}

func (p *parser) object(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errorf("exceeded max depth")
	}
	p.i++ // {
	obj := map[string]any{}
	var folded map[string]bool // the folded forms of the keys that are not their own
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return obj, nil
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.unexpected("looking for beginning of object key string")
		}
		keyAt := p.i
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if _, dup := obj[key]; dup {
			return nil, &SyntaxError{Offset: keyAt, Msg: fmt.Sprintf("duplicate key %s in object", excerpt.Quote(key))}
		}
		// Keys that differ only in case are refused too: encoding/json matches struct fields
		// case-insensitively, so a user decoding the raw bytes would see another value.
		if f := fold(key); f != key {
			if _, clash := obj[f]; clash || folded[f] {
				return nil, p.caseClash(keyAt, key)
			}
			if folded == nil {
				folded = map[string]bool{}
			}
			folded[f] = true
		} else if folded[f] {
			return nil, p.caseClash(keyAt, key)
		}
		p.skipSpace()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.unexpected("after object key")
		}
		p.i++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, p.unexpected("")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			return obj, nil
		default:
			return nil, p.unexpected("after object key:value pair")
		}
	}
}

func (p *parser) caseClash(keyAt int, key string) error {
	return &SyntaxError{Offset: keyAt, Msg: fmt.Sprintf("key %s differs only in case from another key of the object", excerpt.Quote(key))}
}

func (p *parser) array(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errorf("exceeded max depth")
	}
	p.i++ // [
	arr := []any{}
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return arr, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, p.unexpected("")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case ']':
			p.i++
			return arr, nil
		default:
			return nil, p.unexpected("after array element")
		}
	}
}

func (p *parser) number() (any, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case digits() == 0:
		return nil, p.unexpected("in numeric literal")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.unexpected("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.unexpected("in exponent of numeric literal")
		}
	}
	return json.Number(p.data[start:p.i]), nil
}

// str reads a string; p.data[p.i] is its opening quote.
func (p *parser) str() (string, error) {
	p.i++
	start := p.i
	// Fast path: ASCII without escapes, the common case, is one slice and one allocation.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := string(p.data[start:p.i])
			p.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		p.i++
	}
	p.buf = append(p.buf[:0], p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(p.buf), nil
		case c < 0x20:
			return "", p.unexpected("in string literal")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid UTF-8 in string")
			}
			p.buf = append(p.buf, p.data[p.i:p.i+size]...)
			p.i += size
		case c == '\\':
			if err := p.escape(); err != nil {
				return "", err
			}
		default:
			p.buf = append(p.buf, c)
			p.i++
		}
	}
	return "", p.unexpected("")
}

// escape decodes one escape sequence at p.i into p.buf.
func (p *parser) escape() error {
	p.i++ // backslash
	if p.i >= len(p.data) {
		return p.unexpected("")
	}
	c := p.data[p.i]
	switch c {
	case '"', '\\', '/':
		p.buf = append(p.buf, c)
	case 'b':
		p.buf = append(p.buf, '\b')
	case 'f':
		p.buf = append(p.buf, '\f')
	case 'n':
		p.buf = append(p.buf, '\n')
	case 'r':
		p.buf = append(p.buf, '\r')
	case 't':
		p.buf = append(p.buf, '\t')
	case 'u':
		p.i++
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// A valid pair makes one rune; anything else is U+FFFD, as encoding/json does.
			r2 := utf8.RuneError
			if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
				save := p.i
				p.i += 2
				second, err := p.hex4()
				if err != nil {
					return err
				}
				if dec := utf16.DecodeRune(r, second); dec != utf8.RuneError {
					r2 = dec
				} else {
					p.i = save // the second escape stands on its own
				}
			}
			r = r2
		}
		p.buf = utf8.AppendRune(p.buf, r)
		return nil
	default:
		return p.unexpected("in string escape code")
	}
	p.i++
	return nil
}

// hex4 reads the four hex digits of a \u escape.
func (p *parser) hex4() (rune, error) {
	var r rune
	for range 4 {
		if p.i >= len(p.data) {
			return 0, p.unexpected("")
		}
		c := p.data[p.i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, p.unexpected("in \\u hexadecimal character escape")
		}
		r = r*16 + rune(c)
		p.i++
	}
	return r, nil
}
