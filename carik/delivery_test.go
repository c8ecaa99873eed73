package carik_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

func TestNewDelivery(t *testing.T) {
	t.Parallel()
	body := []byte(messageBody)
	sum := sha256.Sum256(body)
	derived := "sha256:" + hex.EncodeToString(sum[:])
	tests := []struct {
		name   string
		header http.Header
		want   carik.Delivery
	}{
		{"standard webhooks headers",
			http.Header{"Webhook-Id": {"msg_1"}, "Webhook-Timestamp": {"1700000000"}, "Webhook-Attempt": {"3"}},
			carik.Delivery{ID: "msg_1", Timestamp: time.Unix(1700000000, 0).UTC(), Attempt: 3}},
		{"no id: derived from the body", http.Header{"Token": {"t"}},
			carik.Delivery{ID: derived, IDFromBody: true}},
		{"unreadable timestamp and attempt are left zero",
			http.Header{"Webhook-Id": {"msg_2"}, "Webhook-Timestamp": {"soon"}, "Webhook-Attempt": {"-1"}},
			carik.Delivery{ID: "msg_2"}},
		{"no headers at all", nil, carik.Delivery{ID: derived, IDFromBody: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := carik.NewDelivery(tt.header, body)
			tt.want.Header = tt.header
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDeliveryIDFromBodyIsStable(t *testing.T) {
	t.Parallel()
	a := carik.NewDelivery(http.Header{}, []byte(messageBody))
	b := carik.NewDelivery(http.Header{"X": {"other"}}, []byte(messageBody))
	c := carik.NewDelivery(http.Header{}, []byte(deviceBody))
	assert.Equal(t, a.ID, b.ID, "the same body gets the same id")
	assert.NotEqual(t, a.ID, c.ID)
	assert.Len(t, a.ID, len("sha256:")+64)
}

func TestDeliveryFromContext(t *testing.T) {
	t.Parallel()
	_, ok := carik.DeliveryFrom(context.Background())
	assert.False(t, ok)
	d := carik.Delivery{ID: "msg_1", Attempt: 2}
	got, ok := carik.DeliveryFrom(carik.ContextWithDelivery(context.Background(), d))
	require.True(t, ok)
	assert.Equal(t, d, got)
}

// The receiver hands every handler the delivery of the request: its id, timestamp and headers.
func TestReceiverPutsDeliveryInContext(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	var got carik.Delivery
	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, _ *carik.MessageEvent) error {
		d, ok := carik.DeliveryFrom(ctx)
		require.True(t, ok)
		got = d
		return nil
	})
	body := []byte(messageBody)
	at := time.Now().Truncate(time.Second)
	header := cariktest.NewSigner(secret).SignAt("msg_ctx", at, body)
	header.Set("Webhook-Attempt", "2")
	res := cariktest.Deliver(carik.NewReceiver(router, carik.WithVerifier(v)), body, header)
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "msg_ctx", got.ID)
	assert.False(t, got.IDFromBody)
	assert.True(t, at.Equal(got.Timestamp))
	assert.Equal(t, 2, got.Attempt)
	assert.Equal(t, "msg_ctx", got.Header.Get("Webhook-Id"))
}

// Without a webhook-id (token verification), the id comes from the body: a re-sent body is
// recognised as the same delivery.
func TestReceiverDerivesDeliveryIDWithoutHeader(t *testing.T) {
	t.Parallel()
	var ids []string
	router := carik.NewRouter()
	router.OnAny(func(ctx context.Context, _ carik.Event) error {
		d, _ := carik.DeliveryFrom(ctx)
		ids = append(ids, d.ID)
		return nil
	})
	h := carik.NewReceiver(router, carik.WithVerifier(carik.TokenHeader("Token", "s3cret")))
	for range 2 {
		res := cariktest.Deliver(h, []byte(messageBody), http.Header{"Token": {"s3cret"}})
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	require.Len(t, ids, 2)
	assert.Equal(t, ids[0], ids[1])
	assert.Equal(t, carik.NewDelivery(nil, []byte(messageBody)).ID, ids[0])
}
