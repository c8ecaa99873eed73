package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/CarikBot/carik-go/schema"
)

// model is what the generator reads from the schema folder.
type model struct {
	Events  []event     // one per event schema, sorted by name
	Enums   []knownEnum // one per string schema with x-known-values, sorted by type
	Sources []string    // the schema files read, sorted
}

// event is one event type: the schema file <Name>.schema.json describes its data.
type event struct {
	Name     string // wire name, "message"
	Base     string // Go name, "Message"
	File     string // "message.schema.json"
	Const    string // "EventMessage"
	Type     string // "MessageEvent"
	DataType string // "MessageData"
	Doc      string // the schema's description
	Fields   string // the data's properties for the README, required ones first
}

// knownEnum is an open string type with documented values.
type knownEnum struct {
	Type   string
	Doc    string
	File   string
	Values []knownValue
}

type knownValue struct {
	Const string
	Value string
}

// reservedFiles are the schema files that do not describe an event.
var reservedFiles = map[string]bool{
	schema.EnvelopeFile: true,
	schema.DefsFile:     true,
	schema.WebhookFile:  true,
}

// readModel reads every schema in dir except the generated webhook schema.
func readModel(dir string) (*model, map[string]any, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+schema.Suffix))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	m := &model{}
	docs := map[string]any{}
	for _, p := range paths {
		file := filepath.Base(p)
		if file == schema.WebhookFile {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		// Numbers stay json.Number, their exact text: a bound read as a float64 would change.
		var doc map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, nil, fmt.Errorf("%s: data after the schema", p)
		}
		if err := checkID(file, doc); err != nil {
			return nil, nil, err
		}
		docs[file] = doc
		m.Sources = append(m.Sources, file)
		if err := collectEnums(file, doc, &m.Enums); err != nil {
			return nil, nil, err
		}
		if reservedFiles[file] {
			continue
		}
		name := strings.TrimSuffix(file, schema.Suffix)
		if doc["type"] != "object" {
			return nil, nil, fmt.Errorf("%s: an event schema describes the data object, so its type must be \"object\"", file)
		}
		desc, _ := doc["description"].(string)
		if desc == "" {
			return nil, nil, fmt.Errorf("%s: no description (it becomes the doc comment of the event type)", file)
		}
		if examples, _ := doc["examples"].([]any); len(examples) == 0 {
			return nil, nil, fmt.Errorf("%s: no examples (the first one is the sample data of cariktest.Payload and carik send --sample)", file)
		} else if _, ok := examples[0].(map[string]any); !ok {
			return nil, nil, fmt.Errorf("%s: /examples/0: must be an object (the sample data of cariktest.Payload and carik send --sample)", file)
		}
		base := goName(name)
		m.Events = append(m.Events, event{
			Name: name, Base: base, File: file, Const: "Event" + base, Type: base + "Event", DataType: base + "Data", Doc: desc,
			Fields: fieldList(doc),
		})
	}
	if _, ok := docs[schema.EnvelopeFile]; !ok {
		return nil, nil, fmt.Errorf("%s: no %s", dir, schema.EnvelopeFile)
	}
	if len(m.Events) == 0 {
		return nil, nil, fmt.Errorf("%s: no event schemas", dir)
	}
	sort.Slice(m.Enums, func(i, j int) bool { return m.Enums[i].Type < m.Enums[j].Type })
	for i := 1; i < len(m.Enums); i++ {
		if m.Enums[i].Type == m.Enums[i-1].Type {
			return nil, nil, fmt.Errorf("%s and %s both declare the type %s", m.Enums[i-1].File, m.Enums[i].File, m.Enums[i].Type)
		}
	}
	return m, docs, nil
}

// checkID insists on the $id the runtime registers the file under, so that relative $refs
// resolve the same way for go-jsonschema (by file), the runtime and other validators (by $id).
func checkID(file string, doc map[string]any) error {
	if want := schema.BaseURI + file; doc["$id"] != want {
		return fmt.Errorf("%s: $id is %v, want %q", file, doc["$id"], want)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		return fmt.Errorf("%s: $schema must be draft 2020-12", file)
	}
	return nil
}

// collectEnums finds the string schemas with x-known-values in doc.
func collectEnums(file string, node any, out *[]knownEnum) error {
	switch v := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if err := collectEnums(file, v[k], out); err != nil {
				return err
			}
		}
		known, ok := v["x-known-values"].([]any)
		if !ok {
			return nil
		}
		title, _ := v["title"].(string)
		if title == "" || v["type"] != "string" {
			return fmt.Errorf("%s: a schema with x-known-values needs \"type\": \"string\" and a title (the Go type's name)", file)
		}
		doc, _ := v["description"].(string)
		e := knownEnum{Type: goName(title), Doc: doc, File: file}
		for _, k := range known {
			s, ok := k.(string)
			if !ok || s == "" {
				return fmt.Errorf("%s: %s: x-known-values must be non-empty strings", file, title)
			}
			e.Values = append(e.Values, knownValue{Const: e.Type + goName(s), Value: s})
		}
		*out = append(*out, e)
	case []any:
		for _, child := range v {
			if err := collectEnums(file, child, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldList renders the data properties of an event schema for the README: required ones
// first, in schema order and marked, then the others sorted, then whether more are allowed.
func fieldList(doc map[string]any) string {
	props, _ := doc["properties"].(map[string]any)
	var parts []string
	required := map[string]bool{}
	for _, r := range asSlice(doc["required"]) {
		name, _ := r.(string)
		required[name] = true
		parts = append(parts, "`"+name+"`\\*")
	}
	for _, name := range sortedKeys(props) {
		if !required[name] {
			parts = append(parts, "`"+name+"`")
		}
	}
	switch {
	case len(parts) == 0:
		return "any fields, kept whole"
	case doc["x-strict"] == true:
		return strings.Join(parts, ", ")
	default:
		return strings.Join(parts, ", ") + ", and any other field"
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// initialisms spell these words the Go way when they form a whole word of a name.
var initialisms = map[string]string{"id": "ID", "url": "URL", "whatsapp": "WhatsApp", "api": "API", "qris": "QRIS"}

// goName turns a wire name ("message", "queue_id", "whatsapp") into an exported Go identifier.
func goName(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, w := range words {
		if init, ok := initialisms[strings.ToLower(w)]; ok {
			b.WriteString(init)
			continue
		}
		r := []rune(w)
		b.WriteString(strings.ToUpper(string(r[0])) + string(r[1:]))
	}
	return b.String()
}
