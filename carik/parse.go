package carik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
	"github.com/CarikBot/carik-go/internal/jsontree"
)

// ParseOptions configures [ParseOptions.Parse] and [ParseOptions.Validate]. The zero value is
// the default, lenient mode used by [Parse] and [Validate].
type ParseOptions struct {
	// Strict rejects what the default mode accepts so that a receiver does not lose events
	// Carik adds later: an event type with no schema, a property the envelope or the data of
	// a message or device event does not declare, and a status outside the documented values.
	// Each is a violation at its JSON pointer. Payment and module data stay open, as their
	// fields vary by vendor and module. Use it to check fixtures and sample payloads in CI,
	// not in a production receiver.
	Strict bool
}

// Parse parses and validates a webhook payload in the default, lenient mode; see
// [ParseOptions.Parse].
func Parse(data []byte) (Event, error) { return ParseOptions{}.Parse(data) }

// Validate validates a webhook payload in the default, lenient mode; see
// [ParseOptions.Validate].
func Validate(data []byte) error { return ParseOptions{}.Validate(data) }

// Parse validates data, a whole webhook payload, against the schema of its event and returns
// the typed event, whose dynamic type depends on the event:
//
//	switch e := ev.(type) {
//	case *carik.MessageEvent: // e.Data.MessageID, e.Data.Status
//	case *carik.DeviceEvent:
//	case *carik.PaymentEvent:
//	case *carik.ModuleEvent:
//	case *carik.UnknownEvent: // an event type without a schema (lenient mode only)
//	}
//
// The body is decoded once; the schema checks that tree and the typed event is filled from the
// same tree, so a handler gets exactly what was validated. Duplicate object keys are refused
// rather than guessed at, since parsers disagree on which one counts (encoding/json and
// JavaScript take the last, others the first).
//
// A body that is not a single JSON object in UTF-8 with unique keys gives a [*SyntaxError]; one
// that breaks the schema, or holds a number longer than [MaxNumberLength] or beyond the range
// of a float64, a [*ValidationError] listing the violations (up to [MaxViolations]). Parse
// keeps a copy of data, returned by [Event.Raw]. It is safe for concurrent use.
func (o ParseOptions) Parse(data []byte) (Event, error) {
	return o.parse(data, true)
}

// parse is Parse; the receiver, which reads every body into a buffer of its own, passes
// keepCopy false to let the event keep that buffer.
func (o ParseOptions) parse(data []byte, keepCopy bool) (Event, error) {
	tree, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	if err := o.check(tree); err != nil {
		return nil, err
	}
	if keepCopy {
		data = bytes.Clone(data)
	}
	return newEvent(tree, data)
}

// Validate reports whether data is a valid webhook payload, with the same verdict and errors
// as [ParseOptions.Parse]. It is safe for concurrent use.
func (o ParseOptions) Validate(data []byte) error {
	_, err := o.parse(data, false) // the event is dropped: no copy of data for it to keep
	return err
}

// MaxNumberLength is the longest number, in characters, a payload may hold. Longer numbers,
// and numbers beyond the range of a float64, are violations, found before the schema is
// applied: checking them against a schema's bounds would cost time that grows with their size.
const MaxNumberLength = 64

// MaxViolations bounds the violations a [ValidationError] lists, so that a hostile body with
// a million wrong values costs bounded memory and gives a bounded error. The list is bounded
// in bytes too (64 KiB of paths and messages), and a path longer than [MaxPathBytes] is cut.
// Past either bound, the last entry (at the root pointer, "") says how many more there were.
const MaxViolations = 1000

// MaxPathBytes bounds the length of a [Violation]'s Path. A longer pointer (a long key, deep
// nesting) is cut to its first bytes, at a place that keeps it a valid pointer and a prefix of
// the whole one, and its Message ends with " (path cut to its first 512 bytes)".
const MaxPathBytes = jsonpointer.MaxBytes

// check validates a decoded payload: its numbers, then the schema of its event in the mode.
func (o ParseOptions) check(tree map[string]any) error {
	var event EventType
	if ev, ok := tree["event"].(string); ok {
		event = EventType(ev)
	}
	if bad := countBadNumbers(tree); bad > 0 {
		c := numberCheck{path: make([]string, 0, 8)}
		c.walk(tree)
		sortViolations(c.found)
		return &ValidationError{Event: event, Violations: limitViolations(c.found, bad)}
	}
	schemas, err := schemasFor(o.Strict)
	if err != nil {
		return err
	}
	found, err := schemas.forEvent(tree["event"]).Validate(tree)
	if err != nil {
		return fmt.Errorf("carik: %w", err)
	}
	if len(found) == 0 {
		return nil
	}
	violations := make([]Violation, len(found))
	for i, f := range found {
		violations[i] = Violation{Path: f.Path, Message: f.Message}
	}
	return &ValidationError{Event: event, Violations: limitViolations(violations, len(violations))}
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
		Path: "", Message: fmt.Sprintf("%d more violations not listed", total-kept),
	})
}

func sortViolations(v []Violation) {
	sort.Slice(v, func(i, j int) bool {
		if v[i].Path != v[j].Path {
			return v[i].Path < v[j].Path
		}
		return v[i].Message < v[j].Message
	})
}

// countBadNumbers counts the numbers of node that are too long or out of the range of a
// float64, allocating nothing: the common case finds none.
func countBadNumbers(node any) int {
	n := 0
	switch v := node.(type) {
	case map[string]any:
		for _, child := range v {
			n += countBadNumbers(child)
		}
	case []any:
		for _, child := range v {
			n += countBadNumbers(child)
		}
	case json.Number:
		if numberProblem(string(v)) != "" {
			n = 1
		}
	}
	return n
}

