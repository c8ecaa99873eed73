package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// forwarder re-sends verified deliveries to a local app, signed with a local secret. A nil
// forwarder forwards nothing.
type forwarder struct {
	url    *url.URL
	secret string
	file   string
	signer *carik.Signer
}

// forwardTimeout bounds the wait for the app's answer.
const forwardTimeout = 10 * time.Second

// httpURL parses an http:// or https:// URL with a host, as --url and --forward-to take.
func httpURL(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL; write it in full, as in http://127.0.0.1:8080/webhook", excerpt.Escape(target))
	}
	return u, nil
}

func newForwarder(target string) (*forwarder, error) {
	u, err := httpURL(target)
	if err != nil {
		return nil, err
	}
	secret, file, err := localSecret()
	if err != nil {
		return nil, err
	}
	signer, err := carik.NewSigner(secret)
	if err != nil {
		return nil, fmt.Errorf("%s holds no valid secret; delete it to get a new one", file)
	}
	return &forwarder{url: u, secret: secret, file: file, signer: signer}, nil
}

// localSecret returns the forwarding secret kept in the user's config directory
// ($XDG_CONFIG_HOME/carik/forward-secret on Linux), creating it on first use, so that it stays
// the same across restarts and the app's configuration keeps working.
func localSecret() (secret, file string, err error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", "", fmt.Errorf("no user config directory for the local secret: %w", err)
	}
	file = filepath.Join(dir, "carik", "forward-secret")
	if raw, err := os.ReadFile(file); err == nil {
		return strings.TrimSpace(string(raw)), file, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", "", err
	}
	key := make([]byte, 32)
	rand.Read(key)
	secret = "whsec_" + base64.StdEncoding.EncodeToString(key)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return "", "", err
	}
	// O_EXCL: when two listens start at once, the second reads what the first wrote.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return localSecret()
	}
	if err != nil {
		return "", "", err
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return "", "", err
	}
	return secret, file, f.Close()
}

// forward posts body, exactly as received, to the app under the delivery's webhook-id, and
// prints the app's answer.
func (f *forwarder) forward(ctx context.Context, p *printer, body []byte) {
	if f == nil {
		return
	}
	id := webhookID(ctx)
	header := f.signer.Sign(body)
	if id != "" {
		header = f.signer.SignAt(id, time.Now(), body)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), forwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url.String(), bytes.NewReader(body))
	if err != nil {
		p.note("-> forward failed: " + excerpt.Escape(err.Error()))
		return
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "carik-cli")
	res, err := noRedirects.Do(req)
	if err != nil {
		p.note("-> forward failed: " + excerpt.Escape(err.Error()))
		return
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, bodyShown+1))
	lines, more := excerpt.EscapeLines(bytes.TrimSpace(answer), bodyShown)
	msg := "-> " + excerpt.Escape(f.url.Redacted()) + ": " + excerpt.Escape(res.Status) + " " + strings.Join(lines, `\n`)
	if more > 0 {
		msg += " ..."
	}
	if res.StatusCode >= 300 && res.StatusCode <= 399 {
		msg += " (redirect not followed)"
	}
	p.note(msg)
}
