package engine

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// Ids and headers that JSON strings cannot carry exactly survive the round trip through
// River's JSON args, and ids that differ only in such bytes stay different.
func TestArgsKeepDeliveryExactly(t *testing.T) {
	t.Parallel()
	at := time.Unix(1700000000, 0).UTC()
	tests := []struct {
		name string
		d    carik.Delivery
	}{
		{"text", carik.Delivery{ID: "msg_1", Timestamp: at, Attempt: 2, Header: http.Header{"Webhook-Id": {"msg_1"}}}},
		{"invalid UTF-8 id", carik.Delivery{ID: "msg_\xff", Header: http.Header{"Webhook-Id": {"msg_\xff"}}}},
		{"U+FFFD id", carik.Delivery{ID: "msg_\uFFFD", Header: http.Header{"Webhook-Id": {"msg_\uFFFD"}}}},
		{"NUL in id", carik.Delivery{ID: "msg_\x00"}},
		{"header bytes", carik.Delivery{ID: "sha256:ab", IDFromBody: true,
			Header: http.Header{"X-Note": {"a\xfe\tb", "plain"}, "X-\xff": {"v"}, "Authorization": {"\xff"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, err := json.Marshal(newArgs(tt.d, []byte(`{}`), nil))
			require.NoError(t, err)
			var a Args
			require.NoError(t, decodeArgs(raw, &a))
			want := tt.d
			if want.Header.Get("Authorization") != "" {
				want.Header = want.Header.Clone()
				want.Header.Set("Authorization", redacted)
			}
			assert.Equal(t, want, a.delivery())
			assert.Equal(t, []byte(`{}`), a.Body)
		})
	}
	key := func(id string) string {
		raw, err := json.Marshal(newArgs(carik.Delivery{ID: id}, nil, nil))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(raw, &m))
		return string(must(json.Marshal([]any{m["id"], m["id_raw"]})))
	}
	ids := []string{"msg_\xff", "msg_\xfe", "msg_\uFFFD", "msg_\x00", "msg_"}
	seen := map[string]string{}
	for _, id := range ids {
		k := key(id)
		assert.NotContains(t, seen, k, "%q and %q", id, seen[k])
		seen[k] = id
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
