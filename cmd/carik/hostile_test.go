package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"message", "message"},
		{"a\n::error file=x::forged", `a\n::error file=x::forged`},
		{"\x1b]0;pwned\x07\x1b[2J", `\x1b]0;pwned\x07\x1b[2J`},
		{"tab\there\rcr", `tab\there\rcr`},
		{`back\slash`, `back\\slash`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"c1 \u009b control", `c1 \u009b control`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"line\u2028sep", `line\u2028sep`},
		{"âé 🙂", "âé 🙂"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, excerpt.Escape(tt.in))
		})
	}
}

// assertNoForgedLines checks output for anything a terminal or a CI runner would interpret.
func assertNoForgedLines(t *testing.T, out string) {
	t.Helper()
	assert.NotContains(t, out, "\x1b", "no escape sequence reaches the terminal")
	assert.NotContains(t, out, "\r")
	assert.NotContains(t, out, "\x07")
	for _, line := range strings.Split(out, "\n") {
		assert.False(t, strings.HasPrefix(strings.TrimSpace(line), "::"), "a line GitHub Actions would read as a workflow command: %q", line)
	}
}

// TestValidateEscapesPayloadText: keys, values and event types of a payload are printed
// escaped; a key holding "\n::error ...::" cannot forge a workflow command.
func TestValidateEscapesPayloadText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "evil.json")
	body := `{"event": "message", "platform": 1, "data": {"message_id": "m", "status": "read", "x\n::error file=main.go::forged\n": 1, "\u001b]0;owned\u0007": 2}}`
	require.NoError(t, os.WriteFile(file, []byte(body), 0o644))
	for _, args := range [][]string{{"validate", "--strict", file}, {"validate", "--strict", "--json", file}} {
		r := carikCmd(t, "", args...)
		assert.Equal(t, 1, r.code)
		assertNoForgedLines(t, r.stdout+r.stderr)
		if len(args) == 3 {
			assert.Contains(t, r.stdout, `/data/x\n::error file=main.go::forged\n: unknown property`)
			assert.Contains(t, r.stdout, `/data/\x1b]0;owned\x07: unknown property`)
		}
	}
	r := carikCmd(t, `{"event": "\u001b[2Jpwn\n::warning::x", "data": {}}`, "validate", "-")
	assert.Equal(t, 0, r.code)
	assertNoForgedLines(t, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, `(\x1b[2Jpwn\n::warning::x)`)
}

// TestListenEscapesPayloadText: listen prints the event type, the webhook-id and the body
// escaped.
func TestListenEscapesPayloadText(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	l := startListen(t, "--secret", secret)
	body := []byte(`{"event": "\u001b]0;retitled\u0007\u001b[1A\u001b[2K::error::forged", "data": {"k\n::error::x": "\u001b[31mred"}}`)
	signer := cariktest.NewSigner(secret)
	h := signer.SignAt("id\x1b[2K", time.Now(), body)
	req, err := http.NewRequest(http.MethodPost, l.url, strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header = h
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		res.Body.Close()
	}
	// Go's client refuses control bytes in a header value, so the id goes through as a raw
	// request where possible; the body alone carries the attack otherwise.
	if err != nil {
		h.Set("Webhook-Id", "id-plain")
		h = signer.SignAt("id-plain", time.Now(), body)
		req.Header = h
		res, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
	}
	assert.Equal(t, 200, res.StatusCode)
	head := l.next(t)
	var lines []string
	lines = append(lines, head)
	lines = append(lines, l.sub(t), l.sub(t)) // the strict note and the body
	out := strings.Join(lines, "\n")
	assertNoForgedLines(t, out)
	assert.Contains(t, head, `\x1b]0;retitled\x07\x1b[1A\x1b[2K::error::forged`)
	l.stop(t)
}

// TestSendDoesNotFollowRedirects: a 307 or 308 answer is reported as a failure, and neither
// the body nor the signature or token reaches the other host.
func TestSendDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	t.Cleanup(other.Close)
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/stolen", status)
		}))
		t.Cleanup(redirector.Close)
		for _, auth := range [][]string{{"--secret", cariktest.NewSecret()}, {"--token", "s3cret"}} {
			r := carikCmd(t, "", append([]string{"send", "--url", redirector.URL, "--sample", "message"}, auth...)...)
			assert.Equal(t, 1, r.code, "a redirect is a failure")
			assert.Contains(t, r.stdout, http.StatusText(status))
			assert.Contains(t, r.stderr, "not followed")
		}
	}
	assert.Zero(t, hits.Load(), "nothing was re-sent to the other host")
}

// TestValidateRefusesLargeFiles: a file over the limit is refused from its size, not read
// into memory; --max-bytes raises the limit.
func TestValidateRefusesLargeFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(1<<30)) // 1 GiB, sparse: a whole read would show in time and memory
	require.NoError(t, f.Close())
	small := filepath.Join(dir, "small.json")
	require.NoError(t, os.WriteFile(small, cariktest.Payload(carik.EventMessage), 0o644))

	start := time.Now()
	r := carikCmd(t, "", "validate", dir)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "big.json: larger than 1048576 bytes; not read (--max-bytes raises the limit)")
	assert.Contains(t, r.stdout, "ok  "+small)

	r = carikCmd(t, "", "validate", "--json", big)
	assert.Equal(t, 2, r.code)
	assert.JSONEq(t, `{"file": "`+big+`", "valid": false, "event": null, "errors": [], "problem": {"kind": "too_large", "message": "larger than 1048576 bytes; not read (--max-bytes raises the limit)"}}`, r.stdout)

	r = carikCmd(t, "", "validate", "--max-bytes", "100", small)
	assert.Equal(t, 2, r.code)
	r = carikCmd(t, strings.Repeat(" ", 2<<20), "validate", "-")
	assert.Equal(t, 2, r.code, "standard input has the same limit")
	assert.Contains(t, r.stderr, "larger than 1048576 bytes")
}

// TestListenServerTimeouts: listen's server has the timeouts of examples/receiver, so a
// stalled client cannot hold a connection.
func TestListenServerTimeouts(t *testing.T) {
	t.Parallel()
	srv := newServer(http.NotFoundHandler())
	assert.Equal(t, 5*time.Second, srv.ReadHeaderTimeout)
	assert.Equal(t, 30*time.Second, srv.ReadTimeout)
	assert.Equal(t, 30*time.Second, srv.WriteTimeout)
	assert.Equal(t, 2*time.Minute, srv.IdleTimeout)
	assert.Equal(t, 64<<10, srv.MaxHeaderBytes)
}
