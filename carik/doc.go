// Package carik receives, verifies, validates and handles the webhooks of Carik, the chatbot
// platform.
//
// Carik POSTs a JSON envelope whenever something happens:
//
//	{"event": "message", "platform": "whatsapp",
//	 "data": {"message_id": "abc", "status": "read"}}
//
// [Parse] checks such a payload against the JSON Schemas in the module's schema folder (the
// single source of truth; the Go types of this package are generated from them) and returns a
// typed [Event]: a [*MessageEvent], [*DeviceEvent], [*PaymentEvent], [*ModuleEvent], or an
// [*UnknownEvent] for an event type this version does not know. A payload that breaks the schema
// gives a [*ValidationError] listing every violation by JSON pointer; a body that is not a
// single JSON object gives a [*SyntaxError].
//
// Parsing is lenient by default, because Carik adds events, fields and status values over time
// and a receiver must not lose an event over an addition: unknown event types, unknown
// properties and unknown status values are accepted. [ParseOptions] with Strict set rejects
// them, for checking fixtures in CI.
//
// A [Router] sends each event to the handler registered for its type.
package carik
