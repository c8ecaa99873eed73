package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
