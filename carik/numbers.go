package carik

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// numberViolations lists the numbers of body (already checked: valid JSON) that the limits
// refuse; bad is how many the scan counted. It is the rare path: a second scan finds their
// pointers, allocating only for them. It walks each object's members in key order (and stops at
// MaxViolations), so that which ones are listed does not depend on member order; it builds no
// tree, so that its cost stays that of a scan.
func numberViolations(body []byte, bad int) []Violation {
	w := numberWalk{d: decoder{b: body}}
	w.d.ws()
	w.walk(0)
	sortViolations(w.found)
	return limitViolations(w.found, bad)
}

// numberWalk scans a body for the numbers the limits refuse, keeping the path to each value.
type numberWalk struct {
	d     decoder
	path  []step
	found []Violation
	// members is a stack of the members of the objects being walked, each object's sorted by
	// key before its values are walked.
	members []member
}

// member is an object member: its key (bytes valid while its object is walked) and where its
// value starts.
type member struct {
	key []byte
	at  int
}

// step is one token of a path: a key (bytes valid while its object is open) or an index.
type step struct {
	key   []byte
	index int
}

func (w *numberWalk) walk(depth int) {
	d := &w.d
	if len(w.found) >= MaxViolations {
		d.skip(depth) // enough are listed; the count says how many more
		return
	}
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
		base := len(w.members)
		if d.objectHasMembers() {
			for {
				key := d.objectKey(&ks)
				w.members = append(w.members, member{key: key, at: d.i})
				d.skip(depth + 1)
				if !d.objectNext() {
					break
				}
			}
		}
		end := d.i
		slices.SortFunc(w.members[base:], func(a, b member) int { return bytes.Compare(a.key, b.key) })
		// The walks below push their own members above base and pop them: index, do not range.
		for i, n := base, len(w.members); i < n; i++ {
			m := w.members[i]
			d.i = m.at
			w.path = append(w.path, step{key: m.key})
			w.walk(depth + 1)
			w.path = w.path[:len(w.path)-1]
		}
		w.members = w.members[:base]
		d.i = end
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
