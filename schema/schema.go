// Package schema holds the JSON Schemas of Carik's webhooks, the single source of truth of the
// SDK, embedded so that validation needs no files on disk and no network.
//
// The folder holds one schema per event type (message.schema.json describes the data of a
// "message" event), envelope.schema.json for the object around every event, defs.schema.json for
// shared definitions, and webhook.schema.json, generated from the others, which validates a whole
// payload by dispatching on its event field. The schemas use JSON Schema draft 2020-12 and three
// annotations of their own, which standard validators ignore:
//
//   - "x-known-values": the documented values of an open string (the SDK generates Go constants
//     for them; other values stay valid).
//   - "x-events": on an envelope member, the event types that carry it (documentation only:
//     the generated docs of the other events say the field stays empty).
//   - "x-strict": true: in strict mode the object rejects properties it does not declare, and the
//     string rejects values outside its x-known-values. See [Strict].
package schema

import "embed"

// FS holds every *.schema.json file of this folder.
//
//go:embed *.schema.json
var FS embed.FS

// BaseURI is the prefix of every schema's $id: the $id of message.schema.json is
// BaseURI + "message.schema.json". Relative $refs between the files resolve against it.
const BaseURI = "https://carik.id/schema/webhook/"

// Names of the schema files that are not event schemas.
const (
	// EnvelopeFile describes the object around every event.
	EnvelopeFile = "envelope.schema.json"
	// DefsFile holds the definitions the other schemas share.
	DefsFile = "defs.schema.json"
	// WebhookFile validates a whole payload: the envelope, and data against its event's schema.
	// It is generated from the others.
	WebhookFile = "webhook.schema.json"
)

// Suffix ends the name of every schema file.
const Suffix = ".schema.json"
