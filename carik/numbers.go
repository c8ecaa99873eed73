package carik

import (
	"strconv"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// numberViolations lists the numbers of body (already checked: valid JSON) that the limits
// refuse; bad is how many the scan counted. It is the rare path. When they all fit in the list,
// a second scan finds their pointers, allocating only for them; past MaxViolations, which ones
// are listed must not depend on member order, so the body is decoded into a tree and walked in
// key order.
func numberViolations(body []byte, bad int) []Violation {
	var found []Violation
	if bad <= MaxViolations {
		w := numberWalk{d: decoder{b: body}}
		w.d.ws()
		w.walk(0)
		found = w.found
	} else {
		d := decoder{b: body}
		d.ws()
		c := numberCheck{path: make([]string, 0, 8)}
		c.walk(d.tree(0))
		found = c.found
	}
	sortViolations(found)
	return limitViolations(found, bad)
}

// numberWalk scans a body for the numbers the limits refuse, keeping the path to each value.
type numberWalk struct {
	d     decoder
	path  []step
	found []Violation
}

// step is one token of a path: a key (bytes valid while its object is open) or an index.
type step struct {
	key   []byte
	index int
}

func (w *numberWalk) walk(depth int) {
	d := &w.d
	switch d.kind() {
	case kindNumber:
		s, e := d.scanNumber()
		if msg := numberProblem(string(d.b[s:e])); msg != "" {
			path, cut := w.pointer()
			if cut {
				msg += jsonpointer.CutNote
			}
			w.found = append(w.found, Violation{Path: path, Message: msg})
		}
	case kindObject:
		d.openObject(depth + 1)
		var ks keySet
		if d.objectHasMembers() {
			for {
				w.path = append(w.path, step{key: d.objectKey(&ks)})
				w.walk(depth + 1)
				w.path = w.path[:len(w.path)-1]
				if !d.objectNext() {
					break
				}
			}
		}
		d.closeObject(&ks)
	case kindArray:
		if d.openArray(depth + 1) {
			for i := 0; ; i++ {
				w.path = append(w.path, step{index: i})
				w.walk(depth + 1)
				w.path = w.path[:len(w.path)-1]
				if !d.arrayNext() {
					break
				}
			}
		}
	default:
		d.skip(depth)
	}
}

// pointer writes the current path as a pointer cut to MaxPathBytes, reading no more of the
// path than can show, so that a deep or long path costs no more than the limit.
func (w *numberWalk) pointer() (string, bool) {
	tokens := make([]string, 0, min(len(w.path), 16))
	size := 0
	for _, s := range w.path {
		if size > MaxPathBytes {
			break // the pointer is cut before this token anyway
		}
		var t string
		if s.key != nil {
			k := s.key
			if len(k) > MaxPathBytes+1 {
				k = k[:MaxPathBytes+1]
			}
			t = string(k)
		} else {
			t = strconv.Itoa(s.index)
		}
		tokens = append(tokens, t)
		size += 1 + len(t)
	}
	return jsonpointer.JoinLimit(tokens)
}
