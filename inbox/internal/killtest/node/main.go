// Command node is the process the inbox's crash tests start and kill -9: a receiver, a
// worker, or both, on a SQLite file or a Postgres database. Its handler records each
// delivery's effect in the effects database, idempotently, in one transaction:
//
//	completions: one row per delivery whose effect was applied (a second row would be a
//	             delivery handled twice to completion)
//	runs:        one row per handler run that reached its commit (re-runs after a kill add rows)
//
// Deliveries whose id number is 7 mod 20 fail their first attempt; those 13 mod 100 fail every
// attempt (and die) until the file named by -heal exists.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" for the effects database on Postgres

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/postgres"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "node:", err)
		os.Exit(1)
	}
}

func run() error {
	role := flag.String("role", "both", "receiver, worker or both")
	dbPath := flag.String("db", "", "SQLite file of the inbox")
	dbURL := flag.String("url", "", "Postgres URL of the inbox (wins over -db)")
	effectsPath := flag.String("effects", "", "SQLite file of the effects (with -db)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address (receiver)")
	secret := flag.String("secret", "", "webhook secret")
	heal := flag.String("heal", "", "once this file exists, no delivery fails")
	slow := flag.Duration("slow", 0, "handlers take a random time up to this")
	name := flag.String("name", "node", "name recorded with each effect")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var store inbox.Store
	var effects *sql.DB
	var err error
	ph := func(n int) string { return "?" }
	if *dbURL != "" {
		s, err := postgres.Open(ctx, *dbURL)
		if err != nil {
			return err
		}
		defer s.Close()
		store = s
		effects, err = sql.Open("pgx", *dbURL)
		ph = func(n int) string { return "$" + strconv.Itoa(n) }
	} else {
		s, err := sqlite.Open(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer s.Close()
		store = s
		effects, err = sql.Open("sqlite", sqlite.DSN(*effectsPath))
		effects.SetMaxOpenConns(1)
	}
	if err != nil {
		return err
	}
	defer effects.Close()
	if err := Schema(ctx, effects); err != nil {
		return err
	}
	var handler carik.Dispatcher
	if *role != "receiver" {
		handler = &app{effects: effects, ph: ph, heal: *heal, slow: *slow, name: *name}
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ib, err := inbox.New(store, handler,
		inbox.WithLogger(logger), inbox.WithMaxAttempts(3), inbox.WithBackoff(10*time.Millisecond, 50*time.Millisecond),
		inbox.WithPollInterval(50*time.Millisecond), inbox.WithJobTimeout(2*time.Second), inbox.WithRescueAfter(3*time.Second))
	if err != nil {
		return err
	}
	if handler != nil {
		if err := ib.Start(ctx); err != nil {
			return err
		}
	}
	if *role == "worker" {
		fmt.Println("ready")
		<-ctx.Done()
		return ib.Stop(context.Background())
	}
	v, err := carik.StandardWebhooks(*secret)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Println("listening", ln.Addr().String())
	srv := &http.Server{Handler: carik.NewReceiver(ib, carik.WithVerifier(v), carik.WithLogger(logger))}
	go srv.Serve(ln)
	<-ctx.Done()
	srv.Shutdown(context.Background())
	if handler != nil {
		return ib.Stop(context.Background())
	}
	return nil
}

// Schema creates the effects tables.
func Schema(ctx context.Context, db *sql.DB) error {
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS completions (delivery_id TEXT NOT NULL, node TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS runs (delivery_id TEXT NOT NULL, node TEXT NOT NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "already exists") {
			return err
		}
	}
	return nil
}

type app struct {
	effects *sql.DB
	ph      func(int) string
	heal    string
	slow    time.Duration
	name    string
}

// Dispatch is an idempotent handler: the effect is applied in one transaction that first
// checks whether this delivery's effect is already there.
func (a *app) Dispatch(ctx context.Context, _ carik.Event) error {
	d, _ := carik.DeliveryFrom(ctx)
	run, _ := inbox.RunFrom(ctx)
	n, _ := strconv.Atoi(strings.TrimPrefix(d.ID, "d-"))
	if a.slow > 0 {
		select {
		case <-time.After(rand.N(a.slow)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if n%100 == 13 {
		if _, err := os.Stat(a.heal); err != nil {
			return errors.New("downstream refuses this one")
		}
	}
	if n%20 == 7 && run.Attempt == 1 {
		return errors.New("transient failure")
	}
	tx, err := a.effects.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO completions (delivery_id, node) SELECT CAST(`+a.ph(1)+` AS TEXT), CAST(`+a.ph(2)+` AS TEXT)`+
		` WHERE NOT EXISTS (SELECT 1 FROM completions WHERE delivery_id = `+a.ph(3)+`)`, d.ID, a.name, d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (delivery_id, node) VALUES (`+a.ph(1)+`, `+a.ph(2)+`)`, d.ID, a.name); err != nil {
		return err
	}
	return tx.Commit()
}
