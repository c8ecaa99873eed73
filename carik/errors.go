package carik

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// ErrMalformed is matched, through [errors.Is], by every error that says a body is not a single
// JSON object: a [*SyntaxError].
var ErrMalformed = errors.New("carik: body is not a single JSON object")

// SyntaxError reports a body that is not a single JSON object: malformed or truncated JSON, an
// empty body, a JSON value other than an object, or data after the object.
type SyntaxError struct {
	// Offset is the 0-based index in the body of the offending byte: the invalid character,
	// the start of a value that is not an object or of data after the object, or the body's
	// length when it ends too early.
	Offset int64
	// Pointer is the RFC 6901 JSON pointer of the value being read where the error was found:
	// the object holding a duplicate key ("/data"), the member whose value is malformed
	// ("/data/status"); "" at the top level. Like a [Violation]'s Path, it is cut to
	// [MaxPathBytes].
	Pointer string
	// Reason says what is wrong there.
	Reason string
}

// Error returns "carik: body is not a single JSON object: at byte N, in POINTER: reason", or
// "...: at byte N: reason" at the top level.
func (e *SyntaxError) Error() string {
	if e.Pointer != "" {
		return fmt.Sprintf("carik: body is not a single JSON object: at byte %d, in %s: %s", e.Offset, e.Pointer, e.Reason)
	}
	return fmt.Sprintf("carik: body is not a single JSON object: at byte %d: %s", e.Offset, e.Reason)
}

// Is reports whether target is [ErrMalformed].
func (e *SyntaxError) Is(target error) bool { return target == ErrMalformed }

// Violation is one rule of the schema that a payload breaks.
type Violation struct {
	// Path is the RFC 6901 JSON pointer of the offending value, such as "/data/status". For a
	// missing property it points at where the property should be ("/data/message_id"), and for
	// a property strict mode does not allow, at that property.
	Path string `json:"path"`
	// Message says, in plain English, what was expected and what was found.
	Message string `json:"message"`
}

// String returns "path: message".
func (v Violation) String() string { return v.Path + ": " + v.Message }

// ValidationError reports a JSON object that breaks the schema. It lists every violation,
// sorted by path, then message, up to [MaxViolations].
type ValidationError struct {
	// Event is the payload's event type, or empty when the payload has no readable one.
	Event EventType
	// Violations lists every rule broken; it is never empty. Past [MaxViolations] (or 64 KiB),
	// its last entry, at the root pointer "", says "N more violations not listed"; Error and
	// the receiver's 422 answer count those N in the total.
	Violations []Violation
}

// Error spells out at most maxListed violations and about maxListedBytes of them;
// Violations holds them all.
const (
	maxListed      = 10
	maxListedBytes = 2 << 10
)

// Error lists the violations, as "carik: invalid "message" payload (2 violations): /a: ...;
// /b: ...": the first ten of them, or fewer when they are long, so that the message stays short.
// The count is the real total, including the violations Violations does not list.
func (e *ValidationError) Error() string {
	listed, total := e.counts()
	var b strings.Builder
	b.WriteString("carik: invalid ")
	if e.Event != "" {
		b.WriteString(excerpt.Quote(string(e.Event)))
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "payload (%d violation", total)
	if total != 1 {
		b.WriteString("s")
	}
	b.WriteString("): ")
	start := b.Len()
	shown := 0
	for i, v := range listed {
		if i == maxListed || b.Len()-start > maxListedBytes {
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
		shown++
	}
	if shown < total {
		if shown > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "and %d more", total-shown)
	}
	return b.String()
}

// counts returns the violations e lists, without the last entry that says how many more there
// were (at the root pointer, "N more violations not listed"), and the total number of them.
func (e *ValidationError) counts() (listed []Violation, total int) {
	listed = e.Violations
	if n := len(listed); n > 0 {
		if more, ok := notListed(listed[n-1]); ok {
			return listed[:n-1], n - 1 + more
		}
	}
	return listed, len(listed)
}

// notListedSuffix ends the message of the entry that counts the violations not listed.
const notListedSuffix = " more violations not listed"

// notListed reports whether v is the entry that counts the violations not listed, and how many
// it counts.
func notListed(v Violation) (int, bool) {
	digits, ok := strings.CutSuffix(v.Message, notListedSuffix)
	if v.Path != "" || !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n <= 0 || strconv.Itoa(n) != digits {
		return 0, false
	}
	return n, true
}

// HandlerError reports that the [Dispatcher] returned an error or panicked while handling an
// event; the receiver answers 500 so that Carik retries the delivery.
type HandlerError struct {
	// Event is the event being handled.
	Event Event
	// Err is the dispatcher's error, or describes its panic.
	Err error
	// Panicked tells whether the dispatcher panicked.
	Panicked bool

	stack []byte
}

// Error returns "carik: handler of "<event>" event failed: <err>".
func (e *HandlerError) Error() string {
	return fmt.Sprintf("carik: handler of %s event failed: %v", excerpt.Quote(string(e.Event.Type())), e.Err)
}

// Unwrap returns the dispatcher's error.
func (e *HandlerError) Unwrap() error { return e.Err }
