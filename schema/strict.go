package schema

// Strict returns the strict variant of a decoded schema document, leaving doc untouched: every
// subschema marked "x-strict": true gets "additionalProperties": false when it declares
// properties, and "enum" set to its "x-known-values" when it has them. The result is plain
// JSON Schema, so any standard validator can apply the strict rules too.
func Strict(doc any) any {
	switch v := doc.(type) {
	case map[string]any:
		out := make(map[string]any, len(v)+1)
		for k, child := range v {
			out[k] = Strict(child)
		}
		if v["x-strict"] != true {
			return out
		}
		if _, ok := v["properties"]; ok {
			if _, set := v["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		if known, ok := v["x-known-values"]; ok {
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
