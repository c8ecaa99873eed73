package engine

import (
	"net/http"
	"strings"
)

// redacted replaces the values of credential headers in what the inbox stores.
const redacted = "[redacted]"

// storedHeader returns the headers to keep with a delivery: all of them, but credentials (an
// Authorization header, cookies, a shared-secret token header, and the headers named in
// extra) are replaced by [redacted], so that the database and the operator command never hold
// a secret. The signature headers stay: a MAC reveals no key.
func storedHeader(h http.Header, extra []string) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		if isCredential(name) || named(name, extra) {
			out[name] = []string{redacted}
			continue
		}
		out[name] = values
	}
	return out
}

// credentialWords mark a header name as a credential's (case-insensitive substrings): "auth"
// covers X-Carik-Auth, X-Auth-Token, Authentication...
var credentialWords = []string{"auth", "token", "secret", "password", "passwd", "credential",
	"session", "api-key", "api_key", "apikey", "access-key", "access_key", "private-key", "private_key"}

// named reports whether name is one of names, case-insensitively.
func named(name string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

func isCredential(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	lower := strings.ToLower(name)
	for _, word := range credentialWords {
		if strings.Contains(lower, word) {
			return true
		}
	}
	return false
}
