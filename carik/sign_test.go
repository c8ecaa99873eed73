package carik_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// TestSignerPublishedVector checks the signature against the example published with the scheme
// (the Standard Webhooks and Svix documentation use the same one).
func TestSignerPublishedVector(t *testing.T) {
	t.Parallel()
	s, err := carik.NewSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	require.NoError(t, err)
	for range 3 { // the pooled HMAC state is reset between uses
		h := s.SignAt("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
		assert.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", h.Get("webhook-signature"))
		assert.Equal(t, "msg_p5jXN8AQM9LWM0D4loKWxJek", h.Get("webhook-id"))
		assert.Equal(t, "1614265330", h.Get("webhook-timestamp"))
	}
}

func TestNewSignerSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		secret string
		ok     bool
	}{
		{"whsec_AAEC", true},
		{"AAEC", true}, // the prefix is optional, as in the official libraries
		{"whsec_", false},
		{"", false},
		{"whsec_%%%", false},
		{"whsec_not base64!", false},
	}
	for _, tt := range tests {
		t.Run(tt.secret, func(t *testing.T) {
			t.Parallel()
			s, err := carik.NewSigner(tt.secret)
			if !tt.ok {
				assert.Nil(t, s)
				require.Error(t, err)
				assert.True(t, strings.HasPrefix(err.Error(), "carik: NewSigner: "), err.Error())
				if len(tt.secret) > len("whsec_") {
					assert.NotContains(t, err.Error(), tt.secret[len("whsec_"):], "the secret is not echoed")
				}
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestSignerSignVerifies(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	s, err := carik.NewSigner(secret)
	require.NoError(t, err)
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	body := cariktest.Payload(carik.EventMessage)
	h1, h2 := s.Sign(body), s.Sign(body)
	assert.NoError(t, v.Verify(h1, body))
	assert.Regexp(t, `^msg_[0-9a-f]{24}$`, h1.Get("webhook-id"))
	assert.NotEqual(t, h1.Get("webhook-id"), h2.Get("webhook-id"), "a fresh id each time")
	assert.Len(t, h1, 3, "exactly the three scheme headers")
	for k := range h1 {
		assert.Equal(t, http.CanonicalHeaderKey(k), k)
	}
}
