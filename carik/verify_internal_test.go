package carik

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStandardWebhooksToleranceEdges pins the tolerance to whole seconds of the receiver's
// clock, as the official JavaScript and Python libraries read it (Math.floor(Date.now()/1000));
// the official Go library compares the age with the clock's fraction too, so during the second
// after the 5 minutes it already refuses what these accept (README, Verification). On the
// future side all of them agree.
func TestStandardWebhooksToleranceEdges(t *testing.T) {
	t.Parallel()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	signer, err := NewSigner(secret)
	require.NoError(t, err)
	sent := time.Unix(1_700_000_000, 0)
	body := []byte(`{"event":"device","data":{"device_id":"d","status":"connected"}}`)
	header := signer.SignAt("msg_1", sent, body)
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"exactly 5 minutes old", sent.Add(StandardWebhooksTolerance), nil},
		{"5 minutes and 999 ms old (the Go library refuses)", sent.Add(StandardWebhooksTolerance + 999*time.Millisecond), nil},
		{"5 minutes and 1 s old", sent.Add(StandardWebhooksTolerance + time.Second), ErrTimestampTooOld},
		{"5 minutes ahead", sent.Add(-StandardWebhooksTolerance), nil},
		{"5 minutes and 1 ms ahead (every library refuses)", sent.Add(-StandardWebhooksTolerance - time.Millisecond), ErrTimestampTooNew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := StandardWebhooks(secret)
			require.NoError(t, err)
			v.(*standardWebhooksVerifier).now = func() time.Time { return tt.now }
			assert.Equal(t, tt.want, v.Verify(header, body))
		})
	}
}
