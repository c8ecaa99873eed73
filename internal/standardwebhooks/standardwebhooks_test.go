package standardwebhooks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPublishedVector checks the signature against the example published with the scheme
// (the Standard Webhooks and Svix documentation use the same one).
func TestPublishedVector(t *testing.T) {
	t.Parallel()
	key, err := DecodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	require.NoError(t, err)
	k := NewKey(key)
	for range 3 { // the pooled HMAC state is reset between uses
		got := k.Signature("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 2432232314}`))
		assert.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)
	}
}

func TestDecodeSecret(t *testing.T) {
	t.Parallel()
	withPrefix, err := DecodeSecret("whsec_AAEC")
	require.NoError(t, err)
	bare, err := DecodeSecret("AAEC")
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1, 2}, withPrefix)
	assert.Equal(t, withPrefix, bare)
	_, err = DecodeSecret("whsec_")
	assert.Error(t, err)
	_, err = DecodeSecret("whsec_%%%")
	assert.Error(t, err)
}
