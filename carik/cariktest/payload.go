// Package cariktest helps test code that receives Carik webhooks: it builds valid payloads for
// every event type, signs them the Standard Webhooks way and delivers them to a receiver, so
// that tests never hand-write JSON or signatures.
package cariktest

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/jsonpointer"
	"github.com/CarikBot/carik-go/schema"
)

// Option changes a payload built by [Payload].
type Option func(doc map[string]any) error

// Set sets the value at an RFC 6901 JSON pointer into the payload, such as "/data/status" or
// "/platform", creating the property if needed. The value is anything encoding/json encodes.
func Set(pointer string, value any) Option {
	return func(doc map[string]any) error {
		parent, key, err := parentOf(doc, pointer)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(value)
		if err != nil {
			return fmt.Errorf("cariktest: Set(%q): %w", pointer, err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		parent[key] = v
		return nil
	}
}

// Delete removes the property at an RFC 6901 JSON pointer, such as "/data/message_id".
func Delete(pointer string) Option {
	return func(doc map[string]any) error {
		parent, key, err := parentOf(doc, pointer)
		if err != nil {
			return err
		}
		delete(parent, key)
		return nil
	}
}

// Payload returns the bytes of a valid payload of event type t: {"event": t, "data": ...} with
// the first example of t's schema as data ({} for a type without a schema), changed by opts in
// order. It panics when an option cannot apply, like [net/http/httptest.NewRequest], since
// that is a mistake in the test.
func Payload(t carik.EventType, opts ...Option) []byte {
	body, err := BuildPayload(t, opts...)
	if err != nil {
		panic(err)
	}
	return body
}

// BuildPayload is [Payload] returning an error instead of panicking.
func BuildPayload(t carik.EventType, opts ...Option) ([]byte, error) {
	data, err := exampleData(t)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{"event": string(t), "data": data}
	for _, o := range opts {
		if err := o(doc); err != nil {
			return nil, err
		}
	}
	return json.Marshal(doc)
}

// exampleData returns the first example of the data schema of t, or {} when t has none.
func exampleData(t carik.EventType) (map[string]any, error) {
	raw, err := fs.ReadFile(schema.FS, string(t)+schema.Suffix)
	if err != nil {
		return map[string]any{}, nil
	}
	var s struct {
		Examples []map[string]any `json:"examples"`
	}
	if err := json.Unmarshal(raw, &s); err != nil || len(s.Examples) == 0 {
		return nil, fmt.Errorf("cariktest: schema of %q has no examples", t)
	}
	return s.Examples[0], nil
}

// parentOf returns the object holding the property a pointer names, and the property's name.
func parentOf(doc map[string]any, pointer string) (map[string]any, string, error) {
	tokens, ok := jsonpointer.Split(pointer)
	if !ok || len(tokens) == 0 {
		return nil, "", fmt.Errorf("cariktest: %q is not a JSON pointer to a property (it starts with /)", pointer)
	}
	cur := doc
	for i, tok := range tokens[:len(tokens)-1] {
		next, ok := cur[tok].(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("cariktest: %q: %s is not an object", pointer, jsonpointer.Join(tokens[:i+1]))
		}
		cur = next
	}
	return cur, tokens[len(tokens)-1], nil
}

// Samples returns a valid payload for every event type with a schema, keyed by type.
func Samples() map[carik.EventType][]byte {
	out := map[carik.EventType][]byte{}
	for _, t := range carik.EventTypes() {
		out[t] = Payload(t)
	}
	return out
}
