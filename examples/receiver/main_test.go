package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
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

// TestReceiverServesAndShutsDownGracefully runs the example's server on a loopback port: it
// answers signed and unsigned deliveries, and on shutdown lets the deliveries in flight finish
// with 200 before run returns.
func TestReceiverServesAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), nil))
	handler, err := newHandler(secret, logger)
	require.NoError(t, err)

	// Deliveries of device events wait for release, to be in flight at shutdown.
	entered, release := make(chan struct{}, 10), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Slow") != "" {
			entered <- struct{}{}
			<-release
		}
		handler.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, ln, slow, logger) }()
	url := "http://" + ln.Addr().String() + "/webhook"
	signer := cariktest.NewSigner(secret)

	body := cariktest.Payload(carik.EventMessage)
	assert.Equal(t, 200, post(t, url, body, signer.Sign(body)))
	assert.Equal(t, 401, post(t, url, body, nil))
	payment := cariktest.Payload(carik.EventPayment)
	assert.Equal(t, 200, post(t, url, payment, signer.Sign(payment)))

	const inFlight = 5
	statuses := make(chan int, inFlight)
	for range inFlight {
		go func() {
			h := signer.Sign(body)
			h.Set("X-Test-Slow", "1")
			statuses <- post(t, url, body, h)
		}()
	}
	for range inFlight {
		<-entered
	}
	cancel()
	select {
	case err := <-done:
		t.Fatalf("run returned with deliveries in flight: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	for range inFlight {
		assert.Equal(t, 200, <-statuses)
	}
	require.NoError(t, <-done)
	logMu.Lock()
	defer logMu.Unlock()
	assert.Contains(t, logs.String(), "message status")
	assert.Contains(t, logs.String(), "payment")
	assert.Contains(t, logs.String(), "shutting down")
}

func TestNewHandlerNeedsASecret(t *testing.T) {
	t.Parallel()
	_, err := newHandler("", slog.Default())
	assert.ErrorContains(t, err, "CARIK_WEBHOOK_SECRET")
	_, err = newHandler("whsec_!!", slog.Default())
	assert.Error(t, err)
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
