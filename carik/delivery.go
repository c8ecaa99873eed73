package carik

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// Delivery describes how an event reached the application: one HTTP request from Carik, or a
// copy of it that a durable inbox replays. [NewReceiver] puts it in the context it hands to the
// [Dispatcher]; read it with [DeliveryFrom].
//
// Carik retries a delivery it did not see answered 2xx, with the same ID, so the ID is the key
// to deduplicate on.
type Delivery struct {
	// ID identifies the delivery: the webhook-id header when the request has one; otherwise
	// "sha256:" and the lowercase hex SHA-256 of the body (see IDFromBody), so that a re-sent
	// body gets the same ID and deduplication still works without the header.
	ID string
	// IDFromBody tells whether ID was derived from the body because the request had no
	// webhook-id header (token verification, or no verification).
	IDFromBody bool
	// Timestamp is the webhook-timestamp header (Unix seconds) when the request has a valid
	// one, the zero time otherwise.
	Timestamp time.Time
	// Attempt is the sender's attempt number from the webhook-attempt header (1 for the first
	// try) when the request has a positive one, 0 when the sender does not say.
	Attempt int
	// Header holds the request's headers. Treat it as read-only.
	Header http.Header
}

// Header names a [Delivery] is read from.
const (
	HeaderWebhookID        = "Webhook-Id"
	HeaderWebhookTimestamp = "Webhook-Timestamp"
	HeaderWebhookAttempt   = "Webhook-Attempt"
)

// DeliveryIDPrefix starts a [Delivery.ID] derived from the body.
const DeliveryIDPrefix = "sha256:"

// NewDelivery describes the delivery of body with the request headers header; see [Delivery]
// for how each field is read. It never fails: absent or unreadable headers leave their fields
// zero, and a missing ID is derived from the body.
func NewDelivery(header http.Header, body []byte) Delivery {
	d := Delivery{Header: header, ID: header.Get(HeaderWebhookID)}
	if d.ID == "" {
		sum := sha256.Sum256(body)
		d.ID = DeliveryIDPrefix + hex.EncodeToString(sum[:])
		d.IDFromBody = true
	}
	if s, err := strconv.ParseInt(header.Get(HeaderWebhookTimestamp), 10, 64); err == nil && s > 0 {
		d.Timestamp = time.Unix(s, 0).UTC()
	}
	if n, err := strconv.Atoi(header.Get(HeaderWebhookAttempt)); err == nil && n > 0 {
		d.Attempt = n
	}
	return d
}

type deliveryKey struct{}

// ContextWithDelivery returns a copy of ctx that carries d, for [DeliveryFrom]. The receiver
// calls it for every request; a durable inbox calls it when it replays a stored delivery.
func ContextWithDelivery(ctx context.Context, d Delivery) context.Context {
	return context.WithValue(ctx, deliveryKey{}, &d)
}

// DeliveryFrom returns the delivery ctx carries, and whether it carries one: every context
// the receiver hands to a [Dispatcher] (and so to every [Router] handler and middleware) does.
func DeliveryFrom(ctx context.Context) (Delivery, bool) {
	if d, ok := ctx.Value(deliveryKey{}).(*Delivery); ok {
		return *d, true
	}
	return Delivery{}, false
}
