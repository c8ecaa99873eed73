// Package inbox makes Carik webhook deliveries durable: the receiver answers 2xx only once a
// delivery is committed to a database, and workers then run the application's handlers with
// retries, exponential backoff and a dead state an operator can retry from.
//
//	store, err := sqlite.Open(ctx, "carik-inbox.db") // or postgres.Open(ctx, url)
//	ib, err := inbox.New(store, router)
//	err = ib.Start(ctx)                                  // the workers, until ib.Stop
//	mux.Handle("/webhook", carik.NewReceiver(ib, carik.WithVerifier(v)))
//
// The queue is River (github.com/riverqueue/river), kept behind this package's own API. The
// store comes from inbox/sqlite (one file, pure Go, the default) or inbox/postgres (many
// receiver and worker processes on one database); an application links only the one it
// imports.
//
// Guarantees: every delivery answered 2xx is stored before the answer and handled at least
// once. Deliveries are deduplicated on [carik.Delivery.ID] (the webhook-id header, or the
// body's SHA-256) in every state, for as long as the inbox keeps them ([WithDedupeWindow]).
// A handler can run more than once (a crash after it finished but before its completion was
// recorded, a timeout): make it idempotent, keyed on the delivery ID. The handler sees the
// receiver's [carik.Delivery] byte for byte, ids and headers that are not valid UTF-8
// included, but for credential headers, stored as "[redacted]" ([WithRedactedHeaders]).
package inbox
