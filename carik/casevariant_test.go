package carik_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// TestCaseVariantOfADeclaredName: a member whose key matches a declared name but for case
// (with no exact key beside it: that pair is malformed) would be read into the declared field
// by encoding/json (json.Unmarshal(e.Raw(), &carik.PaymentData{})) but not by the typed event,
// and would escape the field's rules: it is a violation in both modes, at the member's pointer.
// A deliberate difference from JSON Schema, whose names are case-sensitive.
func TestCaseVariantOfADeclaredName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       []carik.Violation
	}{
		{"data members", `{"event":"payment","data":{"transaction_id":"t","STATUS":"paid","Amount":99999999999999999999}}`, []carik.Violation{
			{Path: "/data/Amount", Message: `unknown property "Amount": differs only in case from the declared "amount"`},
			{Path: "/data/STATUS", Message: `unknown property "STATUS": differs only in case from the declared "status"`},
		}},
		{"envelope member", `{"event":"message","PLATFORM":"x","data":{"message_id":"m","status":"read"}}`, []carik.Violation{
			{Path: "/PLATFORM", Message: `unknown property "PLATFORM": differs only in case from the declared "platform"`},
		}},
		{"envelope event", `{"Event":"message","data":{"message_id":"m","status":"read"}}`, []carik.Violation{
			{Path: "/Event", Message: `unknown property "Event": differs only in case from the declared "event"`},
			{Path: "/event", Message: "required property is missing"},
		}},
		{"non-ASCII fold (long s)", `{"event":"message","data":{"message_id":"m","\u017ftatus":"read"}}`, []carik.Violation{
			{Path: "/data/status", Message: "required property is missing"},
			{Path: "/data/ſtatus", Message: `unknown property "ſtatus": differs only in case from the declared "status"`},
		}},
		{"escaped variant", `{"event":"device","data":{"status":"connected","Device_\u0049d":"x"}}`, []carik.Violation{
			{Path: "/data/Device_Id", Message: `unknown property "Device_Id": differs only in case from the declared "device_id"`},
			{Path: "/data/device_id", Message: "required property is missing"},
		}},
		{"another name", `{"event":"message","data":{"message_id":"m","status":"read","Statuses":1}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, strict := range []bool{false, true} {
				ev, err := carik.ParseOptions{Strict: strict}.Parse([]byte(tt.body))
				if tt.want == nil {
					if !strict {
						require.NoError(t, err)
						require.NotNil(t, ev)
					}
					continue
				}
				require.Nil(t, ev)
				var verr *carik.ValidationError
				require.True(t, errors.As(err, &verr), "strict=%v: %v", strict, err)
				assert.Equal(t, tt.want, verr.Violations, "strict=%v", strict)
			}
		})
	}
}

// TestCaseVariantCannotSplitTheEvent: what the typed event holds and what encoding/json reads
// from Raw agree whenever Parse accepts.
func TestCaseVariantCannotSplitTheEvent(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"payment","data":{"transaction_id":"t","status":"paid","amount":5,"Note":"n"}}`)
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	p := ev.(*carik.PaymentEvent)
	var env struct {
		Data carik.PaymentData `json:"data"`
	}
	require.NoError(t, json.Unmarshal(p.Raw(), &env))
	assert.Equal(t, *env.Data.Status, *p.Data.Status)
	assert.Equal(t, *env.Data.Amount, *p.Data.Amount)
	assert.Equal(t, json.RawMessage(`"n"`), p.Data.Extra["Note"])
}
