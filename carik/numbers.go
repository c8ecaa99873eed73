package carik

import (
	"bytes"
	"strconv"
	"unsafe"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// numberViolations lists the numbers of body (already checked: valid JSON) that the limits
// refuse; bad is how many the scan counted. It is the rare path: a second scan, in document
// order and building no tree, finds them. It keeps only those that can be listed (the first
// MaxViolations, within maxViolationBytes) in the order violations are listed (path, then
// message), so that which ones are listed does not depend on member order. Its cost stays that of a scan: the pointer of the value being walked
// is kept up to date one token at a time (and never grows past MaxPathBytes), so a refused
// number costs a comparison with the kept ones, however long or deep its path.
func numberViolations(body []byte, bad int) []Violation {
	w := numberWalk{d: decoder{b: body}}
	w.d.ws()
	w.walk(0)
	found := make([]Violation, len(w.kept.list))
	for i, k := range w.kept.list {
		found[i] = Violation{Path: string(k.path), Message: string(k.msg)}
	}
	sortViolations(found)
	return limitViolations(found, bad)
}

// pointerAt returns the pointer of the value being read where a scan of body fails, at offset
// off: the rare path of a syntax error, a second scan that keeps the pointer as it goes. It is
// "" at the top level, or when the second scan does not fail there.
func pointerAt(body []byte, off int64) (ptr string) {
	w := numberWalk{d: decoder{b: body}, pathOnly: true}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abortScan); !ok {
				panic(r)
			}
			if w.d.syntax.Offset == off {
				ptr = string(w.ptr)
			}
		}
	}()
	w.d.ws()
	w.walk(0)
	return ""
}

// numberWalk scans a body for the numbers the limits refuse, keeping the pointer to each value.
type numberWalk struct {
	d decoder
	// ptr is the pointer of the value being walked, cut to MaxPathBytes; steps counts its
	// tokens, and cutAt is the step at which it was cut (0 when it was not): deeper steps add
	// nothing to it.
	ptr          []byte
	steps, cutAt int
	msg          []byte   // scratch space for a message
	num          [20]byte // scratch space for an array index
	kept         keptNumbers
	spare        keptNumber // the buffers of the last one kept pushed out
	pathOnly     bool       // only the pointer matters (pointerAt): numbers are not checked
}

func (w *numberWalk) walk(depth int) {
	d := &w.d
	switch d.kind() {
	case kindNumber:
		s, e := d.scanNumber()
		// The text is only read during the call: it aliases the body.
		if w.pathOnly {
			break
		}
		if fault := numberFault(unsafe.String(&d.b[s], e-s)); fault != numberOK {
			w.refused(fault, d.b[s:e])
		}
	case kindObject:
		d.openObject(depth + 1)
		var ks keySet
		if d.objectHasMembers() {
			for {
				key := d.objectKey(&ks) // valid until the object is closed
				mark := w.push(unsafe.String(unsafe.SliceData(key), len(key)))
				w.walk(depth + 1)
				w.pop(mark)
				if !d.objectNext() {
					break
				}
			}
		}
		d.closeObject(&ks)
	case kindArray:
		if d.openArray(depth + 1) {
			for i := 0; ; i++ {
				index := strconv.AppendInt(w.num[:0], int64(i), 10)
				mark := w.push(unsafe.String(&index[0], len(index)))
				w.walk(depth + 1)
				w.pop(mark)
				if !d.arrayNext() {
					break
				}
			}
		}
	default:
		d.skip(depth)
	}
}

// push adds a token to the pointer and returns what pop needs to remove it. Only as much of the
// token as can show is read, so that the cost does not grow with a long key.
func (w *numberWalk) push(token string) (mark int) {
	mark = len(w.ptr)
	w.steps++
	if w.cutAt == 0 {
		if len(token) > MaxPathBytes+1 {
			token = token[:MaxPathBytes+1] // the pointer is cut before the end of this prefix anyway
		}
		var cut bool
		if w.ptr, cut = jsonpointer.AppendLimit(w.ptr, token); cut {
			w.cutAt = w.steps
		}
	}
	return mark
}

// pop removes the last token pushed.
func (w *numberWalk) pop(mark int) {
	if w.cutAt == w.steps {
		w.cutAt = 0
	}
	w.steps--
	w.ptr = w.ptr[:mark]
}

// refused records a number the limits refuse at the current pointer, if it can be listed: among
// the MaxViolations first violations, within maxViolationBytes.
func (w *numberWalk) refused(fault int, n []byte) {
	w.msg = appendNumberProblem(w.msg[:0], fault, n)
	if w.cutAt != 0 {
		w.msg = append(w.msg, jsonpointer.CutNote...)
	}
	// The kept ones are a heap, the last listed on top. A number that comes after it when no
	// more can be listed is dropped; one that comes before pushes it out once it cannot be
	// listed any more.
	k := &w.kept
	size := len(w.ptr) + len(w.msg)
	if len(k.list) > 0 {
		top := k.list[0]
		full := len(k.list) == MaxViolations || k.bytes+size > maxViolationBytes
		if full && compareListed(w.ptr, w.msg, top.path, top.msg) >= 0 {
			return
		}
	}
	// The buffers of the one pushed out are reused, so that a number costs no allocation.
	keep := w.spare
	keep.path = append(keep.path[:0], w.ptr...)
	keep.msg = append(keep.msg[:0], w.msg...)
	w.spare = keptNumber{}
	k.push(keep)
	for len(k.list) > MaxViolations || k.bytes > maxViolationBytes {
		w.spare = k.pop()
	}
}

// keptNumber is a violation keptNumbers holds: its path and message.
type keptNumber struct{ path, msg []byte }

// keptNumbers holds the violations that may be listed, as a heap with the last one in the
// order they are listed on top; bytes is the sum of their paths and messages.
type keptNumbers struct {
	list  []keptNumber
	bytes int
}

// compareListed compares two violations in the order sortViolations lists them.
func compareListed(path1, msg1, path2, msg2 []byte) int {
	if c := bytes.Compare(path1, path2); c != 0 {
		return c
	}
	return bytes.Compare(msg1, msg2)
}

// before tells whether kept number i is listed after j: the heap's order.
func (k *keptNumbers) before(i, j int) bool {
	a, b := &k.list[i], &k.list[j]
	return compareListed(a.path, a.msg, b.path, b.msg) > 0
}

// push adds n to the heap.
func (k *keptNumbers) push(n keptNumber) {
	k.list = append(k.list, n)
	k.bytes += len(n.path) + len(n.msg)
	for i := len(k.list) - 1; i > 0; {
		parent := (i - 1) / 2
		if !k.before(i, parent) {
			break
		}
		k.list[i], k.list[parent] = k.list[parent], k.list[i]
		i = parent
	}
}

// pop removes the top of the heap, the last listed, and returns it.
func (k *keptNumbers) pop() keptNumber {
	top := k.list[0]
	last := len(k.list) - 1
	k.list[0] = k.list[last]
	k.list = k.list[:last]
	k.bytes -= len(top.path) + len(top.msg)
	for i := 0; ; {
		child := 2*i + 1
		if child >= last {
			break
		}
		if right := child + 1; right < last && k.before(right, child) {
			child = right
		}
		if !k.before(child, i) {
			break
		}
		k.list[i], k.list[child] = k.list[child], k.list[i]
		i = child
	}
	return top
}
