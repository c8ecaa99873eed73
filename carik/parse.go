package carik

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
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
// The body is read once, by decoders generated from the schemas (decode_gen.go): they check
// the syntax and every rule of the schema on the way and fill the typed event from the same
// bytes, so a handler gets exactly what was validated. Duplicate object keys, and keys that
// differ only in case, are refused rather than guessed at, since parsers disagree on which one
// counts (encoding/json and JavaScript take the last, others the first). Strings and raw
// values in the event are copies: they do not alias data, nor what [Event.Raw] returns.
//
// A body that is not a single JSON object in UTF-8 with unique keys gives a [*SyntaxError]; one
// that breaks the schema, or holds a number longer than [MaxNumberLength], beyond the range of
// a float64, too close to zero for one, or written with an exponent beyond [MaxExponent], a
// [*ValidationError] listing the violations (up to [MaxViolations]). Parse
// keeps a copy of data, returned by [Event.Raw]. It is safe for concurrent use.
func (o ParseOptions) Parse(data []byte) (Event, error) {
	return o.parse(data, true)
}

// parse is Parse; the receiver, which reads every body into a buffer of its own, passes
// keepCopy false to let the event keep that buffer.
func (o ParseOptions) parse(data []byte, keepCopy bool) (Event, error) {
	if bytes.HasPrefix(data, byteOrderMark) {
		return nil, &SyntaxError{Offset: 0, Reason: "the body starts with a byte-order mark, which JSON does not allow"}
	}
	d := decoder{b: data, strict: o.Strict}
	env, x, err := d.run()
	if err != nil {
		return nil, err
	}
	if d.badNumbers > 0 {
		return nil, &ValidationError{Event: x.eventType(), Violations: numberViolations(data, d.badNumbers)}
	}
	if len(d.found.list) > 0 {
		return nil, &ValidationError{Event: x.eventType(), Violations: d.found.sorted()}
	}
	if x.ev == nil {
		return nil, fmt.Errorf("carik: no event decoded from a valid %q payload", x.event)
	}
	if keepCopy {
		data = bytes.Clone(data)
	}
	x.ev.fill(env, data)
	return x.ev, nil
}

// run scans the body once with the generated decoders.
func (d *decoder) run() (env Envelope, x dispatch, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abortScan); !ok {
				panic(r)
			}
			err = d.syntaxError()
		}
	}()
	d.ws()
	start := d.i
	if k := d.kind(); k != kindObject {
		d.skip(0)
		d.ws()
		if d.i < len(d.b) {
			d.fail(d.i, "unexpected data after the JSON value")
		}
		d.fail(start, "expected a JSON object, found "+kindNames[k])
	}
	env, x = d.decodeEnvelope()
	d.ws()
	if d.i < len(d.b) {
		d.fail(d.i, "unexpected data after the JSON value")
	}
	return env, x, nil
}

// Validate reports whether data is a valid webhook payload, with the same verdict and errors
// as [ParseOptions.Parse]. It is safe for concurrent use.
func (o ParseOptions) Validate(data []byte) error {
	_, err := o.parse(data, false) // the event is dropped: no copy of data for it to keep
	return err
}

// MaxNumberLength is the longest number, in characters, a payload may hold. Longer numbers,
// and numbers beyond the range of a float64 or too close to zero for one (1e-400), are
// violations, found before the schema is
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

// MaxExponent bounds the exponent a number may be written with (1e999, not 1e1000). Within
// MaxNumberLength, only a zero can have a larger one and stay in the range of a float64, and
// checking such a number exactly against a schema bound would cost time that grows with its
// exponent.
const MaxExponent = 999

// maxExponentDigits is the number of digits of MaxExponent.
const maxExponentDigits = 3

// numberProblem says what is wrong with a JSON number, or returns "". Every number gets a
// verdict here that the schema check can then rely on: it is short, its exponent is small, and
// it neither overflows nor underflows a float64.
func numberProblem(n string) string {
	switch numberFault(n) {
	case numberTooLong:
		return fmt.Sprintf("expected a number of at most %d characters, found one of %d", MaxNumberLength, len(n))
	case numberOutOfRange:
		return "expected a number within the range of a float64, found " + n
	case numberHugeExponent:
		return fmt.Sprintf("expected a number with an exponent between -%d and %d, found %s", MaxExponent, MaxExponent, n)
	}
	return ""
}

// What numberFault finds wrong with a number.
const (
	numberOK = iota
	numberTooLong
	numberOutOfRange   // overflow, or underflow to zero
	numberHugeExponent // a zero written with an exponent beyond MaxExponent
)

// numberFault is numberProblem without the message: the scanner calls it on every long number
// or number with an exponent, and it allocates nothing.
func numberFault(n string) int {
	if len(n) > MaxNumberLength {
		return numberTooLong
	}
	e := strings.IndexAny(n, "eE")
	if e < 0 && len(n) <= 15 {
		return numberOK // up to 15 digits and no exponent always fits
	}
	mantissa, exponent := n, ""
	if e >= 0 {
		mantissa, exponent = n[:e], n[e+1:]
	}
	nonzero := strings.Trim(mantissa, "-0.") != ""
	if len(strings.TrimLeft(strings.TrimLeft(exponent, "+-"), "0")) > maxExponentDigits {
		if nonzero {
			return numberOutOfRange // too large or too close to zero, given MaxNumberLength digits
		}
		return numberHugeExponent
	}
	if !nonzero {
		return numberOK
	}
	// Far from float64's limits the decimal magnitude decides; ParseFloat is asked only near
	// them, since its range error allocates (a body of 1e999s would allocate per number).
	switch p := magnitude(mantissa, exponent); {
	case p > 308:
		return numberOutOfRange // at least 1e309
	case p < -324:
		return numberOutOfRange // below 1e-324: rounds to zero
	case p < 307 && p > -300:
		return numberOK
	}
	if f, err := strconv.ParseFloat(n, 64); err != nil || f == 0 {
		return numberOutOfRange
	}
	return numberOK
}

// magnitude returns p such that the nonzero number mantissa×10^exponent lies in
// [10^p, 10^(p+1)); exponent has at most len(MaxExponent) digits.
func magnitude(mantissa, exponent string) int {
	mantissa = strings.TrimPrefix(mantissa, "-")
	intPart, frac, _ := strings.Cut(mantissa, ".")
	var p int
	if digits := strings.TrimLeft(intPart, "0"); digits != "" {
		p = len(digits) - 1
	} else {
		p = -(len(frac) - len(strings.TrimLeft(frac, "0")) + 1)
	}
	if exponent == "" {
		return p
	}
	e, _ := strconv.Atoi(exponent) // "+5" and "-5" parse; at most three digits
	return p + e
}
