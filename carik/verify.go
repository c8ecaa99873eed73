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
// webhook-signature, where the signature is a list of "v1,<base64>" entries separated by single
// spaces, each an HMAC-SHA256 over "id.timestamp.body". A request is authentic when any v1 entry
// matches any of the secrets (give the new and the old one while rotating) and its timestamp is
// within [StandardWebhooksTolerance] of now. Secrets are "whsec_" followed by base64, as the
// official libraries write them; the prefix is optional. Comparisons take constant time.
//
// It decides exactly as the official Go library does: it reads the first value of each header,
// reads the timestamp as a whole decimal integer and MACs it re-printed (so a signature computed
// over "+1700000000" or "01700000000" does not match, and "1700000000x" is refused), and
// compares the canonical base64 text of the MAC (so no other spelling of a signature matches).
// The official JavaScript library agrees but for one thing: it reads the timestamp with
// parseInt, so it also accepts "1700000000x", "1700000000.9", "1700000000e0" and " 1700000000"
// when the signature is over "1700000000". [Signer] signs for it.
//
// It returns an error when no secret is given or one does not decode.
func StandardWebhooks(secrets ...string) (Verifier, error) {
	if len(secrets) == 0 {
		return nil, errors.New("carik: StandardWebhooks needs at least one secret")
	}
	v := &standardWebhooksVerifier{now: time.Now}
	for i, s := range secrets {
		key, err := decodeSecret(s)
		if err != nil {
			return nil, fmt.Errorf("carik: StandardWebhooks secret %d: %w", i+1, err)
		}
		v.keys = append(v.keys, newMACKey(key))
	}
	return v, nil
}

type standardWebhooksVerifier struct {
	keys []*macKey
	now  func() time.Time
}

// sigLen is the length of a v1 signature's base64 text (32 bytes of HMAC-SHA256).
var sigLen = base64.StdEncoding.EncodedLen(sha256.Size)

func (v *standardWebhooksVerifier) Verify(header http.Header, body []byte) error {
	id := header.Get(headerID)
	ts := header.Get(headerTimestamp)
	signatures := header.Get(headerSignature)
	if id == "" || ts == "" || signatures == "" {
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
	// The MAC covers the timestamp as the official libraries print it back, not as sent.
	canonical := strconv.FormatInt(sent, 10)
	expected := make([][]byte, len(v.keys))
	var mac [sha256.Size]byte
	for i, key := range v.keys {
		expected[i] = make([]byte, sigLen)
		base64.StdEncoding.Encode(expected[i], key.mac(mac[:0], id, canonical, body))
	}
	// As the official libraries: entries split on single spaces, "version,signature[,...]",
	// and the signature's text compared with the canonical base64 of the MAC.
	for rest := signatures; rest != ""; {
		var entry string
		entry, rest, _ = strings.Cut(rest, " ")
		version, sig, ok := strings.Cut(entry, ",")
		if !ok || version != sigVersion {
			continue // other schemes (v1a, ...) may sit beside ours
		}
		sig, _, _ = strings.Cut(sig, ",")
		for _, want := range expected {
			if hmac.Equal([]byte(sig), want) {
				return nil
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
