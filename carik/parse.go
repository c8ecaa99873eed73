package carik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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
// A body that is not a single JSON object gives a [*SyntaxError]; one that breaks the schema, a
// [*ValidationError] listing every violation. Parse keeps a copy of data, returned by
// [Event.Raw]. It is safe for concurrent use.
func (o ParseOptions) Parse(data []byte) (Event, error) {
	tree, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	if err := o.check(tree); err != nil {
		return nil, err
	}
	return decodeEvent(bytes.Clone(data))
}

// Validate reports whether data is a valid webhook payload, with the same verdict and errors
// as [ParseOptions.Parse]. It is safe for concurrent use.
func (o ParseOptions) Validate(data []byte) error {
	_, err := o.Parse(data)
	return err
}

// check validates a decoded payload against the webhook schema of the mode.
func (o ParseOptions) check(tree map[string]any) error {
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
	verr := &ValidationError{Violations: make([]Violation, len(found))}
	if ev, ok := tree["event"].(string); ok {
		verr.Event = EventType(ev)
	}
	for i, f := range found {
		verr.Violations[i] = Violation{Path: f.Path, Message: f.Message}
	}
	return verr
}

// decodeObject decodes data, which must hold exactly one JSON object, keeping numbers exact
// for the schema's checks.
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(data, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		start := int64(len(data) - len(bytes.TrimLeft(data, " \t\r\n")))
		return nil, &SyntaxError{Offset: start, Reason: "expected a JSON object, found " + jsonKind(v)}
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		return nil, &SyntaxError{Offset: int64(len(data) - len(rest)), Reason: "unexpected data after the JSON object"}
	}
	return obj, nil
}

// syntaxError turns an encoding/json decode error into a [*SyntaxError] with its offset.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// encoding/json counts the offending byte as read; report its own index.
		return &SyntaxError{Offset: max(se.Offset-1, 0), Reason: strings.TrimPrefix(se.Error(), "json: ")}
	case errors.Is(err, io.EOF):
		return &SyntaxError{Offset: 0, Reason: "empty body"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &SyntaxError{Offset: int64(len(data)), Reason: "unexpected end of JSON input (truncated body)"}
	default:
		return &SyntaxError{Offset: 0, Reason: err.Error()}
	}
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

// decodeEvent decodes a payload that passed the schema into its typed event.
func decodeEvent(data []byte) (Event, error) {
	h := &header{raw: data}
	if err := json.Unmarshal(data, h); err != nil {
		return nil, decodeFailure(h.Event, "", err)
	}
	decode, ok := eventDecoders[h.Event]
	if !ok {
		return &UnknownEvent{Platform: h.Platform, VendorID: h.VendorID, ChannelID: h.ChannelID, Data: h.Data, event: h.Event, raw: data}, nil
	}
	ev, err := decode(h, h.Data)
	if err != nil {
		return nil, decodeFailure(h.Event, "/data", err)
	}
	return ev, nil
}

// decodeData decodes an event's data object into its generated struct. Numbers held in
// interface values (module data) stay json.Number, exact whatever their size, as the schema
// allows any number there.
func decodeData(data json.RawMessage, into any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(into)
}

// decodeFailure reports a value the schema allows but the Go type cannot hold, such as a
// number beyond float64, as a violation at its pointer.
func decodeFailure(event EventType, prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		path := prefix
		if te.Field != "" {
			path += "/" + strings.ReplaceAll(strings.NewReplacer("~", "~0", "/", "~1").Replace(te.Field), ".", "/")
		}
		return &ValidationError{Event: event, Violations: []Violation{{
			Path:    path,
			Message: fmt.Sprintf("%s does not fit the Go type %s", te.Value, te.Type),
		}}}
	}
	return fmt.Errorf("carik: decoding a validated %q payload: %w", event, err)
}
