package engine

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStoredHeaderRedactsCredentials(t *testing.T) {
	t.Parallel()
	h := http.Header{
		"Authorization":       {"Bearer s3cret"},
		"Cookie":              {"session=abc"},
		"Token":               {"carik-shared-token"},
		"X-Carik-Api-Key":     {"k"},
		"X-Carik-Auth":        {"k2"},
		"X-Api_key":           {"k3"},
		"X-Session":           {"k4"},
		"X-Shop-Signing-Salt": {"added by the application"},
		"Webhook-Id":          {"msg_1"},
		"Webhook-Signature":   {"v1,abc="},
		"Content-Type":        {"application/json"},
	}
	got := storedHeader(h, []string{"x-shop-signing-salt"})
	for _, name := range []string{"Authorization", "Cookie", "Token", "X-Carik-Api-Key", "X-Carik-Auth", "X-Api_key", "X-Session", "X-Shop-Signing-Salt"} {
		assert.Equal(t, []string{redacted}, got[name], name)
	}
	for _, name := range []string{"Webhook-Id", "Webhook-Signature", "Content-Type"} {
		assert.Equal(t, h[name], got[name], name)
	}
	assert.Equal(t, "Bearer s3cret", h.Get("Authorization"), "the request's own headers are not changed")
	assert.Equal(t, []string{"added by the application"}, storedHeader(h, nil)["X-Shop-Signing-Salt"])
}
