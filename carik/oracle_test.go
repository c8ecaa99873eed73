package carik_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/jsonpointer"
	"github.com/CarikBot/carik-go/schema"
)

// oracle is the reference validator, santhosh-tekuri/jsonschema v5, with the published
// schemas compiled as they are (webhook.schema.json, its if/then dispatch and $refs), offline,
// in each mode (strict: schema.Strict of every file).
type oracle struct {
	schemas map[bool]*jsonschema.Schema
	docs    map[bool]map[string]any // by $id, for reading the schema a violation names
}

func newOracle(t testing.TB) *oracle {
	t.Helper()
	o := &oracle{schemas: map[bool]*jsonschema.Schema{}, docs: map[bool]map[string]any{}}
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	for _, strict := range []bool{false, true} {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.LoadURL = func(s string) (io.ReadCloser, error) { return nil, fmt.Errorf("offline: refusing %s", s) }
		o.docs[strict] = map[string]any{}
		for _, name := range names {
			raw, err := fs.ReadFile(schema.FS, name)
			require.NoError(t, err)
			var doc any
			require.NoError(t, json.Unmarshal(raw, &doc))
			if strict {
				doc = schema.Strict(doc)
			}
			o.docs[strict][schema.BaseURI+name] = doc
			out, err := json.Marshal(doc)
			require.NoError(t, err)
			require.NoError(t, c.AddResource(schema.BaseURI+name, bytes.NewReader(out)))
		}
		s, err := c.Compile(schema.BaseURI + schema.WebhookFile)
		require.NoError(t, err)
		o.schemas[strict] = s
	}
	return o
}

// paths returns the sorted, distinct pointers of the values v5 finds wrong in body, in carik's
// convention (a missing or unknown property at the property's own pointer), and false when
// v5 does not apply: a body that is not a JSON object the SDK accepts (its deliberate
// differences: duplicate keys, invalid UTF-8, byte-order mark), or one with a number beyond
// the SDK's limits (refused before any schema, and able to stall v5).
func (o *oracle) paths(t testing.TB, body []byte, strict bool) ([]string, bool) {
	_, err := carik.ParseOptions{Strict: strict}.Parse(body)
	if errors.Is(err, carik.ErrMalformed) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		t.Fatalf("carik accepted what encoding/json refuses: %q", body)
	}
	if hasLimitNumber(doc) {
		return nil, false
	}
	set := map[string]bool{}
	if verr := o.schemas[strict].Validate(doc); verr != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(verr, &ve) {
			t.Fatalf("v5: %v", verr)
		}
		o.leaves(t, ve, doc, strict, set)
	}
	o.caseVariants(doc, set)
	cuts := map[string]bool{}
	for p := range set {
		cut, _ := jsonpointer.Cut(p) // the SDK's bound on a path (MaxPathBytes), deliberately
		cuts[cut] = true
	}
	out := make([]string, 0, len(cuts))
	for p := range cuts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, true
}

// caseVariants adds to set the SDK's deliberate difference on case: a member whose key matches
// a declared name of its object (the envelope, a typed event's data) but for case is a
// violation at its pointer, in both modes, where JSON Schema's names are case-sensitive.
func (o *oracle) caseVariants(doc any, set map[string]bool) {
	env, _ := doc.(map[string]any)
	declared := func(file string) []string {
		sch, _ := o.docs[false][schema.BaseURI+file].(map[string]any)
		props, _ := sch["properties"].(map[string]any)
		var names []string
		for name := range props {
			names = append(names, name)
		}
		return names
	}
	add := func(parent string, obj map[string]any, names []string) {
		for k := range obj {
			for _, name := range names {
				if k != name && bytes.EqualFold([]byte(k), []byte(name)) {
					set[parent+"/"+jsonpointer.Escape(k)] = true
				}
			}
		}
	}
	add("", env, declared(schema.EnvelopeFile))
	event, _ := env["event"].(string)
	data, isObject := env["data"].(map[string]any)
	if !isObject {
		return
	}
	for _, known := range o.eventTypes() {
		if known == event {
			add("/data", data, declared(event+schema.Suffix))
		}
	}
}

