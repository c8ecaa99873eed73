// Package validate is the one place that knows the JSON Schema library
// (santhosh-tekuri/jsonschema v6): it compiles the embedded schemas offline and turns the
// library's error tree into a flat, sorted list of violations, each at the JSON pointer of the
// offending value. Moving to another library touches this package only.
package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// Violation is one rule a payload breaks.
type Violation struct {
	// Path is the RFC 6901 JSON pointer of the offending value; for a missing or unknown
	// property, the pointer to that property.
	Path string
	// Message says what was expected and what was found.
	Message string
}

// Validator checks decoded JSON against one compiled schema. It is safe for concurrent use.
type Validator struct {
	schema *jsonschema.Schema
}

// offline refuses every URL: all schemas are registered up front.
type offline struct{}

func (offline) Load(url string) (any, error) {
	return nil, fmt.Errorf("refusing to load %s: every schema must be embedded", url)
}

// Compile compiles schemas offline and returns a validator for each of roots, documents keyed
// by name that refer to the *.schema.json files of fsys. Those files are registered under
// baseURI + their name, so that relative $refs resolve to them and never to the network.
// transform, when not nil, rewrites every document first (the strict variant, say). Each
// root's $refs are then inlined where that keeps their meaning, which halves validation time.
func Compile(fsys fs.FS, baseURI string, roots map[string]any, transform func(any) any) (map[string]*Validator, error) {
	if transform == nil {
		transform = func(doc any) any { return doc }
	}
	docs := map[string]any{}
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		docs[path.Base(name)] = transform(doc)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(offline{})
	for name, doc := range docs {
		if err := c.AddResource(baseURI+name, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	in := &inliner{docs: docs}
	for name, doc := range roots {
		flat, err := in.inline(name, transform(doc), 0)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(baseURI+name, flat); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	out := make(map[string]*Validator, len(roots))
	for name := range roots {
		s, err := c.Compile(baseURI + name)
		if err != nil {
			return nil, err
		}
		out[name] = &Validator{schema: s}
	}
	return out, nil
}

var printer = message.NewPrinter(language.English)

// Validate checks doc, a value decoded by encoding/json with UseNumber, and returns every
// violation sorted by path and message, or none. An error means the check itself failed (a
// value of a non-JSON type, or a fault inside the library, which is recovered here so that it
// cannot take the process down).
func (v *Validator) Validate(doc any) (violations []Violation, err error) {
	defer func() {
		if r := recover(); r != nil {
			violations, err = nil, fmt.Errorf("schema validation failed unexpectedly: %v", r)
		}
	}()
	verr := v.schema.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return nil, verr
	}
	seen := map[Violation]bool{}
	var notJSON *kind.InvalidJsonValue
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		if k, ok := e.ErrorKind.(*kind.InvalidJsonValue); ok {
			notJSON = k
		}
		for _, vi := range leafViolations(e, doc) {
			if !seen[vi] {
				seen[vi] = true
				violations = append(violations, vi)
			}
		}
	}
	walk(ve)
	if notJSON != nil {
		return nil, fmt.Errorf("schema validation failed: %s", notJSON.LocalizedString(printer))
	}
	if len(violations) == 0 {
		return nil, fmt.Errorf("schema validation failed: %s", ve.ErrorKind.LocalizedString(printer))
	}
	sort.Slice(violations, func(i, j int) bool {
		if violations[i].Path != violations[j].Path {
			return violations[i].Path < violations[j].Path
		}
		return violations[i].Message < violations[j].Message
	})
	return violations, nil
}

// leafViolations words one failing keyword for a person: a missing or unknown property is
// reported at the property's own pointer, and every message says what was found.
func leafViolations(e *jsonschema.ValidationError, doc any) []Violation {
	out := leafViolationsUncut(e, doc)
	for i := range out {
		var cut bool
		if out[i].Path, cut = jsonpointer.Cut(out[i].Path); cut {
			out[i].Message += jsonpointer.CutNote
		}
	}
	return out
}

// leafViolationsUncut is leafViolations before long pointers are cut.
func leafViolationsUncut(e *jsonschema.ValidationError, doc any) []Violation {
	loc := jsonpointer.Join(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		out := make([]Violation, len(k.Missing))
		for i, name := range k.Missing {
			out[i] = Violation{Path: loc + "/" + jsonpointer.Escape(name), Message: "required property is missing"}
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]Violation, len(k.Properties))
		for i, name := range k.Properties {
			out[i] = Violation{Path: loc + "/" + jsonpointer.Escape(name), Message: "unknown property: the schema does not declare it"}
		}
		return out
	case *kind.Type:
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected %s, found %s", strings.Join(k.Want, " or "), article(k.Got))}}
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = describe(w)
		}
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected one of %s; found %s", strings.Join(want, ", "), describe(k.Got))}}
	case *kind.Const:
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected %s; found %s", describe(k.Want), describe(k.Got))}}
	case *kind.MinLength:
		if k.Got == 0 && k.Want == 1 {
			return []Violation{{Path: loc, Message: `expected a non-empty string, found ""`}}
		}
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected at least %d characters, found %d", k.Want, k.Got)}}
	case *kind.Minimum:
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected at least %s, found %s", ratString(k.Want), describe(jsonpointer.Lookup(doc, loc)))}}
	case *kind.Maximum:
		return []Violation{{Path: loc, Message: fmt.Sprintf("expected at most %s, found %s", ratString(k.Want), describe(jsonpointer.Lookup(doc, loc)))}}
	}
	return []Violation{{Path: loc, Message: e.ErrorKind.LocalizedString(printer)}}
}

// article names a JSON type with its article: "a string", "an object", "null".
func article(jsonType string) string {
	switch jsonType {
	case "null":
		return "null"
	case "object", "array", "integer":
		return "an " + jsonType
	default:
		return "a " + jsonType
	}
}
