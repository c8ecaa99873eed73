package carik

import "encoding/json"

// EventType names the source of an event, the payload's "event" field. The known types are
// the Event* constants; Carik may send others.
type EventType string

// Event is a parsed webhook payload. Its dynamic type is one of [*MessageEvent],
// [*DeviceEvent], [*PaymentEvent], [*ModuleEvent] (one per schema) or [*UnknownEvent]; use a
// type switch, or a [Router]. Only this package implements Event.
type Event interface {
	// Type returns the payload's event type.
	Type() EventType
	// Raw returns the exact bytes the event was parsed from.
	Raw() json.RawMessage

	// fill sets what the decoder reads around the data: the envelope, and the body.
	fill(env Envelope, raw json.RawMessage)
}

// UnknownEvent is an event whose type has no schema in this version of the SDK. In the
// default (lenient) mode such payloads still parse, so that an event Carik adds later is
// handed to the application instead of being lost; strict mode rejects them.
type UnknownEvent struct {
	Envelope
	// Data holds the payload's data object as decoded JSON; numbers are json.Number, exact.
	Data map[string]any

	event EventType
	raw   json.RawMessage
}

// Type returns the payload's event type.
func (e *UnknownEvent) Type() EventType { return e.event }

// Raw returns the exact bytes the event was parsed from.
func (e *UnknownEvent) Raw() json.RawMessage { return e.raw }

func (e *UnknownEvent) fill(env Envelope, raw json.RawMessage) { e.Envelope, e.raw = env, raw }

// EventTypes returns the event types that have a schema, sorted; each has its own Event
// implementation and Router method.
func EventTypes() []EventType { return append([]EventType(nil), knownEventTypes...) }
