package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
	"github.com/CarikBot/carik-go/internal/jsonpointer"
	"github.com/CarikBot/carik-go/schema"
)

// knownSamples returns the event types --sample knows, comma-separated.
func knownSamples() string {
	var names []string
	for _, t := range carik.EventTypes() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// sampleDoc returns a valid payload of event type name: the first example of its schema as
// data. An event type without a schema is an error that lists the known ones.
func sampleDoc(name string) (map[string]any, error) {
	for _, t := range carik.EventTypes() {
		if string(t) != name {
			continue
		}
		s, err := loadSchema(name + schema.Suffix)
		if err != nil {
			return nil, err
		}
		examples, _ := s["examples"].([]any)
		data, ok := firstObject(examples)
		if !ok {
			return nil, fmt.Errorf("the schema of %q has no example", name)
		}
		return map[string]any{"event": name, "data": data}, nil
	}
	return nil, fmt.Errorf("no sample for event %q; known: %s", excerpt.Escape(name), knownSamples())
}

func firstObject(examples []any) (map[string]any, bool) {
	if len(examples) == 0 {
		return nil, false
	}
	m, ok := examples[0].(map[string]any)
	return m, ok
}

// loadSchema decodes one embedded schema file, numbers kept as written.
func loadSchema(file string) (map[string]any, error) {
	raw, err := fs.ReadFile(schema.FS, file)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return doc, dec.Decode(&doc)
}

// edit is one --set or --delete, applied in the order given.
type edit struct {
	pointer string
	value   string // the text after "=" for --set
	delete  bool
}

// editFlags collects --set /pointer=value and --delete /pointer options.
type editFlags struct {
	edits *[]edit
	del   bool
}

func (e editFlags) String() string { return "" }

func (e editFlags) Set(v string) error {
	if e.del {
		if !strings.HasPrefix(v, "/") {
			return errors.New("want /pointer, as in /data/phone")
		}
		*e.edits = append(*e.edits, edit{pointer: v, delete: true})
		return nil
	}
	pointer, value, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(pointer, "/") {
		return errors.New("want /pointer=value, as in /data/status=failed")
	}
	*e.edits = append(*e.edits, edit{pointer: pointer, value: value})
	return nil
}

// decodeDoc decodes a payload to edit; numbers are kept as written.
func decodeDoc(body []byte) (map[string]any, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || doc == nil {
		return nil, errors.New("--set and --delete need a JSON object")
	}
	return doc, nil
}

// applyEdits applies the edits to doc. A --set value is typed by the schema: where the schema
// says string, the text is the string as written (621234 stays "621234"); where it says
// number, boolean, object or array, the text must be that JSON; where no schema speaks (vendor
// fields), JSON is taken as JSON and anything else as a string.
func applyEdits(doc map[string]any, edits []edit) error {
	for _, e := range edits {
		tokens, ok := jsonpointer.Split(e.pointer)
		if !ok || len(tokens) == 0 {
			return fmt.Errorf("%q is not a JSON pointer to a property", excerpt.Escape(e.pointer))
		}
		parent := doc
		for i, tok := range tokens[:len(tokens)-1] {
			next, ok := parent[tok].(map[string]any)
			if !ok {
				if e.delete {
					return fmt.Errorf("--delete %s: %s is not an object", excerpt.Escape(e.pointer), excerpt.Escape(jsonpointer.Join(tokens[:i+1])))
				}
				if _, exists := parent[tok]; exists {
					return fmt.Errorf("--set %s: %s is not an object", excerpt.Escape(e.pointer), excerpt.Escape(jsonpointer.Join(tokens[:i+1])))
				}
				next = map[string]any{}
				parent[tok] = next
			}
			parent = next
		}
		key := tokens[len(tokens)-1]
		if e.delete {
			delete(parent, key)
			continue
		}
		eventName, _ := doc["event"].(string)
		v, err := typedValue(schemaType(eventName, tokens), e.value)
		if err != nil {
			return fmt.Errorf("--set %s: %v", excerpt.Escape(e.pointer), err)
		}
		parent[key] = v
	}
	return nil
}

// typedValue turns the text of a --set into a value of the JSON type the schema gives.
func typedValue(typ, text string) (any, error) {
	if typ == "string" {
		return text, nil
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		if typ == "" {
			return text, nil
		}
		return nil, fmt.Errorf("the schema wants %s here; %q is not JSON", article(typ), excerpt.Escape(text))
	}
	return v, nil
}

func article(typ string) string {
	if typ == "object" || typ == "array" || typ == "integer" {
		return "an " + typ
	}
	return "a " + typ
}

// schemaType returns the JSON type the schemas give the property at tokens of a payload of the
// event type, or "" when they say nothing (an undeclared property, or a type without schema).
func schemaType(event string, tokens []string) string {
	file, rest := schema.EnvelopeFile, tokens
	if len(tokens) > 1 && tokens[0] == "data" {
		file, rest = event+schema.Suffix, tokens[1:]
	}
	s, err := loadSchema(file)
	if err != nil {
		return ""
	}
	for _, tok := range rest {
		props, _ := s["properties"].(map[string]any)
		next, ok := props[tok].(map[string]any)
		if !ok {
			return ""
		}
		s = resolveRef(next)
	}
	typ, _ := s["type"].(string)
	return typ
}

// resolveRef follows a "$ref" to a definition of defs.schema.json, the only kind the schemas
// use; the referring schema's own type wins.
func resolveRef(s map[string]any) map[string]any {
	ref, _ := s["$ref"].(string)
	file, def, ok := strings.Cut(ref, "#/$defs/")
	if !ok || s["type"] != nil {
		return s
	}
	defs, err := loadSchema(file)
	if err != nil {
		return s
	}
	all, _ := defs["$defs"].(map[string]any)
	if d, ok := all[def].(map[string]any); ok {
		return d
	}
	return s
}

// encodeDoc encodes an edited payload (keys sorted), without HTML escaping.
func encodeDoc(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
