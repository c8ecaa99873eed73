package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// TestSecretsFromEnvironment: listen and send take the secret from CARIK_WEBHOOK_SECRET (the
// token from CARIK_WEBHOOK_TOKEN), flags override it, and no output ever shows it.
func TestSecretsFromEnvironment(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	env := []string{"CARIK_WEBHOOK_SECRET=" + secret}
	l := startListenEnv(t, env)
	r := carikEnv(t, env, "", "send", "--url", l.url, "--sample", "device", "--verbose")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, l.next(t), "200  device    delivered")
	assert.NotContains(t, r.stdout+r.stderr, strings.TrimPrefix(secret, "whsec_"))

	r = carikEnv(t, env, "", "send", "--url", l.url, "--sample", "device", "--secret", cariktest.NewSecret())
	assert.Equal(t, 1, r.code, "the flag overrides the environment")
	assert.Contains(t, l.next(t), "401")
	r = carikEnv(t, env, "", "send", "--url", l.url, "--sample", "device", "--secret=")
	assert.Equal(t, 1, r.code, "--secret= sends unsigned")
	assert.Contains(t, l.next(t), "401  -         carik: signature headers missing")
	assert.NotContains(t, l.stop(t), "UNVERIFIED")

	tok := []string{"CARIK_WEBHOOK_TOKEN=t0ken-value"}
	l = startListenEnv(t, tok)
	r = carikEnv(t, tok, "", "send", "--url", l.url, "--sample", "device", "--verbose")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "> Token: (hidden)")
	assert.NotContains(t, r.stdout+r.stderr, "t0ken-value")
	assert.Contains(t, l.next(t), "200  device    delivered")
	assert.NotContains(t, l.stop(t), "t0ken-value")

	r = carikEnv(t, append(env, tok...), "", "send", "--url", l.url, "--sample", "device")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "both $CARIK_WEBHOOK_SECRET and $CARIK_WEBHOOK_TOKEN are set")
	r = carikEnv(t, nil, "", "send", "--url", l.url, "--sample", "device", "--secret", "whsec_not-base64!")
	assert.Equal(t, 2, r.code)
	assert.NotContains(t, r.stderr, "not-base64!", "a bad secret is not echoed")
}

func TestSendSampleUnknownAndEdits(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got [][]byte
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
	}))
	t.Cleanup(app.Close)
	last := func() map[string]any {
		mu.Lock()
		defer mu.Unlock()
		var doc map[string]any
		d := json.NewDecoder(bytes.NewReader(got[len(got)-1]))
		d.UseNumber()
		require.NoError(t, d.Decode(&doc))
		return doc
	}

	r := carikCmd(t, "", "send", "--url", app.URL, "--sample", "nosuch")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no sample for event "nosuch"; known: `+knownEvents())
	mu.Lock()
	assert.Empty(t, got, "nothing sent")
	mu.Unlock()

	r = carikCmd(t, "", "send", "--url", app.URL, "--sample", "message",
		"--set", "/data/phone=621234", "--set", "/data/extra=5", "--set", "/data/note=hello", "--delete", "/data/queue_id")
	require.Equal(t, 0, r.code, r.stderr)
	data := last()["data"].(map[string]any)
	assert.Equal(t, "621234", data["phone"], "a string property keeps digits a string")
	assert.Equal(t, json.Number("5"), data["extra"], "no schema: JSON is JSON")
	assert.Equal(t, "hello", data["note"], "no schema: text is a string")
	assert.NotContains(t, data, "queue_id")

	r = carikCmd(t, "", "send", "--url", app.URL, "--sample", "payment", "--set", "/data/amount=12.50")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, json.Number("12.50"), last()["data"].(map[string]any)["amount"], "a number property gets the number as written")
	r = carikCmd(t, "", "send", "--url", app.URL, "--sample", "payment", "--set", "/data/amount=lots")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `--set /data/amount: the schema wants a number here; "lots" is not JSON`)

	file := filepath.Join(t.TempDir(), "p.json")
	require.NoError(t, os.WriteFile(file, cariktest.Payload(carik.EventMessage), 0o644))
	r = carikCmd(t, "", "send", "--url", app.URL, file, "--set", "/data/status=failed", "--delete", "/data/phone")
	require.Equal(t, 0, r.code, r.stderr)
	data = last()["data"].(map[string]any)
	assert.Equal(t, "failed", data["status"])
	assert.NotContains(t, data, "phone", "--set and --delete work on a file too")

	raw := []byte("{\"event\": \"device\",\n \"data\": {\"device_id\": \"D\", \"status\": \"connected\"}}\n")
	require.NoError(t, os.WriteFile(file, raw, 0o644))
	r = carikCmd(t, "", "send", "--url", app.URL, file)
	require.Equal(t, 0, r.code, r.stderr)
	mu.Lock()
	assert.Equal(t, raw, got[len(got)-1], "an unedited file goes out byte for byte")
	mu.Unlock()
}

// TestSignPrintsCurl: carik sign prints a curl command whose headers verify.
func TestSignPrintsCurl(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	r := carikEnv(t, []string{"CARIK_WEBHOOK_SECRET=" + secret}, "", "sign", "--sample", "message", "--set", "/data/status=failed", "--id", "msg_1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "curl -sS -X POST 'http://127.0.0.1:8080/webhook' \\\n"), r.stdout)
	assert.NotContains(t, r.stdout, strings.TrimPrefix(secret, "whsec_"))
	h := http.Header{}
	for _, m := range regexp.MustCompile(`-H '([^:]+): ([^']*)'`).FindAllStringSubmatch(r.stdout, -1) {
		h.Set(m[1], m[2])
	}
	body := regexp.MustCompile(`--data-binary '([^']*)'`).FindStringSubmatch(r.stdout)
	require.NotNil(t, body, r.stdout)
	assert.Equal(t, "msg_1", h.Get("webhook-id"))
	assert.NoError(t, v.Verify(h, []byte(body[1])))
	assert.Contains(t, body[1], `"status":"failed"`)

	file := filepath.Join(t.TempDir(), "it's.json")
	require.NoError(t, os.WriteFile(file, cariktest.Payload(carik.EventDevice), 0o644))
	r = carikCmd(t, "", "sign", "--secret", secret, "--url", "https://app.example/carik", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `--data-binary @'`+strings.ReplaceAll(file, "'", `'\''`)+"'\n", "a file is sent as is, quoted for the shell")
	r = carikCmd(t, "", "sign", "--sample", "message")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "give --secret or set $CARIK_WEBHOOK_SECRET")
	// sign has no --token: a token in the environment (for send and listen) is not its business.
	r = carikEnv(t, []string{"CARIK_WEBHOOK_SECRET=" + secret, "CARIK_WEBHOOK_TOKEN=tok"}, "", "sign", "--sample", "message")
	assert.Equal(t, 0, r.code, r.stderr)
	r = carikEnv(t, []string{"CARIK_WEBHOOK_TOKEN=tok"}, "", "sign", "--sample", "message")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "give --secret or set $CARIK_WEBHOOK_SECRET")
}

