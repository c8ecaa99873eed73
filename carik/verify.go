package carik

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/CarikBot/carik-go/internal/standardwebhooks"
)

// Verifier authenticates a webhook request from its headers and the exact bytes of its body,
// before anything parses the body. A nil error means the request is authentic. Implementations
// must be safe for concurrent use.
type Verifier interface {
	Verify(header http.Header, body []byte) error
}

// Errors returned by the built-in verifiers. The receiver answers 401 to any verification error.
var (
	ErrMissingSignature = errors.New("carik: signature headers missing")
	ErrInvalidTimestamp = errors.New("carik: webhook-timestamp is not a Unix time in seconds")
	ErrTimestampTooOld  = errors.New("carik: webhook-timestamp is too old")
	ErrTimestampTooNew  = errors.New("carik: webhook-timestamp is too far in the future")
	ErrNoValidSignature = errors.New("carik: no signature matches")
)

// StandardWebhooksTolerance is how far the webhook-timestamp of a request verified by
// [StandardWebhooks] may be from the receiver's clock, either way.
const StandardWebhooksTolerance = 5 * time.Minute

// StandardWebhooks returns a [Verifier] for the Standard Webhooks scheme
// (https://www.standardwebhooks.com): the headers webhook-id, webhook-timestamp and
// webhook-signature, where the signature is a space-separated list of "v1,<base64>" entries,
// each an HMAC-SHA256 over "id.timestamp.body". A request is authentic when any v1 entry matches
// any of the secrets (give the new and the old one while rotating) and its timestamp is within
// [StandardWebhooksTolerance] of now. Secrets are "whsec_" followed by base64, as the official
// libraries write them; the prefix is optional. Comparisons take constant time.
//
// It returns an error when no secret is given or one does not decode.
func StandardWebhooks(secrets ...string) (Verifier, error) {
	if len(secrets) == 0 {
		return nil, errors.New("carik: StandardWebhooks needs at least one secret")
	}
	v := &standardWebhooksVerifier{now: time.Now}
	for i, s := range secrets {
		key, err := standardwebhooks.DecodeSecret(s)
		if err != nil {
			return nil, fmt.Errorf("carik: StandardWebhooks secret %d: %w", i+1, err)
		}
		v.keys = append(v.keys, standardwebhooks.NewKey(key))
	}
	return v, nil
}

type standardWebhooksVerifier struct {
	keys []*standardwebhooks.Key
	now  func() time.Time
}

func (v *standardWebhooksVerifier) Verify(header http.Header, body []byte) error {
	id := header.Get(standardwebhooks.HeaderID)
	ts := header.Get(standardwebhooks.HeaderTimestamp)
	signatures := header.Values(standardwebhooks.HeaderSignature)
	if id == "" || ts == "" || len(signatures) == 0 {
		return ErrMissingSignature
	}
	sent, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrInvalidTimestamp
	}
	now := v.now().Unix()
	tolerance := int64(StandardWebhooksTolerance / time.Second)
	switch {
	case sent < now-tolerance:
		return ErrTimestampTooOld
	case sent > now+tolerance:
		return ErrTimestampTooNew
	}
	expected := make([][]byte, len(v.keys))
	for i, key := range v.keys {
		expected[i] = key.MAC(nil, id, ts, body)
	}
	for _, value := range signatures {
		for _, entry := range strings.Fields(value) {
			version, sig, ok := strings.Cut(entry, ",")
			if !ok || version != standardwebhooks.Version {
				continue // other schemes (v1a, ...) may sit beside ours
			}
			got, err := base64.StdEncoding.DecodeString(sig)
			if err != nil {
				continue
			}
			for _, want := range expected {
				if hmac.Equal(got, want) {
					return nil
				}
			}
		}
	}
	return ErrNoValidSignature
}

// TokenHeader returns a [Verifier] that accepts a request whose header (matched
// case-insensitively; with several values, any of them) equals token, compared in constant
// time: the shared-secret scheme of Carik's push API and its "token" header. An empty token
// accepts nothing.
func TokenHeader(header, token string) Verifier {
	return &tokenVerifier{header: header, sum: sha256.Sum256([]byte(token)), empty: token == ""}
}

type tokenVerifier struct {
	header string
	sum    [sha256.Size]byte
	empty  bool
}

func (v *tokenVerifier) Verify(header http.Header, _ []byte) error {
	values := header.Values(v.header)
	if len(values) == 0 {
		return ErrMissingSignature
	}
	for _, value := range values {
		// Hashing first makes the comparison constant-time in the token's length as well.
		got := sha256.Sum256([]byte(value))
		if subtle.ConstantTimeCompare(got[:], v.sum[:]) == 1 && !v.empty {
			return nil
		}
	}
	return ErrNoValidSignature
}
