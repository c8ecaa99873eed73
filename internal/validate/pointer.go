package validate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

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
