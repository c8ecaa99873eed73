package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
)

func post(t *testing.T, url string, body []byte, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// The example's server stores, handles once (duplicates included) and shuts down; its inbox
// survives a restart.
func TestInboxExample(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			cfg := config{secret: cariktest.NewSecret(), dbPath: filepath.Join(t.TempDir(), "inbox.db")}
			if kind == "postgres" {
				cfg.dbURL = testdb.PostgresURL(t)
			}
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			signer := cariktest.NewSigner(cfg.secret)
			body := cariktest.Payload(carik.EventPayment, cariktest.Set("/data/transaction_id", "T-42"), cariktest.Set("/data/status", "paid"))
			header := signer.Sign(body)
			for round := range 2 { // the second round restarts on the same inbox
				l := newLedger()
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- serve(ctx, ln, cfg, l, logger) }()
				url := "http://" + ln.Addr().String() + "/webhook"
				if round == 0 {
					for range 3 { // Carik's retries of one delivery
						assert.Equal(t, 200, post(t, url, body, header))
					}
					assert.Equal(t, 401, post(t, url, body, nil))
					deadline := time.Now().Add(20 * time.Second)
					for {
						applied, _ := l.snapshot()
						if len(applied) == 1 {
							assert.Equal(t, map[string]string{header.Get("Webhook-Id"): "T-42=paid"}, applied)
							break
						}
						require.True(t, time.Now().Before(deadline), "not handled")
						time.Sleep(20 * time.Millisecond)
					}
				} else {
					// Sent again after a restart: recognised, not handled again.
					assert.Equal(t, 200, post(t, url, body, header))
					time.Sleep(300 * time.Millisecond)
				}
				cancel()
				require.NoError(t, <-done)
				_, runs := l.snapshot()
				assert.Equal(t, 1-round, runs, "round %d", round)
			}
		})
	}
}

func TestInboxExampleNeedsSecret(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = serve(context.Background(), ln, config{dbPath: filepath.Join(t.TempDir(), "x.db")}, newLedger(), slog.Default())
	assert.ErrorContains(t, err, "CARIK_WEBHOOK_SECRET")
}
