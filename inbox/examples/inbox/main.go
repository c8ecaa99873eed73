// Command inbox is a production-shaped Carik webhook server that never loses a delivery:
// receiver → inbox → workers → router. The receiver answers 200 only once a delivery is
// committed to the inbox; workers then run the router with retries and backoff, and
// deliveries that use up their attempts wait, dead, for an operator (carik-inbox).
//
// SQLite by default (one file, no setup); Postgres when CARIK_DATABASE_URL is set.
//
//	CARIK_WEBHOOK_SECRET=whsec_... go run ./examples/inbox -addr 127.0.0.1:8080 -db carik-inbox.db
//	CARIK_DATABASE_URL=postgres://... CARIK_WEBHOOK_SECRET=whsec_... go run ./examples/inbox
//
// On SIGINT or SIGTERM it stops accepting deliveries, lets those in flight be stored, then
// gives running handlers 30 seconds to finish before cancelling them; a cancelled handler's
// delivery stays in the inbox and is handled again on the next start.
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
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/postgres"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	db := flag.String("db", "carik-inbox.db", "SQLite file of the inbox (unused when CARIK_DATABASE_URL is set)")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := config{secret: os.Getenv("CARIK_WEBHOOK_SECRET"), dbPath: *db, dbURL: os.Getenv("CARIK_DATABASE_URL")}
	ln, err := net.Listen("tcp", *addr)
	if err == nil {
		err = serve(ctx, ln, cfg, newLedger(), logger)
	}
	if err != nil {
		logger.Error("inbox server stopped", "error", err)
		os.Exit(1)
	}
}

type config struct {
	secret string
	dbPath string // SQLite file
	dbURL  string // Postgres URL; wins over dbPath
}

// serve runs the server on ln until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, ln net.Listener, cfg config, l *ledger, logger *slog.Logger) error {
	defer ln.Close()
	if cfg.secret == "" {
		return errors.New("set CARIK_WEBHOOK_SECRET to the webhook secret (whsec_...)")
	}
	verifier, err := carik.StandardWebhooks(cfg.secret)
	if err != nil {
		return err
	}
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	ib, err := inbox.New(store, newRouter(l, logger), inbox.WithLogger(logger))
	if err != nil {
		return err
	}
	// Cancelling ctx (the signal) does not stop the workers: ib.Stop below does, after the
	// grace period.
	if err := ib.Start(ctx); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/webhook", carik.NewReceiver(ib, carik.WithVerifier(verifier), carik.WithLogger(logger)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("receiving Carik webhooks", "url", "http://"+ln.Addr().String()+"/webhook")
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	logger.Info("shutting down: storing deliveries in flight, then finishing running handlers")
	if serr := shutdown(srv, ib, 30*time.Second); serr != nil && err == nil {
		err = serr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// shutdown stops srv, letting the requests in flight store their deliveries for up to grace,
// then stops ib, letting running handlers finish for up to grace of their own: a slow client
// that holds a request open must not take the handlers' time (with one shared deadline, the
// handlers were cancelled at once).
func shutdown(srv *http.Server, ib *inbox.Inbox, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	err := srv.Shutdown(ctx)
	cancel()
	if err != nil {
		srv.Close() // what is still open after the grace: its deliveries were not acknowledged
	}
	ctx, cancel = context.WithTimeout(context.Background(), grace)
	defer cancel()
	if serr := ib.Stop(ctx); serr != nil && err == nil {
		err = serr
	}
	return err
}

// openStore opens Postgres when a URL is given, else the SQLite file.
func openStore(ctx context.Context, cfg config) (inbox.Store, func(), error) {
	if cfg.dbURL != "" {
		s, err := postgres.Open(ctx, cfg.dbURL)
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	}
	s, err := sqlite.Open(ctx, cfg.dbPath)
	if err != nil {
		return nil, nil, err
	}
	return s, func() { s.Close() }, nil
}
