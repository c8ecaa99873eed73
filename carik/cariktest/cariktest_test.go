package cariktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

func TestSamplesAreValidInStrictMode(t *testing.T) {
	t.Parallel()
	samples := cariktest.Samples()
	require.Len(t, samples, len(carik.EventTypes()))
	for typ, body := range samples {
		ev, err := carik.ParseOptions{Strict: true}.Parse(body)
		require.NoError(t, err, typ)
		assert.Equal(t, typ, ev.Type())
	}
}

func TestPayloadOptions(t *testing.T) {
	t.Parallel()
	body := cariktest.Payload(carik.EventMessage,
		cariktest.Set("/platform", carik.PlatformTelegram),
		cariktest.Set("/data/status", carik.MessageStatusFailed),
		cariktest.Delete("/data/phone"),
		cariktest.Set("/data/a~1b", 1),
	)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.Equal(t, "telegram", doc["platform"])
	data := doc["data"].(map[string]any)
	assert.Equal(t, "failed", data["status"])
	assert.NotContains(t, data, "phone")
	assert.Equal(t, 1.0, data["a/b"])

	unknown := cariktest.Payload("order", cariktest.Set("/data/order_id", "O-1"))
	assert.JSONEq(t, `{"event": "order", "data": {"order_id": "O-1"}}`, string(unknown))

	_, err := cariktest.BuildPayload(carik.EventMessage, cariktest.Set("data/status", "x"))
	assert.ErrorContains(t, err, "not a JSON pointer")
	_, err = cariktest.BuildPayload(carik.EventMessage, cariktest.Set("/data/status/x", "x"))
	assert.ErrorContains(t, err, "/data/status is not an object")
	assert.Panics(t, func() { cariktest.Payload(carik.EventMessage, cariktest.Delete("nope")) })
}

func TestSignerAndDeliver(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	assert.NotEqual(t, secret, cariktest.NewSecret())
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	h := carik.NewReceiver(carik.NewRouter(), carik.WithVerifier(v), carik.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	signer := cariktest.NewSigner(secret)
	body := cariktest.Payload(carik.EventDevice)
	assert.Equal(t, 200, signer.Deliver(h, body).StatusCode)
	h1, h2 := signer.Sign(body), signer.Sign(body)
	assert.NotEqual(t, h1.Get("webhook-id"), h2.Get("webhook-id"), "fresh ids")
	assert.Equal(t, 401, cariktest.Deliver(h, body, nil).StatusCode)
	assert.Panics(t, func() { cariktest.NewSigner("whsec_***") })
}

// Example shows a test of an application's webhook handling, with no hand-written JSON or
// signatures.
func Example() {
	secret := cariktest.NewSecret()
	verifier, _ := carik.StandardWebhooks(secret)

	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		fmt.Println("handled message", e.Data.MessageID, e.Data.Status)
		return nil
	})
	receiver := carik.NewReceiver(router, carik.WithVerifier(verifier),
		carik.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))

	body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/status", carik.MessageStatusDelivered))
	res := cariktest.NewSigner(secret).Deliver(receiver, body)
	fmt.Println(res.StatusCode)

	res = cariktest.Deliver(receiver, body, nil) // unsigned
	fmt.Println(res.StatusCode)
	// Output:
	// handled message abcdefghijklmnopqrstuvwxyz1234567890 delivered
	// 200
	// 401
}
