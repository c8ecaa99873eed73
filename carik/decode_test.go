package carik_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// TestDecodedValuesDoNotAliasRaw: what the event hands out (strings, Extra's raw values) are
// copies, so changing the bytes Raw returns changes none of them.
func TestDecodedValuesDoNotAliasRaw(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event": "payment", "vendor_id": "midtrans", "data": {"transaction_id": "T-1", "amount": 1500.25,
		"currency": "IDR", "fee": {"amount": 2500, "currency": "IDR"}, "customer": "Budi"}}`)
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	p := ev.(*carik.PaymentEvent)
	raw := p.Raw()
	for i := range raw {
		raw[i] = 'x'
	}
	assert.Equal(t, "midtrans", p.VendorID)
	assert.Equal(t, "T-1", p.Data.TransactionID)
	assert.Equal(t, json.Number("1500.25"), *p.Data.Amount)
	assert.Equal(t, "IDR", *p.Data.Currency)
	assert.JSONEq(t, `{"amount": 2500, "currency": "IDR"}`, string(p.Data.Extra["fee"]))
	assert.Equal(t, `"Budi"`, string(p.Data.Extra["customer"]))
	assert.Len(t, p.Data.Extra, 2)
	// Appending to one raw value must not overwrite another.
	_ = append(p.Data.Extra["customer"], "!!!!!!!!"...)
	assert.JSONEq(t, `{"amount": 2500, "currency": "IDR"}`, string(p.Data.Extra["fee"]))
}

// TestAmountIsExact: amounts keep their decimal text; Float64 and Int64 convert on request.
func TestAmountIsExact(t *testing.T) {
	t.Parallel()
	for _, amount := range []string{"0.1", "123456789012345.67", "-0", "1e3", "1000000000000000"} {
		ev, err := carik.Parse([]byte(`{"event": "payment", "data": {"transaction_id": "T", "amount": ` + amount + `}}`))
		require.NoError(t, err, amount)
		assert.Equal(t, json.Number(amount), *ev.(*carik.PaymentEvent).Data.Amount)
	}
	ev, err := carik.Parse([]byte(`{"event": "payment", "data": {"transaction_id": "T", "amount": 150000}}`))
	require.NoError(t, err)
	n, err := ev.(*carik.PaymentEvent).Data.Amount.Int64()
	require.NoError(t, err)
	assert.Equal(t, int64(150000), n)
}

// TestExactnessTraps: the cases a single-pass decoder gets wrong easily.
func TestExactnessTraps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		path       string // "" when valid
	}{
		{"just above the maximum, equal as a float64", `{"event": "payment", "data": {"transaction_id": "T", "amount": 1000000000000000.0000001}}`, "/data/amount"},
		{"just below the minimum", `{"event": "payment", "data": {"transaction_id": "T", "amount": -1000000000000000.0000001}}`, "/data/amount"},
		{"the maximum written otherwise", `{"event": "payment", "data": {"transaction_id": "T", "amount": 10e14}}`, ""},
		{"just below the maximum", `{"event": "payment", "data": {"transaction_id": "T", "amount": 999999999999999.99999}}`, ""},
		{"refused number in data before the event", `{"data": {"transaction_id": "T", "amount": 1e999}, "event": "payment"}`, "/data/amount"},
		{"refused number in unknown member before the event", `{"data": {"transaction_id": "T", "x": [1e-999]}, "event": "payment"}`, "/data/x/0"},
		{"data before the event, schema rule", `{"data": {"message_id": ""}, "event": "message"}`, "/data/message_id /data/status"},
		{"event escaped", `{"event": "mess\u0061ge", "data": {"message_id": "m", "status": "read"}}`, ""},
		{"escaped key counts as the declared one", `{"event": "message", "data": {"message\u005fid": "m", "status": "read"}}`, ""},
		{"one character of two bytes is non-empty", `{"event": "message", "data": {"message_id": "é", "status": "read"}}`, ""},
		{"an escaped NUL is a character", `{"event": "message", "data": {"message_id": "\u0000", "status": "read"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := carik.Parse([]byte(tt.body))
			got, _ := carikPaths([]byte(tt.body), false)
			if tt.path == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, tt.path, joinPaths(got))
		})
	}
}

func joinPaths(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