// TestValidateKeepsGoing: a missing path does not stop the others; the exit code is 2 at the
// end; --json gives a record for it.
func TestValidateKeepsGoing(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, "", "validate", "no-such.json", payloads+"/valid/device.json")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "carik validate: no-such.json: no such file or directory\n")
	assert.Contains(t, r.stdout, "ok  "+payloads+"/valid/device.json  (device)")
	assert.Contains(t, r.stdout, "1 file(s): 1 valid, 0 invalid, 1 not checked")

	r = carikCmd(t, "", "validate", "--json", "no-such.json", payloads+"/malformed/truncated.json")
	assert.Equal(t, 2, r.code)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2)
	assert.JSONEq(t, `{"file": "no-such.json", "valid": false, "event": null, "errors": [],
		"problem": {"kind": "io", "message": "no such file or directory"}}`, lines[0])
	var rec struct {
		Problem struct {
			Kind   string
			Offset int64
			Line   int
			Column int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &rec))
	assert.Equal(t, "syntax", rec.Problem.Kind)
	assert.Equal(t, int64(50), rec.Problem.Offset)
	assert.Equal(t, 1, rec.Problem.Line)
	assert.Equal(t, 51, rec.Problem.Column)
}

// TestValidatePatternsAndLimits: a pattern the shell left alone (quoted, or a shell without
// globbing) is expanded; one that matches nothing, or a --max-bytes below 1, says so.
func TestValidatePatternsAndLimits(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, "", "validate", payloads+"/valid/dev*.json", payloads+"/valid/message.json")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "ok  "+payloads+"/valid/device.json  (device)\n"+
		"ok  "+payloads+"/valid/device_connected.json  (device)\n"+
		"ok  "+payloads+"/valid/message.json  (message)\n"+
		"3 file(s): 3 valid, 0 invalid\n", r.stdout)

	r = carikCmd(t, "", "validate", payloads+"/*valid")
	assert.Equal(t, 1, r.code, "a pattern naming directories gives their files: the invalid ones too")
	assert.Contains(t, r.stdout, "/invalid/message_many_errors.json: /platform: expected string, found a number\n")
	assert.Contains(t, r.stdout, "ok  "+payloads+"/valid/device.json  (device)\n")

	r = carikCmd(t, "", "validate", "--json", "nothing-*.json")
	assert.Equal(t, 2, r.code)
	assert.JSONEq(t, `{"file": "nothing-*.json", "valid": false, "event": null, "errors": [],
		"problem": {"kind": "io", "message": "no such file, and no file matches it as a pattern"}}`, r.stdout)

	for _, n := range []string{"0", "-1"} {
		r = carikCmd(t, "", "validate", "--max-bytes", n, payloads+"/valid/device.json")
		assert.Equal(t, 2, r.code)
		assert.Equal(t, "carik validate: --max-bytes "+n+": give a limit of at least 1 byte\nRun \"carik validate --help\" for usage.\n", r.stderr)
		assert.Empty(t, r.stdout)
	}
}

