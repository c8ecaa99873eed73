package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		stdin  string
		strict bool
		code   int
		out    string
	}{
		{[]string{"../../testdata/payloads/valid/message.json"}, "", false, 0, `*carik.MessageEvent (event "message")`},
		{nil, `{"event": "device", "data": {"device_id": "D", "status": "connected"}}`, true, 0, "*carik.DeviceEvent"},
		{[]string{"../../testdata/payloads/lenient/message_new_status.json"}, "", true, 1, `/data/status: expected one of`},
		{[]string{"../../testdata/payloads/malformed/truncated.json"}, "", false, 1, "carik: body is not a single JSON object"},
		{[]string{"no-such-file.json"}, "", false, 2, ""},
		{[]string{"a", "b"}, "", false, 2, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tt.args, tt.strict, strings.NewReader(tt.stdin), &stdout, &stderr)
			assert.Equal(t, tt.code, code, stderr.String())
			assert.Contains(t, stdout.String(), tt.out)
			if tt.code == 2 {
				assert.NotEmpty(t, stderr.String())
			}
		})
	}
}
