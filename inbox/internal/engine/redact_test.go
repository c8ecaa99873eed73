package engine

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStoredHeaderRedactsCredentials(t *testing.T) {
	t.Parallel()
	h := http.Header{
		"Authorization":     {"Bearer s3cret"},
		"Cookie":            {"session=abc"},
		"Token":             {"carik-shared-token"},
		"X-Carik-Api-Key":   {"k"},
		"Webhook-Id":        {"msg_1"},
		"Webhook-Signature": {"v1,abc="},
		"Content-Type":      {"application/json"},
	}
	got := storedHeader(h)
	for _, name := range []string{"Authorization", "Cookie", "Token", "X-Carik-Api-Key"} {
		assert.Equal(t, []string{redacted}, got[name], name)
	}
	for _, name := range []string{"Webhook-Id", "Webhook-Signature", "Content-Type"} {
		assert.Equal(t, h[name], got[name], name)
	}
	assert.Equal(t, "Bearer s3cret", h.Get("Authorization"), "the request's own headers are not changed")
}
