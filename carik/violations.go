package carik

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/internal/excerpt"
	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// violations collects what a scan finds wrong, up to MaxViolations; past that it only counts.
type violations struct {
	list  []Violation
	extra int
}

func (v *violations) add(path, message string) {
	if len(v.list) >= MaxViolations {
		v.extra++
		return
	}
	v.list = append(v.list, Violation{Path: path, Message: message})
}

// sorted returns the violations sorted by path, then message, with a last entry at the root
// saying how many were not listed.
func (v *violations) sorted() []Violation {
	sortViolations(v.list)
	return limitViolations(v.list, len(v.list)+v.extra)
}

// maxViolationBytes bounds the bytes of the paths and messages a [ValidationError] lists.
const maxViolationBytes = 64 << 10

// limitViolations keeps the first of v, at most MaxViolations and maxViolationBytes of them,
// and says how many of total it left out.
func limitViolations(v []Violation, total int) []Violation {
	kept, size := 0, 0
	for kept < len(v) && kept < MaxViolations {
		size += len(v[kept].Path) + len(v[kept].Message)
		if size > maxViolationBytes {
			break
		}
		kept++
	}
	if kept == total {
		return v
	}
	return append(v[:kept:kept], Violation{
		Path: "", Message: strconv.Itoa(total-kept) + notListedSuffix,
	})
}

// sortViolations is the one place violations are ordered: by path, then message.
func sortViolations(v []Violation) {
	sort.Slice(v, func(i, j int) bool {
		if v[i].Path != v[j].Path {
			return v[i].Path < v[j].Path
		}
		return v[i].Message < v[j].Message
	})
}

// memberPath is the pointer of the member key of the object at parent ("" or "/data"), cut to
// MaxPathBytes; cut says whether it was. Only as much of the key as can show is read, so that
// the cost does not grow with the key.
func memberPath(parent string, key []byte) (path string, cut bool) {
	if len(key) > MaxPathBytes+1 {
		key = key[:MaxPathBytes+1] // the pointer is cut before the end of this prefix anyway
	}
	if parent == "" {
		return jsonpointer.JoinLimit([]string{string(key)})
	}
	return jsonpointer.JoinLimit([]string{parent[1:], string(key)})
}

// The messages of the schema's keywords.

func (d *decoder) missing(path string) { d.found.add(path, "required property is missing") }

func (d *decoder) unknownMember(parent string, key []byte) {
	msg := "unknown property: the schema does not declare it"
	path, cut := memberPath(parent, key)
	if cut {
		msg += jsonpointer.CutNote
	}
	d.found.add(path, msg)
}

// caseVariant reports the member key of the object at parent when it matches one of the
// object's declared names but for case (bytes.EqualFold) and is not that name: encoding/json
// (which the README points to for reading Raw again) would fill the declared field with it,
// while the typed event would not, so it is a violation in every mode. It tells whether the
// key was one.
func (d *decoder) caseVariant(parent string, key []byte, declared []string) bool {
	for _, name := range declared {
		if len(key) > utf8.UTFMax*len(name) || !bytes.EqualFold(key, []byte(name)) {
			continue
		}
		msg := "unknown property " + excerpt.Quote(string(key)) + ": differs only in case from the declared " + strconv.Quote(name)
		path, cut := memberPath(parent, key)
		if cut {
			msg += jsonpointer.CutNote
		}
		d.found.add(path, msg)
		return true
	}
	return false
}

func (d *decoder) wrongType(path, want string, got jsonKind) {
	d.found.add(path, "expected "+want+", found "+kindNames[got])
}

func (d *decoder) tooShort(path string, min, got int) {
	if min == 1 && got == 0 {
		d.found.add(path, `expected a non-empty string, found ""`)
		return
	}
	d.found.add(path, fmt.Sprintf("expected at least %d characters, found %d", min, got))
}

// notInEnum reports a value outside an enum (or a const, when want has one element and
// isConst); found is the value as describe renders it.
func (d *decoder) notInEnum(path string, want []string, isConst bool, found string) {
	quoted := make([]string, len(want))
	for i, w := range want {
		quoted[i] = describeString(w)
	}
	if isConst {
		d.found.add(path, "expected "+quoted[0]+"; found "+found)
		return
	}
	d.found.add(path, "expected one of "+strings.Join(quoted, ", ")+"; found "+found)
}

// maxShown bounds how much of a payload's value an error message repeats.
const maxShown = 64

// describeString renders a string value for a message, shortened.
func describeString(s string) string {
	if len(s) > maxShown {
		return strconv.Quote(s[:maxShown]) + "..."
	}
	return strconv.Quote(s)
}

// describeNumber renders a number's text for a message, shortened.
func describeNumber(s string) string {
	if len(s) > maxShown {
		return s[:maxShown] + "..."
	}
	return s
}