func TestLineColumn(t *testing.T) {
	t.Parallel()
	body := []byte("{\n  \"é\": x\n}")
	line, col := lineColumn(body, int64(bytes.IndexByte(body, 'x')))
	assert.Equal(t, 2, line)
	assert.Equal(t, 8, col, "columns count characters")
	line, col = lineColumn(body, int64(len(body)))
	assert.Equal(t, 3, line)
	assert.Equal(t, 2, col)
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"validate", "schema", "listen", "send", "sign", "version"} {
		help := carikCmd(t, "", "help", cmd)
		flag := carikCmd(t, "", cmd, "--help")
		assert.Equal(t, 0, help.code)
		assert.Equal(t, flag.stdout, help.stdout, "carik help %s = carik %s --help", cmd, cmd)
		for _, line := range strings.Split(help.stdout, "\n") {
			if strings.HasPrefix(line, "  -") {
				assert.True(t, strings.HasPrefix(line, "  --"), "flags are spelled --flag as in the usage line: %q", line)
			}
		}
	}
	r := carikCmd(t, "", "help", "validate")
	assert.Contains(t, r.stdout, "  --strict\n")
	assert.Contains(t, r.stdout, "  --max-bytes N\n")
}

// TestListenForwardTo: listen --forward-to re-sends every verified delivery's exact body to
// the app, signed with a local secret that it prints and keeps across restarts, and shows the
// app's answer.
func TestListenForwardTo(t *testing.T) {
	t.Parallel()
	config := t.TempDir()
	type delivery struct {
		body   []byte
		header http.Header
	}
	got := make(chan delivery, 10)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{b, r.Header.Clone()}
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"app":"thanks"}`)
	}))
	t.Cleanup(app.Close)

	secret := cariktest.NewSecret()
	env := []string{"XDG_CONFIG_HOME=" + config}
	start := func() (*listener, string) {
		l := startListenEnv(t, env, "--secret", secret, "--forward-to", app.URL+"/carik")
		line := l.next(t)
		m := regexp.MustCompile(`^forwarding to \S+, signed with (whsec_\S+) \(stored in (\S+);`).FindStringSubmatch(line)
		require.NotNil(t, m, line)
		assert.Equal(t, filepath.Join(config, "carik", "forward-secret"), m[2])
		return l, m[1]
	}
	l, local := start()
	st, err := os.Stat(filepath.Join(config, "carik", "forward-secret"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	body := []byte("{\"event\": \"message\",\n \"data\": {\"message_id\": \"m\", \"status\": \"read\"}}")
	signer := cariktest.NewSigner(secret)
	h := signer.SignAt("msg_fwd", time.Now(), body)
	send := func(body []byte, h http.Header) int {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, l.url, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header = h
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	assert.Equal(t, 200, send(body, h))
	d := <-got
	assert.Equal(t, body, d.body, "the exact bytes received")
	assert.Equal(t, "msg_fwd", d.header.Get("webhook-id"), "the delivery keeps its id")
	appVerifier, err := carik.StandardWebhooks(local)
	require.NoError(t, err)
	assert.NoError(t, appVerifier.Verify(d.header, d.body), "signed with the printed local secret")
	assert.Contains(t, l.next(t), "200  message   delivered  id=msg_fwd")
	assert.Equal(t, "| {\"event\": \"message\",", l.sub(t))
	assert.Equal(t, "|  \"data\": {\"message_id\": \"m\", \"status\": \"read\"}}", l.sub(t))
	assert.Equal(t, "-> "+app.URL+"/carik: 202 Accepted {\"app\":\"thanks\"}", l.sub(t))

	bad := []byte(`{"event": "device", "data": {}}`)
	assert.Equal(t, 422, send(bad, signer.Sign(bad)))
	assert.Equal(t, bad, (<-got).body, "verified but invalid: forwarded too, so the app sees the drift")
	assert.Contains(t, l.next(t), "422  device    invalid")
	assert.Equal(t, 401, send(bad, cariktest.NewSigner(cariktest.NewSecret()).Sign(bad)))
	assert.Contains(t, l.next(t), "401  -         carik: no signature matches")
	l.stop(t)
	select {
	case d := <-got:
		t.Fatalf("an unverified delivery was forwarded: %s", d.body)
	default:
	}

	l, again := start()
	assert.Equal(t, local, again, "the local secret is stable across restarts")
	l.stop(t)
}
