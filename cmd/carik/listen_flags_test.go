package main

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// TestListenForwardNeedsVerification: --forward-to signs what it forwards with the secret the
// app trusts, so without --secret or --token (which would make listen accept anyone's
// requests) it is a usage error, and no local secret is created.
func TestListenForwardNeedsVerification(t *testing.T) {
	t.Parallel()
	config := t.TempDir()
	r := carikEnv(t, []string{"XDG_CONFIG_HOME=" + config}, "",
		"listen", "--addr", "127.0.0.1:0", "--forward-to", "http://127.0.0.1:1/carik")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "carik listen: --forward-to needs --secret or --token (or $CARIK_WEBHOOK_SECRET)")
	assert.Empty(t, r.stdout, "it does not start listening")
	_, err := os.Stat(filepath.Join(config, "carik", "forward-secret"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	r = carikEnv(t, []string{"XDG_CONFIG_HOME=" + config}, "",
		"listen", "--addr", "127.0.0.1:0", "--secret=", "--forward-to", "http://127.0.0.1:1/carik")
	assert.Equal(t, 2, r.code, "--secret= turns the environment off: unverified again")
}

// TestListenPathValidated: a --path that is not a path is a usage error, and any path that is
// one is served as it is: "/" alone, or one with characters a URL escapes, or ServeMux
// pattern syntax taken literally.
func TestListenPathValidated(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"webhook", "", "http://x/webhook"} {
		t.Run("refused "+bad, func(t *testing.T) {
			t.Parallel()
			r := carikCmd(t, "", "listen", "--addr", "127.0.0.1:0", "--path", bad)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, "carik listen: --path "+`"`+bad+`"`+" does not start with /")
		})
	}
	tests := []struct {
		path      string
		printed   string // the path as the listening line shows it
		other     string // a path listen answers 404 to
		otherWant string
	}{
		{"/", "/", "/webhook", "404  POST /webhook"},
		{"/a b", "/a%20b", "/a", "404  POST /a"},
		{"/{id}", "/%7Bid%7D", "/x", "404  POST /x"},
		{"/hooks/", "/hooks/", "/hooks/x", "404  POST /hooks/x"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			l := startListen(t, "--path", tt.path)
			u, err := url.Parse(l.url)
			require.NoError(t, err)
			assert.Equal(t, tt.printed, u.EscapedPath())
			assert.Equal(t, tt.path, u.Path)
			post := func(target string) int {
				res, err := http.Post(target, "application/json", strings.NewReader(string(cariktest.Payload(carik.EventDevice))))
				require.NoError(t, err)
				res.Body.Close()
				return res.StatusCode
			}
			assert.Equal(t, 200, post(l.url))
			assert.Contains(t, l.next(t), "200  device    delivered")
			assert.Equal(t, 404, post("http://"+u.Host+tt.other))
			assert.Contains(t, l.next(t), tt.otherWant)
			l.stop(t)
		})
	}
}

// TestListenCutsLongEventTypesAndIDs: an event type or a webhook-id of many kilobytes is
// printed as its first 100 bytes and its length, not in full on one line.
func TestListenCutsLongEventTypesAndIDs(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	l := startListen(t, "--secret", secret)
	event := strings.Repeat("e", 200_000)
	id := "msg_" + strings.Repeat("i", 20_000)
	body := []byte(`{"event": "` + event + `", "data": {}}`)
	req, err := http.NewRequest(http.MethodPost, l.url, strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header = cariktest.NewSigner(secret).SignAt(id, time.Now(), body)
	// A line listen cannot print whole would stall it, and the answer with it.
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	head := l.next(t)
	assert.Less(t, len(head), 400, head)
	assert.Contains(t, head, strings.Repeat("e", 100)+"...(200000 bytes)")
	assert.Contains(t, head, "id=msg_"+strings.Repeat("i", 96)+"...(20004 bytes)")
	assert.Less(t, len(l.sub(t)), 4200, "what follows is cut too")
	l.stop(t)
}

// TestListenAddressInUse: a port another process holds is a usage error that says what to do.
func TestListenAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	r := carikCmd(t, "", "listen", "--addr", ln.Addr().String())
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "carik listen: "+ln.Addr().String()+" is in use (another carik listen, or your app?); choose another with --addr (port 0 picks a free one)\n")
	assert.Empty(t, r.stdout)
}

// TestListenAddrNeedsHostAndPort: a bare port (--addr 8080) is a usage error showing the form.
func TestListenAddrNeedsHostAndPort(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"8080", "localhost", "http://127.0.0.1:8080"} {
		r := carikCmd(t, "", "listen", "--addr", addr)
		assert.Equal(t, 2, r.code, addr)
		assert.Contains(t, r.stderr, `carik listen: --addr "`+addr+`": give host:port, as in 127.0.0.1:8080 (port 0 picks a free one)`, addr)
		assert.Empty(t, r.stdout)
	}
}
