// Command carik-inbox is the operator's tool for a Carik inbox (package inbox): counts per
// state, dead deliveries, one delivery in full, and retries.
//
//	carik-inbox [-db FILE] stats                 deliveries per state
//	carik-inbox [-db FILE] dead [-limit N]       dead deliveries, in the order they died
//	carik-inbox [-db FILE] show JOB_ID|DELIVERY_ID  headers, body, the error (and panic stack) of every attempt
//	carik-inbox [-db FILE] retry [-force] JOB_ID...  make deliveries available again, with a
//	                                             fresh set of attempts (-force: completed ones too)
//	carik-inbox [-db FILE] retry -all            retry every dead delivery
//
// The store is the SQLite file given by -db (default carik-inbox.db), or the Postgres database
// in CARIK_DATABASE_URL when it is set; it must already hold an inbox, of a schema no older than
// this command's (nothing is created or migrated).
// Ids, headers, bodies and errors are printed escaped, long values cut. Exit status: 0 done,
// 1 failed, 2 usage.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
