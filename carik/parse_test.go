package carik_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

func TestParseMessageFields(t *testing.T) {
	t.Parallel()
	ev, err := carik.Parse([]byte(`{"event": "message", "platform": "whatsapp",
		"data": {"queue_id": "1234567890", "message_id": "abc", "phone": "621234567890", "status": "read"}}`))
	require.NoError(t, err)
	m, ok := ev.(*carik.MessageEvent)
	require.True(t, ok, "got %T", ev)
	assert.Equal(t, carik.EventMessage, m.Type())
	assert.Equal(t, carik.PlatformWhatsApp, m.Platform)
	assert.Equal(t, "abc", m.Data.MessageID)
	assert.Equal(t, carik.MessageStatusRead, m.Data.Status)
	require.NotNil(t, m.Data.QueueID)
	assert.Equal(t, "1234567890", *m.Data.QueueID)
	require.NotNil(t, m.Data.Phone)
	assert.Equal(t, "621234567890", *m.Data.Phone)
	assert.Empty(t, m.VendorID)
}

func TestParseOptionalFieldsAbsent(t *testing.T) {
	t.Parallel()
	ev, err := carik.Parse([]byte(`{"event": "message", "data": {"message_id": "m", "status": "sent"}}`))
	require.NoError(t, err)
	m := ev.(*carik.MessageEvent)
	assert.Nil(t, m.Data.QueueID)
	assert.Nil(t, m.Data.Phone)
	assert.Empty(t, m.Platform)
}

func TestParsePaymentFields(t *testing.T) {
	t.Parallel()
	ev, err := carik.Parse([]byte(`{"event": "payment", "vendor_id": "midtrans", "channel_id": "qris",
		"data": {"transaction_id": "T1", "amount": 150000.5, "currency": "IDR", "status": "settled", "va": "123"}}`))
	require.NoError(t, err)
	p := ev.(*carik.PaymentEvent)
	assert.Equal(t, "midtrans", p.VendorID)
	assert.Equal(t, "qris", p.ChannelID)
	assert.Equal(t, "T1", p.Data.TransactionID)
	require.NotNil(t, p.Data.Amount)
	assert.Equal(t, json.Number("150000.5"), *p.Data.Amount, "the amount keeps its exact text")
	require.NotNil(t, p.Data.Status)
	assert.Equal(t, carik.PaymentStatus("settled"), *p.Data.Status, "an undocumented status is kept")
	assert.Contains(t, string(p.Raw()), `"va": "123"`, "fields without a Go field stay reachable through Raw")
}

func TestParseModuleKeepsEverything(t *testing.T) {
	t.Parallel()
	ev, err := carik.ParseOptions{Strict: true}.Parse([]byte(`{"event": "module", "data": {"module": "survey", "answers": {"q1": "yes"}, "score": 4}}`))
	require.NoError(t, err)
	m := ev.(*carik.ModuleEvent)
	assert.Equal(t, "survey", m.Data["module"])
	assert.Equal(t, map[string]any{"q1": "yes"}, m.Data["answers"])
	assert.Equal(t, json.Number("4"), m.Data["score"], "numbers stay exact")
}

func TestParseUnknownEvent(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event": "order", "platform": "web", "vendor_id": "v", "data": {"order_id": "O-1"}}`)
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	u, ok := ev.(*carik.UnknownEvent)
	require.True(t, ok, "got %T", ev)
	assert.Equal(t, carik.EventType("order"), u.Type())
	assert.Equal(t, carik.PlatformWeb, u.Platform)
	assert.Equal(t, "v", u.VendorID)
	assert.Equal(t, map[string]any{"order_id": "O-1"}, u.Data)

	_, err = carik.ParseOptions{Strict: true}.Parse(body)
	var verr *carik.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, carik.EventType("order"), verr.Event)
	require.Len(t, verr.Violations, 1)
	assert.Equal(t, "/event", verr.Violations[0].Path)
	assert.Contains(t, verr.Violations[0].Message, `found "order"`)
}

func TestRawIsACopy(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event": "device", "data": {"device_id": "D1", "status": "connected"}}`)
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	want := string(body)
	copy(body, strings.Repeat("x", len(body)))
	assert.Equal(t, want, string(ev.Raw()), "reusing the input buffer must not change the event")
}

func TestViolationMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body   string
		strict bool
		path   string
		substr string
	}{
		{`{"event": "message", "data": {"status": "read"}}`, false, "/data/message_id", "required property is missing"},
		{`{"event": "message", "data": {"message_id": "", "status": "read"}}`, false, "/data/message_id", `expected a non-empty string, found ""`},
		{`{"event": "message", "data": {"message_id": "m", "status": 3}}`, false, "/data/status", "expected string, found a number"},
		{`{"event": "message", "data": {"message_id": "m", "status": "seen"}}`, true, "/data/status", `found "seen"`},
		{`{"event": "message", "data": {"message_id": "m", "status": "read", "a/b~c": 1}}`, true, "/data/a~1b~0c", "unknown property"},
		{`{"event": "message", "data": {"message_id": "m", "status": "read", "it's \"q\"\u00e9": 1}}`, true, "/data/it's \"q\"\u00e9", "unknown property"},
		{`{"event": "device", "data": null}`, false, "/data", "expected object, found null"},
		{`{"event": "payment", "data": {"transaction_id": "T", "amount": 1e400}}`, false, "/data/amount", "expected a number within the range of a float64, found 1e400"},
		{`{"event": "payment", "data": {"transaction_id": "T", "amount": 1e16}}`, false, "/data/amount", "expected at most 1000000000000000, found 1e16"},
		{`{"event": "module", "data": {"n": [1, 2, -1e400, 1e-300]}}`, false, "/data/n/2", "range of a float64"},
		{`{"event": "module", "data": {"n": [1e-320, 1e-400]}}`, false, "/data/n/1", "expected a number within the range of a float64, found 1e-400"},
		{`{"event": "payment", "data": {"transaction_id": "T", "amount": 1e-1000001}}`, false, "/data/amount", "expected a number within the range of a float64, found 1e-1000001"},
		{`{"event": "payment", "data": {"transaction_id": "T", "amount": 0.0e-99999999999999999999}}`, false, "/data/amount", "expected a number with an exponent between -999 and 999, found 0.0e-99999999999999999999"},
		{`{"event": "payment", "data": {"transaction_id": "T", "amount": -0E+1000}}`, false, "/data/amount", "expected a number with an exponent between -999 and 999, found -0E+1000"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			err := carik.ParseOptions{Strict: tt.strict}.Validate([]byte(tt.body))
			var verr *carik.ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Violations, 1, "%v", verr.Violations)
			assert.Equal(t, tt.path, verr.Violations[0].Path)
			assert.Contains(t, verr.Violations[0].Message, tt.substr)
			assert.Contains(t, err.Error(), tt.path+": ")
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body   string
		offset int64
		reason string
	}{
		{``, 0, "empty body"},
		{`   `, 0, "empty body"},
		{`{"event": "message",`, 20, "truncated"},
		{`{"event" "message"}`, 9, "invalid character"},
		{`  [1, 2]`, 2, "found an array"},
		{`"message"`, 0, "found a string"},
		{`42`, 0, "found a number"},
		{`null`, 0, "found null"},
		{`true`, 0, "found a boolean"},
		{`{"event": "device", "data": {}}  {}`, 33, "after the JSON value"},
		{"{\"event\": \"device\", \"data\": {}}\n\nxyz", 33, "after the JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			_, err := carik.Parse([]byte(tt.body))
			require.Error(t, err)
			assert.ErrorIs(t, err, carik.ErrMalformed)
			var serr *carik.SyntaxError
			require.ErrorAs(t, err, &serr)
			assert.Equal(t, tt.offset, serr.Offset)
			assert.Contains(t, serr.Reason, tt.reason)
			assert.Contains(t, err.Error(), fmt.Sprintf("at byte %d", tt.offset))
			assert.True(t, strings.HasPrefix(err.Error(), "carik: "))
			var verr *carik.ValidationError
			assert.False(t, errors.As(err, &verr))
		})
	}
}

