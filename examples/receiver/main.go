// Command receiver is a complete Carik webhook server: a ServeMux with the receiver on
// /webhook, a Router with two handlers, Standard Webhooks verification with the secret from
// CARIK_WEBHOOK_SECRET, an http.Server with timeouts, and a graceful shutdown on SIGINT or
// SIGTERM that lets deliveries in flight finish.
//
//	CARIK_WEBHOOK_SECRET=whsec_... go run ./examples/receiver -addr 127.0.0.1:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/CarikBot/carik-go/carik"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := serve(*addr, os.Getenv("CARIK_WEBHOOK_SECRET"), logger); err != nil {
		logger.Error("receiver stopped", "error", err)
		os.Exit(1)
	}
}

func serve(addr, secret string, logger *slog.Logger) error {
	handler, err := newHandler(secret, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("receiving Carik webhooks", "url", "http://"+ln.Addr().String()+"/webhook")
	return run(ctx, ln, handler, logger)
}

// newHandler wires the application: what to do with each event, behind a verifying receiver.
func newHandler(secret string, logger *slog.Logger) (http.Handler, error) {
	if secret == "" {
		return nil, errors.New("set CARIK_WEBHOOK_SECRET to the webhook secret (whsec_...)")
	}
	verifier, err := carik.StandardWebhooks(secret)
	if err != nil {
		return nil, err
	}
	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		logger.InfoContext(ctx, "message status", "message_id", e.Data.MessageID, "status", e.Data.Status, "platform", e.Platform)
		return nil
	})
	router.OnPayment(func(ctx context.Context, e *carik.PaymentEvent) error {
		logger.InfoContext(ctx, "payment", "transaction_id", e.Data.TransactionID, "vendor", e.VendorID)
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle("/webhook", carik.NewReceiver(router, carik.WithVerifier(verifier), carik.WithLogger(logger)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	return mux, nil
}

// run serves on ln until ctx is done, then shuts down gracefully: it stops accepting, and
// waits up to 30 seconds for the deliveries in flight to finish.
func run(ctx context.Context, ln net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down; waiting for deliveries in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
