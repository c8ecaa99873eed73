package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseFlagsAnyOrder(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--strict", "--json", "a", "b"},
		{"a", "--strict", "b", "--json"},
		{"a", "b", "-strict=true", "-json"},
		{"--strict", "--json", "--", "a", "b"},
	} {
		var out, errb bytes.Buffer
		fs := newFlagSet("validate", "", "", Stdio{Out: &out, Err: &errb})
		strict := fs.Bool("strict", false, "")
		asJSON := fs.Bool("json", false, "")
		rest, code := parseFlags(fs, args, Stdio{Out: &out, Err: &errb})
		assert.Equal(t, -1, code, "%v: %s", args, errb.String())
		assert.Equal(t, []string{"a", "b"}, rest, "%v", args)
		assert.True(t, *strict && *asJSON, "%v", args)
	}
}

func TestParseFlagsValueFlagAndStdin(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	stdio := Stdio{Out: &out, Err: &errb}
	fs := newFlagSet("send", "", "", stdio)
	url := fs.String("url", "", "")
	rest, code := parseFlags(fs, []string{"-", "--url", "http://x"}, stdio)
	assert.Equal(t, -1, code)
	assert.Equal(t, "http://x", *url)
	assert.Equal(t, []string{"-"}, rest, `"-" is an argument (standard input), not a flag`)
}

func TestRunInProcess(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"validate", "-"}, Stdio{
		In: strings.NewReader(`{"event": "device", "data": {"device_id": "D", "status": "connected"}}`), Out: &out, Err: &errb,
	})
	assert.Equal(t, 0, code, errb.String())
	assert.Equal(t, "ok  -  (device)\n1 file(s): 1 valid, 0 invalid\n", out.String())
}