func TestDeeplyNestedBody(t *testing.T) {
	t.Parallel()
	// Nesting inside data, where payment allows any field, so only depth can fail it.
	for _, depth := range []int{100, 5000, 100_000} {
		body := `{"event": "payment", "data": {"transaction_id": "T", "x": ` +
			strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}}`
		_, err := carik.Parse([]byte(body))
		if depth <= 5000 {
			assert.NoError(t, err, "depth %d", depth)
			continue
		}
		assert.ErrorIs(t, err, carik.ErrMalformed, "depth %d", depth)
	}
}

func TestLargeBody(t *testing.T) {
	t.Parallel()
	// Parse has no size limit of its own (the receiver bounds bodies); a large valid payload
	// parses whole.
	note := strings.Repeat("a", 4<<20)
	body := []byte(`{"event": "payment", "data": {"transaction_id": "T", "note": "` + note + `"}}`)
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	assert.Equal(t, len(body), len(ev.Raw()))
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	err := &carik.ValidationError{Event: carik.EventDevice, Violations: []carik.Violation{
		{Path: "/data/device_id", Message: "required property is missing"},
	}}
	assert.Equal(t, `carik: invalid "device" payload (1 violation): /data/device_id: required property is missing`, err.Error())
	err = &carik.ValidationError{Violations: []carik.Violation{{Path: "/a", Message: "x"}, {Path: "/b", Message: "y"}}}
	assert.Equal(t, `carik: invalid payload (2 violations): /a: x; /b: y`, err.Error())
	many := &carik.ValidationError{}
	for i := range 12 {
		many.Violations = append(many.Violations, carik.Violation{Path: fmt.Sprintf("/v%02d", i), Message: "m"})
	}
	assert.True(t, strings.HasSuffix(many.Error(), "/v09: m; and 2 more"), many.Error())
}

// TestValidationErrorCountsWhatItDoesNotList: the message gives the real total and the real
// number left out, whether the list stops on its count, on its bytes, or was cut by
// MaxViolations (its last entry, "N more violations not listed", is a count, not a violation).
func TestValidationErrorCountsWhatItDoesNotList(t *testing.T) {
	t.Parallel()
	list := func(n int, extra ...carik.Violation) []carik.Violation {
		var v []carik.Violation
		for i := range n {
			v = append(v, carik.Violation{Path: fmt.Sprintf("/v%02d", i), Message: "m"})
		}
		return append(v, extra...)
	}
	notListed := func(n int) carik.Violation {
		return carik.Violation{Path: "", Message: fmt.Sprintf("%d more violations not listed", n)}
	}
	tests := []struct {
		name       string
		violations []carik.Violation
		want       string
	}{
		{"few, then the count entry", list(3, notListed(997)),
			"carik: invalid payload (1000 violations): /v00: m; /v01: m; /v02: m; and 997 more"},
		{"more than ten, then the count entry", list(12, notListed(88)),
			"carik: invalid payload (100 violations): /v00: m; /v01: m; /v02: m; /v03: m; /v04: m; /v05: m; /v06: m; /v07: m; /v08: m; /v09: m; and 90 more"},
		{"a root violation that is not a count", list(1, carik.Violation{Path: "", Message: "x more violations not listed"}),
			"carik: invalid payload (2 violations): /v00: m; : x more violations not listed"},
		{"only the count entry", list(0, notListed(5)), "carik: invalid payload (5 violations): and 5 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, (&carik.ValidationError{Violations: tt.violations}).Error())
		})
	}
}

// TestValidationErrorMessageStopsOnBytes: when the message stops on its byte bound, before
// the tenth violation, it says how many it left out (it once said "and -5 more").
func TestValidationErrorMessageStopsOnBytes(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("k", 490)
	var b strings.Builder
	b.WriteString(`{"event":"message","data":{"message_id":"a","status":"read","x":{`)
	for i := range 5 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"%s%d":1e999`, key, i)
	}
	b.WriteString(`}}}`)
	_, err := carik.Parse([]byte(b.String()))
	var verr *carik.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	require.Len(t, verr.Violations, 5)
	msg := err.Error()
	assert.Contains(t, msg, "(5 violations)")
	shown := strings.Count(msg, "/data/x/")
	require.Less(t, shown, 5, "the byte bound cuts the list")
	assert.True(t, strings.HasSuffix(msg, fmt.Sprintf("; and %d more", 5-shown)), "tail: %q", msg[len(msg)-40:])
}

// TestValidationErrorTotalPastMaxViolations: 5,000 refused numbers make a message that says
// 5,000, although the list holds fewer.
func TestValidationErrorTotalPastMaxViolations(t *testing.T) {
	t.Parallel()
	_, err := carik.Parse([]byte(`{"event":"message","data":{"message_id":"a","status":"read","x":[` + repeatJoin("1e999", 5000) + `]}}`))
	var verr *carik.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	require.Less(t, len(verr.Violations), 5000)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, `carik: invalid "message" payload (5000 violations): /data/x/0: `), msg)
	assert.True(t, strings.HasSuffix(msg, "; and 4990 more"), msg)
}

// TestSyntaxErrorNamesThePointer: besides the byte offset, a syntax error names the JSON pointer
// of the value being read where it was found (the object holding a duplicate key, the member
// whose value is malformed), so that the sender finds it in a large body.
func TestSyntaxErrorNamesThePointer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, pointer, reason string
	}{
		{"duplicate key, one escaped", `{"event":"message","data":{"message_id":"m","st\u0061tus":"read","status":"x"}}`, "/data", `duplicate key "status"`},
		{"keys differing in case", `{"event":"module","data":{"x":{"k":1,"K":2}}}`, "/data/x", "differs only in case"},
		{"control byte in a value", "{\"event\":\"module\",\"data\":{\"a\":[1,{\"b\":\"\x01\"}]}}", "/data/a/1/b", "in string literal"},
		{"invalid UTF-8 under a key with escapes", "{\"event\":\"module\",\"data\":{\"a/b~\":\"\xff\"}}", "/data/a~1b~0", "invalid UTF-8"},
		{"truncated in an array", `{"event":"module","data":{"a":[1,2`, "/data/a", "truncated"},
		{"data after the object", `{"event":"module","data":{}} x`, "", "after the JSON value"},
		{"a bad key at the top", "{\"\xff\":1}", "", "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, strict := range []bool{false, true} {
				_, err := carik.ParseOptions{Strict: strict}.Parse([]byte(tt.body))
				var serr *carik.SyntaxError
				require.ErrorAs(t, err, &serr)
				assert.Equal(t, tt.pointer, serr.Pointer)
				assert.Contains(t, serr.Reason, tt.reason)
				if tt.pointer != "" {
					assert.Contains(t, err.Error(), fmt.Sprintf("at byte %d, in %s: ", serr.Offset, tt.pointer))
				} else {
					assert.Contains(t, err.Error(), fmt.Sprintf("at byte %d: ", serr.Offset))
				}
			}
		})
	}
}