// numberCheck collects the first MaxViolations bad numbers, walking objects in key order so
// that which ones are listed does not depend on map order.
type numberCheck struct {
	path  []string
	found []Violation
}

func (c *numberCheck) walk(node any) {
	if len(c.found) >= MaxViolations {
		return
	}
	switch v := node.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c.path = append(c.path, k)
			c.walk(v[k])
			c.path = c.path[:len(c.path)-1]
		}
	case []any:
		for i, child := range v {
			c.path = append(c.path, strconv.Itoa(i))
			c.walk(child)
			c.path = c.path[:len(c.path)-1]
		}
	case json.Number:
		if msg := numberProblem(string(v)); msg != "" {
			path, cut := jsonpointer.JoinLimit(c.path)
			if cut {
				msg += jsonpointer.CutNote
			}
			c.found = append(c.found, Violation{Path: path, Message: msg})
		}
	}
}

// MaxExponent bounds the exponent a number may be written with (1e999, not 1e1000). Within
// MaxNumberLength, only a zero can have a larger one and stay in the range of a float64, and
// checking such a number exactly against a schema bound would cost time that grows with its
// exponent.
const MaxExponent = 999

// numberProblem says what is wrong with a JSON number, or returns "". Every number gets a
// verdict here that the schema check can then rely on: it is short, its exponent is small, and
// it neither overflows nor underflows a float64.
func numberProblem(n string) string {
	if len(n) > MaxNumberLength {
		return fmt.Sprintf("expected a number of at most %d characters, found one of %d", MaxNumberLength, len(n))
	}
	mantissa, exponent, hasExponent := strings.Cut(strings.ToLower(n), "e")
	if !hasExponent && len(n) <= 15 {
		return "" // up to 15 digits and no exponent always fits
	}
	nonzero := strings.Trim(mantissa, "-0.") != ""
	outOfRange := "expected a number within the range of a float64, found " + n
	if len(strings.TrimLeft(strings.TrimLeft(exponent, "+-"), "0")) > len(strconv.Itoa(MaxExponent)) {
		if nonzero {
			return outOfRange // too large or too close to zero, given MaxNumberLength digits
		}
		return fmt.Sprintf("expected a number with an exponent between -%d and %d, found %s", MaxExponent, MaxExponent, n)
	}
	if f, err := strconv.ParseFloat(n, 64); err != nil || (f == 0 && nonzero) {
		return outOfRange // overflow, or underflow to zero
	}
	return ""
}

// byteOrderMark is UTF-8's, which RFC 8259 forbids at the start of a JSON text.
var byteOrderMark = []byte{0xEF, 0xBB, 0xBF}

// decodeObject decodes data, which must hold exactly one JSON object in valid UTF-8 and with
// unique keys, keeping numbers exact.
func decodeObject(data []byte) (map[string]any, error) {
	if bytes.HasPrefix(data, byteOrderMark) {
		return nil, &SyntaxError{Offset: 0, Reason: "the body starts with a byte-order mark, which JSON does not allow"}
	}
	v, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if !errors.As(err, &se) {
			return nil, &SyntaxError{Offset: 0, Reason: err.Error()}
		}
		reason, offset := se.Msg, int64(se.Offset)
		switch {
		case len(bytes.TrimLeft(data, " \t\r\n")) == 0:
			reason, offset = "empty body", 0
		case se.Offset == len(data):
			reason += " (truncated body)"
		}
		return nil, &SyntaxError{Offset: offset, Reason: reason}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		start := int64(len(data) - len(bytes.TrimLeft(data, " \t\r\n")))
		return nil, &SyntaxError{Offset: start, Reason: "expected a JSON object, found " + jsonKind(v)}
	}
	return obj, nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// newEvent builds the typed event of a payload that passed the schema, from its decoded tree.
func newEvent(tree map[string]any, raw []byte) (Event, error) {
	h := &header{raw: raw}
	// The schema guarantees these are strings when present, and data an object.
	ev, _ := tree["event"].(string)
	h.Event = EventType(ev)
	platform, _ := tree["platform"].(string)
	h.Platform = Platform(platform)
	h.VendorID, _ = tree["vendor_id"].(string)
	h.ChannelID, _ = tree["channel_id"].(string)
	data, _ := tree["data"].(map[string]any)
	decode, ok := eventDecoders[h.Event]
	if !ok {
		return &UnknownEvent{Platform: h.Platform, VendorID: h.VendorID, ChannelID: h.ChannelID, Data: data, event: h.Event, raw: raw}, nil
	}
	e, err := decode(h, data)
	if err != nil {
		return nil, decodeFailure(h.Event, err)
	}
	return e, nil
}

// decodeData fills an event's generated data struct from the data object.
func decodeData(data map[string]any, into any) error { return jsontree.Decode(data, into) }

// decodeFailure reports a value the schema allows but the Go type cannot hold as a violation at
// its pointer. The schemas are written so that this does not happen; it is a safety net.
func decodeFailure(event EventType, err error) error {
	var te *jsontree.Error
	if errors.As(err, &te) {
		return &ValidationError{Event: event, Violations: []Violation{{Path: "/data" + te.Path, Message: te.Message}}}
	}
	return fmt.Errorf("carik: filling a validated %q event: %w", event, err)
}