// eventTypes lists the event types with a schema: webhook.schema.json's known event values.
func (o *oracle) eventTypes() []string {
	hook, _ := o.docs[false][schema.BaseURI+schema.WebhookFile].(map[string]any)
	props, _ := hook["properties"].(map[string]any)
	ev, _ := props["event"].(map[string]any)
	var out []string
	for _, v := range asList(ev["x-known-values"]) {
		name, _ := v.(string)
		out = append(out, name)
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (o *oracle) leaves(t testing.TB, ve *jsonschema.ValidationError, doc any, strict bool, set map[string]bool) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			o.leaves(t, c, doc, strict, set)
		}
		return
	}
	loc := v5Pointer(ve.InstanceLocation)
	keyword := ve.KeywordLocation[strings.LastIndexByte(ve.KeywordLocation, '/')+1:]
	switch keyword {
	case "required", "additionalProperties":
		sch := o.schemaAt(t, strings.TrimSuffix(ve.AbsoluteKeywordLocation, "/"+keyword), strict)
		obj, _ := jsonpointer.Lookup(doc, loc).(map[string]any)
		if keyword == "required" {
			for _, r := range sch["required"].([]any) {
				if _, ok := obj[r.(string)]; !ok {
					set[loc+"/"+jsonpointer.Escape(r.(string))] = true
				}
			}
			return
		}
		props, _ := sch["properties"].(map[string]any)
		for k := range obj {
			if _, ok := props[k]; !ok {
				set[loc+"/"+jsonpointer.Escape(k)] = true
			}
		}
	default:
		set[loc] = true
	}
}

// schemaAt returns the schema at an absolute keyword location (URL#pointer).
func (o *oracle) schemaAt(t testing.TB, abs string, strict bool) map[string]any {
	base, ptr, _ := strings.Cut(abs, "#")
	var node any = o.docs[strict][base]
	tokens, _ := jsonpointer.Split(v5Pointer(ptr))
	for _, tok := range tokens {
		switch v := node.(type) {
		case map[string]any:
			node = v[tok]
		case []any:
			var i int
			fmt.Sscan(tok, &i)
			node = v[i]
		}
	}
	m, ok := node.(map[string]any)
	if !ok {
		t.Fatalf("no schema at %s", abs)
	}
	return m
}

// v5Pointer turns v5's locations (tokens URL-escaped) into RFC 6901 pointers.
func v5Pointer(loc string) string {
	if loc == "" {
		return ""
	}
	tokens := strings.Split(strings.TrimPrefix(loc, "/"), "/")
	for i, tok := range tokens {
		if u, err := url.PathUnescape(tok); err == nil {
			tokens[i] = u
		}
	}
	return "/" + strings.Join(tokens, "/")
}

// hasLimitNumber reports a number the SDK's limits refuse anywhere in doc.
func hasLimitNumber(doc any) bool {
	switch v := doc.(type) {
	case map[string]any:
		for _, c := range v {
			if hasLimitNumber(c) {
				return true
			}
		}
	case []any:
		for _, c := range v {
			if hasLimitNumber(c) {
				return true
			}
		}
	case json.Number:
		return carik.NumberProblem(string(v)) != ""
	}
	return false
}

// carikPaths returns the sorted, distinct violation pointers of Parse, and its outcome.
func carikPaths(body []byte, strict bool) ([]string, error) {
	_, err := carik.ParseOptions{Strict: strict}.Parse(body)
	var verr *carik.ValidationError
	if !errors.As(err, &verr) {
		return []string{}, err
	}
	set := map[string]bool{}
	for _, v := range verr.Violations {
		set[v.Path] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, err
}

// differ compares carik with the oracle on body in one mode, and says how, or "".
func (o *oracle) differ(t testing.TB, body []byte, strict bool) (string, bool) {
	want, applies := o.paths(t, body, strict)
	if !applies {
		return "", false
	}
	got, err := carikPaths(body, strict)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Sprintf("strict=%v: v5 finds %q, carik %q (%v)", strict, want, got, err), true
	}
	return "", true
}
