package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendAnswerCannotForgeLines: every line of the answer is printed behind "| ", so an
// answer holding "\n::error ...::" cannot forge a workflow command in a CI log.
func TestSendAnswerCannotForgeLines(t *testing.T) {
	t.Parallel()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n::error file=main.go::forged\n  ::warning::indented\r\n\x1b[2Jdone")
	}))
	t.Cleanup(app.Close)
	r := carikCmd(t, "", "send", "--url", app.URL, "--sample", "message")
	assert.Equal(t, 0, r.code, r.stderr)
	assertNoForgedLines(t, r.stdout)
	assert.Equal(t, "200 OK\n| ok\n| ::error file=main.go::forged\n|   ::warning::indented\\r\n| \\x1b[2Jdone\n", r.stdout)
}

// TestSendVerboseHidesThePassword: --verbose shows the URL with its password masked, as
// url.URL.Redacted does.
func TestSendVerboseHidesThePassword(t *testing.T) {
	t.Parallel()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(app.Close)
	target := strings.Replace(app.URL, "http://", "http://deploy:hunter2@", 1) + "/carik"
	r := carikCmd(t, "", "send", "--verbose", "--url", target, "--sample", "message")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr+r.stdout, "hunter2")
	assert.Contains(t, r.stderr, "> POST "+strings.Replace(app.URL, "http://", "http://deploy:xxxxx@", 1)+"/carik\n")
}

// TestSendFailuresSayWhatToDo: no answer within --timeout, or nothing listening, exits 1 with
// a message that names the cause and the fix, not a bare Go error.
func TestSendFailuresSayWhatToDo(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(func() { close(release); slow.Close() })
	r := carikCmd(t, "", "send", "--timeout", "200ms", "--url", slow.URL, "--sample", "message")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "carik send: no answer from "+slow.URL+" within 200ms (--timeout raises the limit)\n", r.stderr)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String() + "/webhook"
	ln.Close()
	r = carikCmd(t, "", "send", "--url", closed, "--sample", "message")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "carik send: nothing listens at "+closed+" (connection refused); start the receiver (carik listen, or your app) or fix --url\n", r.stderr)
}

// TestSendURLMustBeHTTP: a --url without its scheme (a common slip: localhost:8080/webhook) is
// a usage error that shows the full form, not a failed request.
func TestSendURLMustBeHTTP(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"localhost:8080/webhook", "127.0.0.1:8080/webhook", "ftp://x/", "http:///webhook"} {
		r := carikCmd(t, "", "send", "--url", u, "--sample", "message")
		assert.Equal(t, 2, r.code, u)
		assert.Contains(t, r.stderr, "carik send: --url \""+u+"\" is not an http(s) URL; write it in full, as in http://127.0.0.1:8080/webhook\n", u)
	}
}
