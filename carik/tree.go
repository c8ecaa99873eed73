package carik

import "encoding/json"

// tree reads the value at d.i as encoding/json decodes into an any with UseNumber:
// map[string]any, []any, string, json.Number, bool or nil. depth is the nesting of the
// value's container. It is how open data (module and unknown events) is kept, and what it
// allocates is what that data costs: the strings, numbers and keys go to the arena, and each
// array is gathered on the decoder's items stack, then copied once into a slice of its exact
// length (appending to the slice itself would leave a trail of ever larger copies behind).
func (d *decoder) tree(depth int) any {
	switch d.kind() {
	case kindString:
		s, e, esc := d.scanString()
		return d.keepString(d.stringBytes(s, e, esc))
	case kindNumber:
		s, e := d.scanNumber()
		return json.Number(d.keepString(d.b[s:e]))
	case kindObject:
		d.openObject(depth + 1)
		obj := map[string]any{}
		var ks keySet
		if d.objectHasMembers() {
			for {
				key := d.keepString(d.objectKey(&ks))
				obj[key] = d.tree(depth + 1)
				if !d.objectNext() {
					break
				}
			}
		}
		d.closeObject(&ks)
		return obj
	case kindArray:
		base := d.items.n
		if d.openArray(depth + 1) {
			for {
				d.items.push(d.tree(depth + 1))
				if !d.arrayNext() {
					break
				}
			}
		}
		return d.items.pop(base)
	case kindBool:
		if d.b[d.i] == 't' {
			d.literal("true")
			return true
		}
		d.literal("false")
		return false
	}
	d.literal("null")
	return nil
}

// itemStack holds the elements of the arrays being read, in chunks that are never copied or
// freed during a parse: the stack costs its largest size, once.
type itemStack struct {
	chunks [][]any
	n      int
}

const itemChunk = 256

func (s *itemStack) push(v any) {
	c := s.n / itemChunk
	if c == len(s.chunks) {
		s.chunks = append(s.chunks, make([]any, itemChunk))
	}
	s.chunks[c][s.n%itemChunk] = v
	s.n++
}

// pop removes the elements from base up and returns them in a slice of their exact length.
func (s *itemStack) pop(base int) []any {
	out := make([]any, s.n-base)
	for k := range out {
		slot := &s.chunks[(base+k)/itemChunk][(base+k)%itemChunk]
		out[k], *slot = *slot, nil
	}
	s.n = base
	return out
}
