package carik_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

func TestStandardWebhooksVerify(t *testing.T) {
	t.Parallel()
	secret, oldSecret, otherSecret := cariktest.NewSecret(), cariktest.NewSecret(), cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret, oldSecret)
	require.NoError(t, err)
	body := cariktest.Payload(carik.EventMessage)
	signer := cariktest.NewSigner(secret)
	now := time.Now()

	withSig := func(h http.Header, sig string) http.Header {
		h.Set("webhook-signature", sig)
		return h
	}
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		want   error
	}{
		{"valid", signer.Sign(body), body, nil},
		{"rotated: old secret still accepted", cariktest.NewSigner(oldSecret).Sign(body), body, nil},
		{"wrong secret", cariktest.NewSigner(otherSecret).Sign(body), body, carik.ErrNoValidSignature},
		{"tampered body", signer.Sign(body), append([]byte(" "), body...), carik.ErrNoValidSignature},
		{"stale timestamp", signer.SignAt("msg_1", now.Add(-6*time.Minute), body), body, carik.ErrTimestampTooOld},
		{"future timestamp", signer.SignAt("msg_1", now.Add(6*time.Minute), body), body, carik.ErrTimestampTooNew},
		{"within tolerance", signer.SignAt("msg_1", now.Add(-4*time.Minute), body), body, nil},
		{"missing headers", http.Header{}, body, carik.ErrMissingSignature},
		{"missing id", func() http.Header { h := signer.Sign(body); h.Del("webhook-id"); return h }(), body, carik.ErrMissingSignature},
		{"bad timestamp", func() http.Header { h := signer.Sign(body); h.Set("webhook-timestamp", "yesterday"); return h }(), body, carik.ErrInvalidTimestamp},
		{"several signatures, one valid", func() http.Header {
			h := signer.Sign(body)
			return withSig(h, "v1,AAAA v1a,xyz "+h.Get("webhook-signature")+" v2,zzz")
		}(), body, nil},
		{"several header values: only the first counts, as in the official libraries", func() http.Header {
			h := signer.Sign(body)
			good := h.Get("webhook-signature")
			h.Set("webhook-signature", "v1,bm90IGl0")
			h.Add("webhook-signature", good)
			return h
		}(), body, carik.ErrNoValidSignature},
		{"only other versions", func() http.Header {
			h := signer.Sign(body)
			return withSig(h, strings.Replace(h.Get("webhook-signature"), "v1,", "v1a,", 1))
		}(), body, carik.ErrNoValidSignature},
		{"not base64", withSig(signer.Sign(body), "v1,!!!"), body, carik.ErrNoValidSignature},
		{"header names in any case", func() http.Header {
			h := http.Header{}
			for k, v := range signer.Sign(body) {
				h.Add(strings.ToUpper(k), v[0]) // Add canonicalizes, as net/http does on receipt
			}
			return h
		}(), body, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := v.Verify(tt.header, tt.body)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

// TestStandardWebhooksCanonicalForms checks that the verifier accepts exactly the spellings the
// official libraries accept: no other base64 text of a signature, no timestamp signed in a
// non-decimal spelling, no separator but a space (TestStandardWebhooksInterop runs the same
// forms through the official JavaScript library).
func TestStandardWebhooksCanonicalForms(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	body := cariktest.Payload(carik.EventDevice)
	for _, f := range signatureForms(t, secret, body) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			err := v.Verify(f.header, body)
			want := f.err
			if want == nil {
				want = carik.ErrNoValidSignature
			}
			if f.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, want)
			}
		})
	}
	h := cariktest.NewSigner(secret).Sign(body)
	h.Set("webhook-timestamp", h.Get("webhook-timestamp")+"abc")
	assert.ErrorIs(t, v.Verify(h, body), carik.ErrInvalidTimestamp, "trailing text after the seconds: refused, as the official Go library does")
}

func TestStandardWebhooksSecrets(t *testing.T) {
	t.Parallel()
	_, err := carik.StandardWebhooks()
	assert.ErrorContains(t, err, "at least one secret")
	_, err = carik.StandardWebhooks("whsec_not base64!")
	assert.ErrorContains(t, err, "secret 1")
	_, err = carik.StandardWebhooks("whsec_")
	assert.Error(t, err)
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err, "the prefix is optional")
	body := []byte(`{}`)
	assert.NoError(t, v.Verify(cariktest.NewSigner(secret).Sign(body), body))
}

func TestTokenHeader(t *testing.T) {
	t.Parallel()
	v := carik.TokenHeader("token", "s3cret")
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	assert.NoError(t, v.Verify(h("Token", "s3cret"), nil))
	assert.NoError(t, v.Verify(h("TOKEN", "s3cret"), nil), "header names are case-insensitive")
	assert.NoError(t, v.Verify(h("token", "nope", "token", "s3cret"), nil), "any of several values")
	assert.ErrorIs(t, v.Verify(h("token", "s3cret "), nil), carik.ErrNoValidSignature)
	assert.ErrorIs(t, v.Verify(h("token", "s3cre"), nil), carik.ErrNoValidSignature)
	assert.ErrorIs(t, v.Verify(h("other", "s3cret"), nil), carik.ErrMissingSignature)
	empty := carik.TokenHeader("token", "")
	assert.Error(t, empty.Verify(h("token", ""), nil), "an empty token accepts nothing")
}

// BenchmarkStandardWebhooksVerify measures one verification of a 165-byte message.
func BenchmarkStandardWebhooksVerify(b *testing.B) {
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(b, err)
	body := cariktest.Payload(carik.EventMessage)
	h := cariktest.NewSigner(secret).Sign(body)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Verify(h, body); err != nil {
			b.Fatal(err)
		}
	}
}
