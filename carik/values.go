package carik

import (
	"encoding/json"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// This file holds the value readers the generated decoders call: each reads one value, checks
// the keywords of its schema (a rule generated from it) and returns what the Go field gets.

// stringRule is the compiled form of a {"type": "string"} schema.
type stringRule struct {
	// minLength is the schema's minLength, in characters.
	minLength int
	// known lists the documented values (x-known-values): a value among them is returned as
	// the constant, without allocating.
	known []string
	// enum, when set, lists the only values allowed (enum, or const when isConst);
	// strictEnum those allowed in strict mode (x-known-values with x-strict), where it
	// replaces enum, as schema.Strict does.
	enum       []string
	isConst    bool
	strictEnum []string
}

// readString reads a value that must be a string. It reports what breaks r at path and
// returns the string and true, or false when the value is not a string. depth is the nesting
// of the value's container.
func (d *decoder) readString(path string, depth int, r *stringRule) (string, bool) {
	k := d.kind()
	if k != kindString {
		// As in the reference validators, a value of the wrong type breaks its type only.
		d.wrongType(path, "string", k)
		d.skip(depth)
		return "", false
	}
	s, e, esc := d.scanString()
	v := d.stringBytes(s, e, esc)
	replaced := d.strict && r.strictEnum != nil
	inEnum := r.enum == nil || replaced || contains(r.enum, v)
	inStrict := !replaced || contains(r.strictEnum, v)
	if !inEnum || !inStrict {
		d.enumMismatch(path, r, describeString(string(v)), inEnum, inStrict)
	}
	// Each keyword is checked on its own, as the reference validators do: a value can break
	// an enum and minLength at once.
	if r.minLength > 0 && len(v) < utf8.UTFMax*r.minLength {
		if n := utf8.RuneCount(v); n < r.minLength {
			d.tooShort(path, r.minLength, n)
		}
	}
	for _, known := range r.known {
		if string(v) == known {
			return known, true
		}
	}
	return d.keepString(v), true
}

func contains(list []string, v []byte) bool {
	for _, s := range list {
		if string(v) == s {
			return true
		}
	}
	return false
}

// enumMismatch reports the enums of r that a value breaks; found describes the value.
func (d *decoder) enumMismatch(path string, r *stringRule, found string, inEnum, inStrict bool) {
	if r.enum != nil && !inEnum {
		d.notInEnum(path, r.enum, r.isConst, found)
	}
	if d.strict && r.strictEnum != nil && !inStrict {
		d.notInEnum(path, r.strictEnum, false, found)
	}
}

// numberRule is the compiled form of a {"type": "number"} schema.
type numberRule struct {
	minimum, maximum *bound
}

// bound is a minimum or a maximum: its exact value and its text for messages.
type bound struct {
	text  string  // as JSON writes it
	f     float64 // the nearest float64
	exact bool    // f is the bound exactly
}

// readNumber reads a value that must be a number, as its exact text.
func (d *decoder) readNumber(path string, depth int, r *numberRule) (json.Number, bool) {
	k := d.kind()
	if k != kindNumber {
		d.wrongType(path, "number", k)
		d.skip(depth)
		return "", false
	}
	bad := d.badNumbers
	s, e := d.scanNumber()
	if d.badNumbers != bad {
		return "", false // reported with the other numbers the limits refuse
	}
	text := d.keepString(d.b[s:e])
	if r.minimum != nil && compareBound(text, r.minimum) < 0 {
		d.found.add(path, "expected at least "+r.minimum.text+", found "+describeNumber(text))
	}
	if r.maximum != nil && compareBound(text, r.maximum) > 0 {
		d.found.add(path, "expected at most "+r.maximum.text+", found "+describeNumber(text))
	}
	return json.Number(text), true
}

// compareBound compares a number the limits accept with a bound, exactly: float64 first, and
// in decimal when the float64 cannot tell.
func compareBound(text string, b *bound) int {
	f, err := strconv.ParseFloat(text, 64)
	if err == nil && b.exact {
		switch {
		case f < b.f:
			return -1
		case f > b.f:
			return 1
		}
	}
	x, ok := new(big.Rat).SetString(text)
	y, ok2 := new(big.Rat).SetString(b.text)
	if !ok || !ok2 {
		return 0
	}
	return x.Cmp(y)
}

// readBool reads a value that must be a boolean.
func (d *decoder) readBool(path string, depth int) (bool, bool) {
	k := d.kind()
	if k != kindBool {
		d.wrongType(path, "boolean", k)
		d.skip(depth)
		return false, false
	}
	if d.b[d.i] == 't' {
		d.literal("true")
		return true, true
	}
	d.literal("false")
	return false, true
}

// keepExtra reads the value of a member the schema does not declare into extra, checked and
// copied (so that it does not alias the body).
func (d *decoder) keepExtra(extra *map[string]json.RawMessage, key []byte, depth int) {
	k := d.keepString(key)
	s, e := d.skip(depth)
	if *extra == nil {
		*extra = make(map[string]json.RawMessage, 4)
	}
	(*extra)[k] = d.keep(d.b[s:e])
}
