package engine

import (
	"net/http"
	"strings"
)

// redacted replaces the values of credential headers in what the inbox stores.
const redacted = "[redacted]"

// storedHeader returns the headers to keep with a delivery: all of them, but credentials (an
// Authorization header, cookies, a shared-secret token header) are replaced by [redacted], so
// that the database and the operator command never hold a secret. The signature headers stay:
// a MAC reveals no key.
func storedHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		if isCredential(name) {
			out[name] = []string{redacted}
			continue
		}
		out[name] = values
	}
	return out
}

func isCredential(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	lower := strings.ToLower(name)
	for _, word := range []string{"token", "secret", "password", "api-key", "apikey"} {
		if strings.Contains(lower, word) {
			return true
		}
	}
	return false
}
