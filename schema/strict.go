package schema

// Strict returns the strict variant of a decoded schema document, leaving doc untouched: every
// subschema marked "x-strict": true gets "additionalProperties": false when it declares
// properties (and sets no additionalProperties itself), and "enum" set to its
// "x-known-values" when it has them. The result is plain JSON Schema, so any standard
// validator can apply the strict rules too. gen derives the generated decoders' strict mode
// from [StrictCloses] and [StrictEnum], the same rules.
func Strict(doc any) any {
	switch v := doc.(type) {
	case map[string]any:
		out := make(map[string]any, len(v)+1)
		for k, child := range v {
			out[k] = Strict(child)
		}
		if StrictCloses(v) {
			out["additionalProperties"] = false
		}
		if known, ok := StrictEnum(v); ok {
			out["enum"] = Strict(known)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			out[i] = Strict(child)
		}
		return out
	default:
		return v
	}
}

// StrictCloses reports whether strict mode refuses the members a subschema does not declare:
// it is marked "x-strict": true, has "properties" (even empty) and sets no
// "additionalProperties" of its own.
func StrictCloses(node map[string]any) bool {
	if node["x-strict"] != true {
		return false
	}
	_, hasProperties := node["properties"]
	_, set := node["additionalProperties"]
	return hasProperties && !set
}

// StrictEnum returns the values strict mode allows for a subschema marked "x-strict": true
// with "x-known-values", which replace its "enum" in strict mode, and false for any other.
func StrictEnum(node map[string]any) (any, bool) {
	if node["x-strict"] != true {
		return nil, false
	}
	known, ok := node["x-known-values"]
	return known, ok
}
