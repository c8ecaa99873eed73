package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
	"github.com/CarikBot/carik-go/schema"
)

// This file compiles the schemas into the model of the generated decoders: one object per
// object schema (the envelope and each event's data), each property with the rule its value
// must follow. A keyword the decoders do not implement is an error naming file, JSON pointer
// and keyword, never code that silently ignores it.

// supportedKeywords are the keywords gen compiles; annotations are kept as documentation.
var supportedKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "$ref": true,
	"title": true, "description": true, "examples": true,
	"type": true, "required": true, "properties": true, "additionalProperties": true,
	"minLength": true, "minimum": true, "maximum": true, "enum": true, "const": true,
	"x-known-values": true, "x-strict": true, "x-events": true,
}

// objectKeywords are the keywords an object schema (the envelope, an event's data) may use:
// the object decoders implement these and nothing else.
var objectKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true,
	"title": true, "description": true, "examples": true,
	"type": true, "required": true, "properties": true, "additionalProperties": true, "x-strict": true,
}

// supportedKeywordList lists supportedKeywords, sorted, for messages.
func supportedKeywordList() string { return keywordList(supportedKeywords) }

// keywordList lists the keywords of set, sorted, for messages.
func keywordList(set map[string]bool) string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// checkKeywords refuses any keyword outside supportedKeywords in doc, file's schema, at every
// place a subschema may stand.
func checkKeywords(file, pointer string, node map[string]any) error {
	for _, k := range sortedKeys(node) {
		if !supportedKeywords[k] {
			return fmt.Errorf("%s: %s: keyword %q is not supported by the generated decoders (supported: %s)",
				file, pointerOrRoot(pointer), k, supportedKeywordList())
		}
	}
	for _, group := range []string{"properties", "$defs"} {
		children, ok := node[group].(map[string]any)
		if _, present := node[group]; present && !ok {
			return fmt.Errorf("%s: %s/%s: must be an object", file, pointerOrRoot(pointer), group)
		}
		for _, name := range sortedKeys(children) {
			child, ok := children[name].(map[string]any)
			if !ok {
				return fmt.Errorf("%s: %s/%s/%s: a schema must be an object", file, pointerOrRoot(pointer), group, jsonpointer.Escape(name))
			}
			if err := checkKeywords(file, pointer+"/"+group+"/"+jsonpointer.Escape(name), child); err != nil {
				return err
			}
		}
	}
	if ap, ok := node["additionalProperties"]; ok {
		if _, isBool := ap.(bool); !isBool {
			return fmt.Errorf("%s: %s/additionalProperties: only true or false is supported", file, pointerOrRoot(pointer))
		}
	}
	return nil
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// objectSchema is one object schema compiled: a generated function reads it.
type objectSchema struct {
	File     string // "message.schema.json"
	Func     string // "decodeMessageData"
	GoType   string // "MessageData"
	OptType  string // "messageDataOpt": storage of the optional fields' values
	Pointer  string // "/data"
	Depth    int    // nesting of the object: 1 for the envelope, 2 for data
	Props    []property
	Required []property
	// ClosedStrict: strict mode refuses undeclared members (x-strict with properties);
	// Closed: every mode does (additionalProperties: false).
	ClosedStrict, Closed bool
	// Open: the schema declares no properties; the data is kept whole, as a tree.
	Open bool
	// NamesVar names the variable listing the declared names: a key that matches one only but
	// for case is refused.
	NamesVar string
}

// property is one declared member of an object.
type property struct {
	Name     string // JSON name
	Field    string // Go field
	Doc      string
	Kind     string // "string", "number", "boolean"
	GoType   string // "string", "MessageStatus", "json.Number", "bool"
	Required bool
	Bit      int
	Rule     string   // name of the rule variable, for strings and numbers
	RuleExpr string   // its value
	Opt      string   // storage field for an optional value
	Path     string   // JSON pointer
	Special  string   // "event" or "data" for the envelope's members the dispatch reads
	Events   []string // x-events: the only event types that carry this envelope member
}

// compiler resolves $refs across the schema folder.
type compiler struct {
	docs map[string]any
	m    *model
}

// resolve returns the schema a $ref names, and the file it is in.
func (c *compiler) resolve(from, ref string) (map[string]any, string, error) {
	file, pointer, _ := strings.Cut(ref, "#")
	if file == "" {
		file = from
	}
	if strings.Contains(file, "://") {
		return nil, "", fmt.Errorf("$ref %q is a URL; refer to a file of the schema folder by name", ref)
	}
	if strings.Contains(file, "/") {
		return nil, "", fmt.Errorf("$ref %q: refer to a file of the schema folder by name", ref)
	}
	doc, ok := c.docs[file].(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("$ref %q: no schema %s", ref, file)
	}
	tokens, ok := jsonpointer.Split(pointer)
	if !ok {
		return nil, "", fmt.Errorf("$ref %q: bad JSON pointer", ref)
	}
	var node any = doc
	for _, t := range tokens {
		m, _ := node.(map[string]any)
		node = m[t]
	}
	out, ok := node.(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("$ref %q: no schema there", ref)
	}
	return out, file, nil
}

// annotations are keywords that do not constrain a value: the referring schema's win.
var annotations = map[string]bool{"title": true, "description": true, "examples": true, "$comment": true, "$schema": true, "$id": true, "$defs": true}

// flatten inlines the $refs of node (file's), recursively: the result holds the keywords of
// node and of what it refers to. Two constraints under one name must agree.
func (c *compiler) flatten(file string, node map[string]any, depth int) (map[string]any, error) {
	ref, ok := node["$ref"].(string)
	if !ok {
		return node, nil
	}
	if depth > 16 {
		return nil, fmt.Errorf("%s: $ref %q: too deep (a cycle?)", file, ref)
	}
	target, tfile, err := c.resolve(file, ref)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	target, err = c.flatten(tfile, target, depth+1)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range target {
		if k != "$id" && k != "$schema" && k != "$defs" {
			out[k] = v
		}
	}
	for k, v := range node {
		if k == "$ref" {
			continue
		}
		if old, both := out[k]; both && !annotations[k] && fmt.Sprint(old) != fmt.Sprint(v) {
			return nil, fmt.Errorf("%s: %q beside $ref %q differs from the referred schema's", file, k, ref)
		}
		out[k] = v
	}
	return out, nil
}

// compileObject compiles an object schema.
// Properties named in skip are left to the caller (the envelope's data).
func (c *compiler) compileObject(file string, doc map[string]any, goType, pointer string, depth int, skip ...string) (*objectSchema, error) {
	if doc["type"] != "object" {
		return nil, fmt.Errorf("%s: %s: the type must be \"object\"", file, pointerOrRoot(""))
	}
	o := &objectSchema{
		File: file, Func: "decode" + goType, GoType: goType, OptType: lowerFirst(goType) + "Opt",
		Pointer: pointer, Depth: depth, NamesVar: lowerFirst(goType) + "Names",
	}
	for _, k := range sortedKeys(doc) {
		if !objectKeywords[k] {
			return nil, fmt.Errorf("%s: %s: keyword %q is not supported on an object schema (supported there: %s)",
				file, pointerOrRoot(""), k, keywordList(objectKeywords))
		}
	}
	props, _ := doc["properties"].(map[string]any)
	o.Closed = doc["additionalProperties"] == false
	// Strict mode closes the object by schema.Strict's rule, the one the reference validator
	// applies to the published schemas.
	o.ClosedStrict = !o.Closed && schema.StrictCloses(doc)
	if len(props) == 0 {
		if o.ClosedStrict {
			return nil, fmt.Errorf("%s: %s: \"x-strict\" with empty properties would refuse every member in strict mode, while the data is kept whole; declare properties or drop x-strict",
				file, pointerOrRoot(""))
		}
		for _, k := range []string{"required", "additionalProperties"} {
			if _, ok := doc[k]; ok {
				return nil, fmt.Errorf("%s: %q: an object schema without properties is kept whole; %s is not supported on it", file, k, k)
			}
		}
		o.Open = true
		return o, nil
	}
	required := map[string]bool{}
	for _, r := range asSlice(doc["required"]) {
		name, _ := r.(string)
		if _, ok := props[name]; !ok {
			return nil, fmt.Errorf("%s: required %q is not among the properties", file, name)
		}
		required[name] = true
	}
	for i, name := range sortedKeys(props) {
		if containsString(skip, name) {
			o.Props = append(o.Props, property{Name: name, Special: name, Required: required[name], Bit: i, Path: pointer + "/" + jsonpointer.Escape(name)})
			if required[name] {
				o.Required = append(o.Required, o.Props[len(o.Props)-1])
			}
			continue
		}
		raw, _ := props[name].(map[string]any)
		p, err := c.compileProperty(file, "/properties/"+jsonpointer.Escape(name), raw, goType, name, pointer)
		if err != nil {
			return nil, err
		}
		p.Required, p.Bit = required[name], i
		if !p.Required && goType != "Envelope" {
			p.Opt = lowerFirst(p.Field) // the envelope's members are plain values, empty when absent
		}
		o.Props = append(o.Props, p)
		if p.Required {
			o.Required = append(o.Required, p)
		}
	}
	if len(o.Props) > 64 {
		return nil, fmt.Errorf("%s: more than 64 properties", file)
	}
	return o, nil
}

// compileProperty compiles the schema of one property.
func (c *compiler) compileProperty(file, at string, raw map[string]any, owner, name, parent string) (property, error) {
	s, err := c.flatten(file, raw, 0)
	if err != nil {
		return property{}, err
	}
	desc, _ := s["description"].(string)
	p := property{
		Name: name, Field: goName(name), Doc: desc, Path: parent + "/" + jsonpointer.Escape(name),
		Rule: lowerFirst(owner) + goName(name),
	}
	where := func(format string, a ...any) error {
		return fmt.Errorf("%s: %s: %s", file, at, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(desc) == "" {
		return p, where("no description (it becomes the doc comment of the Go field %s)", p.Field)
	}
	for _, e := range asSlice(s["x-events"]) {
		name, ok := e.(string)
		if !ok {
			return p, where("x-events must list event type names")
		}
		p.Events = append(p.Events, name)
	}
	kind, _ := s["type"].(string)
	// Keywords that apply to another type than the property's would be ignored: refuse them.
	allowed := map[string][]string{
		"string":  {"minLength", "enum", "const", "x-known-values", "x-strict"},
		"number":  {"minimum", "maximum"},
		"boolean": {},
	}
	own, ok := allowed[kind]
	if !ok {
		return p, where("type %v is not supported for a property (supported: string, number, boolean)", s["type"])
	}
	for _, k := range []string{"minLength", "enum", "const", "x-known-values", "x-strict", "minimum", "maximum", "properties", "required", "additionalProperties"} {
		if _, present := s[k]; present && !containsString(own, k) {
			return p, where("keyword %q does not apply to a %s", k, kind)
		}
	}
	p.Kind = kind
	switch kind {
	case "boolean":
		p.GoType = "bool"
	case "number":
		p.GoType = "json.Number"
		min, err := boundExpr(s["minimum"])
		if err != nil {
			return p, where("minimum: %v", err)
		}
		max, err := boundExpr(s["maximum"])
		if err != nil {
			return p, where("maximum: %v", err)
		}
		p.RuleExpr = fmt.Sprintf("numberRule{minimum: %s, maximum: %s}", min, max)
	case "string":
		p.GoType = "string"
		var fields []string
		if v, ok := s["minLength"]; ok {
			num, _ := v.(json.Number)
			n, err := strconv.ParseInt(string(num), 10, 32)
			if err != nil || n < 0 {
				return p, where("minLength must be a non-negative integer")
			}
			if n > 0 {
				fields = append(fields, fmt.Sprintf("minLength: %d", n))
			}
		}
		_, hasKnown := s["x-known-values"]
		if s["x-strict"] == true && !hasKnown {
			return p, where("x-strict on a string applies to x-known-values, which it lacks")
		}
		_, hasEnum := s["enum"]
		_, hasConst := s["const"]
		if hasEnum && hasConst {
			return p, where("enum and const together are not supported")
		}
		if hasConst && hasKnown {
			return p, where("const with x-known-values is not supported")
		}
		if hasKnown {
			title, _ := s["title"].(string)
			p.GoType = goName(title)
			list := "known" + p.GoType
			fields = append(fields, "known: "+list)
			// In strict mode the documented values replace the enum, by schema.Strict's rule;
			// the runtime skips enum when strictEnum is set.
			if _, replaces := schema.StrictEnum(s); replaces {
				fields = append(fields, "strictEnum: "+list)
			}
		}
		if v, ok := s["enum"]; ok {
			list, err := stringList(v)
			if err != nil {
				return p, where("enum: %v", err)
			}
			fields = append(fields, "enum: "+list)
		}
		if v, ok := s["const"]; ok {
			str, isString := v.(string)
			if !isString {
				return p, where("const: only a string is supported")
			}
			fields = append(fields, fmt.Sprintf("enum: []string{%q}, isConst: true", str))
		}
		p.RuleExpr = "stringRule{" + strings.Join(fields, ", ") + "}"
	}
	return p, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func stringList(v any) (string, error) {
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return "", fmt.Errorf("must be a non-empty array")
	}
	var quoted []string
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return "", fmt.Errorf("only strings are supported")
		}
		quoted = append(quoted, strconv.Quote(s))
	}
	return "[]string{" + strings.Join(quoted, ", ") + "}", nil
}

// maxBoundLength bounds the text of a minimum or a maximum: the runtime compares a number with
// it in decimal when float64 cannot tell.
const maxBoundLength = 64

// boundExpr renders a minimum or a maximum, the schema's exact text, as a *bound literal, or
// "nil". The runtime compares with its float64 when that is exact and in decimal otherwise, so
// any bound within float64's range is compared exactly; one beyond it (or underflowing to 0)
// is refused: the runtime refuses such numbers in a payload, and a float64 reading would change
// the bound.
func boundExpr(v any) (string, error) {
	if v == nil {
		return "nil", nil
	}
	num, ok := v.(json.Number)
	if !ok {
		return "", fmt.Errorf("must be a number")
	}
	text := string(num)
	if len(text) > maxBoundLength {
		return "", fmt.Errorf("%s: longer than %d characters", text, maxBoundLength)
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return "", fmt.Errorf("%s: not a number", text)
	}
	back, exact := r.Float64()
	if math.IsInf(back, 0) || (back == 0 && r.Sign() != 0) {
		return "", fmt.Errorf("%s: beyond the range of a float64 (the runtime refuses such numbers in a payload, so the bound cannot be compared exactly)", text)
	}
	return fmt.Sprintf("&bound{text: %q, f: %s, exact: %v}", text, strconv.FormatFloat(back, 'g', -1, 64), exact), nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// decoderModel is what the decoders' template reads.
type decoderModel struct {
	Envelope *objectSchema
	// EventRule checks the event member: the envelope's rule, plus webhook.schema.json's
	// known event types in strict mode.
	EventRule string
	Events    []eventDecoder
	Enums     []knownEnum
	Sources   []string
}

type eventDecoder struct {
	event
	Object *objectSchema
	// EnvelopeNote says which envelope members the event does not carry (x-events), or "".
	EnvelopeNote string
}

// compileDecoders compiles the envelope and every event schema.
func compileDecoders(m *model, docs map[string]any) (*decoderModel, error) {
	c := &compiler{docs: docs, m: m}
	for _, file := range m.Sources {
		if err := checkKeywords(file, "", docs[file].(map[string]any)); err != nil {
			return nil, err
		}
	}
	envDoc := docs[schema.EnvelopeFile].(map[string]any)
	props, _ := envDoc["properties"].(map[string]any)
	for _, k := range []string{"event", "data"} {
		if _, ok := props[k]; !ok {
			return nil, fmt.Errorf("%s: the envelope must declare %q", schema.EnvelopeFile, k)
		}
	}
	dataSchema, _ := props["data"].(map[string]any)
	if dataSchema["type"] != "object" || len(dataSchema) > 2 {
		return nil, fmt.Errorf("%s: /properties/data: must be {\"type\": \"object\"} with a description (each event's schema describes it)", schema.EnvelopeFile)
	}
	// The envelope object, without data (dispatched) but with event, compiled like any other.
	env, err := c.compileObject(schema.EnvelopeFile, envDoc, "Envelope", "", 1, "data")
	if err != nil {
		return nil, err
	}
	dm := &decoderModel{Envelope: env, Enums: m.Enums, Sources: m.Sources}
	for i, p := range env.Props {
		if p.Name == "event" {
			env.Props[i].Special = "event"
			if p.Kind != "string" || p.GoType != "string" {
				return nil, fmt.Errorf("%s: /properties/event: must be a string without x-known-values", schema.EnvelopeFile)
			}
			names := make([]string, len(m.Events))
			for i, e := range m.Events {
				names[i] = strconv.Quote(e.Name)
			}
			// webhook.schema.json lists the event types with x-strict: strict mode refuses others.
			rule := strings.TrimSuffix(p.RuleExpr, "}")
			if !strings.HasSuffix(rule, "{") {
				rule += ", "
			}
			dm.EventRule = rule + "known: knownEventTypeNames, strictEnum: knownEventTypeNames}"
		}
	}
	for _, e := range m.Events {
		doc := docs[e.File].(map[string]any)
		o, err := c.compileObject(e.File, doc, e.DataType, "/data", 2)
		if err != nil {
			return nil, err
		}
		dm.Events = append(dm.Events, eventDecoder{event: e, Object: o, EnvelopeNote: envelopeNote(env, e.Name)})
	}
	known := map[string]bool{}
	for _, e := range m.Events {
		known[e.Name] = true
	}
	for _, p := range env.Props {
		for _, name := range p.Events {
			if !known[name] {
				return nil, fmt.Errorf("%s: /properties/%s/x-events: %q is not an event type", schema.EnvelopeFile, p.Name, name)
			}
		}
	}
	return dm, nil
}

// envelopeNote tells the readers of an event's doc which envelope fields stay empty for it.
func envelopeNote(env *objectSchema, event string) string {
	var fields []string
	carriers := map[string]bool{}
	for _, p := range env.Props {
		if len(p.Events) > 0 && !containsString(p.Events, event) {
			fields = append(fields, p.Field)
			for _, e := range p.Events {
				carriers[e] = true
			}
		}
	}
	if len(fields) == 0 {
		return ""
	}
	var by []string
	for _, e := range sortedKeys(toAny(carriers)) {
		by = append(by, e)
	}
	verb := "is"
	if len(fields) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("Its %s %s normally empty: only %s events carry them.", strings.Join(fields, " and "), verb, strings.Join(by, " and "))
}

func toAny(m map[string]bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
