package validate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// escape encodes one property name as an RFC 6901 reference token.
func escape(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}

// lookup returns the value at the RFC 6901 pointer ptr in doc, or nil.
func lookup(doc any, ptr string) any {
	if ptr == "" {
		return doc
	}
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	for _, token := range strings.Split(ptr[1:], "/") {
		token = unescape.Replace(token)
		switch v := doc.(type) {
		case map[string]any:
			doc = v[token]
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			doc = v[i]
		default:
			return nil
		}
	}
	return doc
}

// maxShown bounds how much of a payload's value an error message repeats.
const maxShown = 64

// describe renders a decoded JSON value for an error message, shortened.
func describe(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		if len(v) > maxShown {
			return strconv.Quote(v[:maxShown]) + "..."
		}
		return strconv.Quote(v)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case json.Number:
		s = v.String()
	default:
		s = fmt.Sprint(v)
		if v == nil {
			s = "null"
		}
	}
	if len(s) > maxShown {
		s = s[:maxShown] + "..."
	}
	return s
}

// ratString renders a bound or a number the way JSON writes it, shortened.
func ratString(r interface{ FloatString(int) string }) string {
	s := r.FloatString(6)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if len(s) > maxShown {
		s = s[:maxShown] + "..."
	}
	return s
}
