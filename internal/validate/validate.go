// Package validate is the one place that knows the JSON Schema library: it compiles the embedded
// schemas offline and turns the library's error tree into a flat, sorted list of violations,
// each at the JSON pointer of the offending value. Moving to another library touches this package
// only.
package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
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

// Compile compiles the schema file root of fsys, registering every *.schema.json file of fsys
// under baseURI + its name so that relative $refs resolve to those files and never to the
// network. transform, when not nil, rewrites each decoded document before it is registered.
func Compile(fsys fs.FS, baseURI, root string, transform func(any) any) (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(url string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("refusing to load %s: every schema must be embedded", url)
	}
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if transform != nil {
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if raw, err = json.Marshal(transform(doc)); err != nil {
				return nil, err
			}
		}
		if err := c.AddResource(baseURI+path.Base(name), bytes.NewReader(raw)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	s, err := c.Compile(baseURI + root)
	if err != nil {
		return nil, err
	}
	return &Validator{schema: s}, nil
}

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
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		for _, vi := range leafViolations(e, doc) {
			if !seen[vi] {
				seen[vi] = true
				violations = append(violations, vi)
			}
		}
	}
	walk(ve)
	sort.Slice(violations, func(i, j int) bool {
		if violations[i].Path != violations[j].Path {
			return violations[i].Path < violations[j].Path
		}
		return violations[i].Message < violations[j].Message
	})
	return violations, nil
}

// leafViolations rewrites one failing keyword as violations a person can act on: a missing or
// unknown property is reported at the property's own pointer, and a value outside an enum
// names the value found.
func leafViolations(e *jsonschema.ValidationError, doc any) []Violation {
	loc := e.InstanceLocation
	keyword := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
	switch keyword {
	case "required":
		if names, ok := quotedNames(strings.TrimPrefix(e.Message, "missing properties: ")); ok {
			out := make([]Violation, len(names))
			for i, n := range names {
				out[i] = Violation{Path: loc + "/" + escape(n), Message: "required property is missing"}
			}
			return out
		}
	case "additionalProperties":
		msg := strings.TrimSuffix(strings.TrimPrefix(e.Message, "additionalProperties "), " not allowed")
		if names, ok := quotedNames(msg); ok {
			out := make([]Violation, len(names))
			for i, n := range names {
				out[i] = Violation{Path: loc + "/" + escape(n), Message: "unknown property: the schema does not declare it"}
			}
			return out
		}
	case "enum":
		return []Violation{{Path: loc, Message: fmt.Sprintf("%s; found %s", e.Message, describe(lookup(doc, loc)))}}
	case "minLength":
		if s, ok := lookup(doc, loc).(string); ok && s == "" {
			return []Violation{{Path: loc, Message: "expected a non-empty string, found \"\""}}
		}
	}
	return []Violation{{Path: loc, Message: e.Message}}
}

// quotedNames parses the library's list of property names, each written as quote() writes it:
// 'name', Go-escaped, with ' escaped as \' and " left bare, separated by ", ".
func quotedNames(list string) ([]string, bool) {
	var names []string
	for list != "" {
		if list[0] != '\'' {
			return nil, false
		}
		end := 1
		for ; end < len(list) && list[end] != '\''; end++ {
			if list[end] == '\\' {
				end++
			}
		}
		if end >= len(list) {
			return nil, false
		}
		body := strings.ReplaceAll(list[1:end], `\'`, `'`)
		body = strings.ReplaceAll(body, `"`, `\"`)
		name, err := strconv.Unquote(`"` + body + `"`)
		if err != nil {
			return nil, false
		}
		names = append(names, name)
		list = strings.TrimPrefix(list[end+1:], ", ")
	}
	return names, len(names) > 0
}
