package validate

import (
	"fmt"
	"reflect"
	"strings"
)

// inliner replaces the $refs of a schema by the schemas they point at, merged into the
// referring schema, so that the validator walks one flat schema per payload: each $ref costs
// the validator a new scope on every validation (measured: a flat message schema validates in
// about half the time). A $ref whose target cannot be merged without changing the meaning (two
// different values for one keyword, or additionalProperties beside properties it does not
// cover) is kept, and the validator resolves it as usual.
type inliner struct {
	docs map[string]any // file name to decoded (transformed) document
}

// annotations are keywords that do not constrain a value: when both sides of a merge have one,
// the referring schema's wins.
var annotations = map[string]bool{
	"title": true, "description": true, "examples": true, "$comment": true, "default": true,
	"x-known-values": true, "x-strict": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"$schema": true, "$id": true, "$defs": true,
}

// inline returns a copy of node, a schema found in file, with its $refs inlined.
func (in *inliner) inline(file string, node any, depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("%s: $refs nest too deep (a cycle?)", file)
	}
	switch v := node.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, child := range v {
			c, err := in.inline(file, child, depth)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		ref, hasRef := v["$ref"].(string)
		delete(out, "$ref")
		out = flattenAllOf(out)
		if !hasRef {
			return out, nil
		}
		targetFile, target, err := in.resolve(file, ref)
		if err != nil {
			out["$ref"] = ref // not one of ours: the validator resolves it, or refuses to
			return out, nil
		}
		flat, err := in.inline(targetFile, target, depth+1)
		if err != nil {
			return nil, err
		}
		if merged, ok := merge(out, strip(flat.(map[string]any))); ok {
			return merged, nil
		}
		out["$ref"] = ref // keep it: the validator resolves it
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			c, err := in.inline(file, child, depth)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return v, nil
	}
}

// resolve finds the schema ref points at: "file.schema.json", "file.schema.json#/$defs/name"
// or "#/$defs/name", relative to file.
func (in *inliner) resolve(file, ref string) (string, map[string]any, error) {
	name, pointer, _ := strings.Cut(ref, "#")
	if name == "" {
		name = file
	}
	doc, ok := in.docs[name].(map[string]any)
	if !ok {
		return "", nil, fmt.Errorf("%s: $ref %q: no schema %s", file, ref, name)
	}
	node := doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		if tok == "" {
			continue
		}
		next, ok := node[tok].(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("%s: $ref %q: nothing at %s", file, ref, pointer)
		}
		node = next
	}
	return name, node, nil
}

// flattenAllOf merges the entries of s's allOf into s when they all merge.
func flattenAllOf(s map[string]any) map[string]any {
	entries, ok := s["allOf"].([]any)
	if !ok {
		return s
	}
	rest := make(map[string]any, len(s))
	for k, v := range s {
		if k != "allOf" {
			rest[k] = v
		}
	}
	for _, e := range entries {
		em, ok := e.(map[string]any)
		if !ok {
			return s
		}
		if rest, ok = merge(rest, em); !ok {
			return s
		}
	}
	return rest
}

// strip removes what only a whole document may carry.
func strip(s map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		switch k {
		case "$id", "$schema", "$defs", "definitions", "$anchor", "$dynamicAnchor":
		default:
			out[k] = v
		}
	}
	return out
}

// mergeable are the keywords merge knows the meaning of; a schema with any other keyword is
// left alone.
var mergeable = map[string]bool{
	"type": true, "required": true, "properties": true, "additionalProperties": true,
	"minLength": true, "maxLength": true, "pattern": true, "enum": true, "const": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"multipleOf": true, "items": true, "minItems": true, "maxItems": true, "format": true,
}

// merge returns one schema equivalent to both a and b, if it can.
func merge(a, b map[string]any) (map[string]any, bool) {
	for _, side := range []map[string]any{a, b} {
		for k := range side {
			if !mergeable[k] && !annotations[k] {
				return nil, false
			}
		}
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, bv := range b {
		av, both := a[k]
		switch {
		case !both:
			out[k] = bv
		case annotations[k]:
		case k == "required":
			out[k] = union(av, bv)
		case k == "properties":
			props, ok := mergeProperties(av, bv)
			if !ok {
				return nil, false
			}
			out[k] = props
		case !reflect.DeepEqual(av, bv):
			return nil, false
		}
	}
	// additionalProperties of one side only covers that side's own properties.
	for _, side := range []map[string]any{a, b} {
		if _, ok := side["additionalProperties"]; !ok {
			continue
		}
		own, _ := side["properties"].(map[string]any)
		all, _ := out["properties"].(map[string]any)
		for name := range all {
			if _, ok := own[name]; !ok {
				return nil, false
			}
		}
	}
	return out, true
}

func mergeProperties(a, b any) (map[string]any, bool) {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return nil, false
	}
	out := make(map[string]any, len(am)+len(bm))
	for k, v := range am {
		out[k] = v
	}
	for k, bv := range bm {
		av, both := am[k]
		if !both {
			out[k] = bv
			continue
		}
		as, ok1 := av.(map[string]any)
		bs, ok2 := bv.(map[string]any)
		if !ok1 || !ok2 {
			return nil, false
		}
		m, ok := merge(as, bs)
		if !ok {
			return nil, false
		}
		out[k] = m
	}
	return out, true
}

func union(a, b any) []any {
	seen := map[any]bool{}
	var out []any
	for _, list := range []any{a, b} {
		items, _ := list.([]any)
		for _, it := range items {
			if !seen[it] {
				seen[it] = true
				out = append(out, it)
			}
		}
	}
	return out
}
