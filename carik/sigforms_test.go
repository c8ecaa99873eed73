package carik_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// sigForm is a delivery's headers in one spelling, and whether the official Standard Webhooks
// libraries accept it.
type sigForm struct {
	name   string
	header http.Header
	// ok is the verdict of the official Go library, which carik follows.
	ok bool
	// jsAccepts says that the official JavaScript library accepts the form although the Go
	// one refuses it: it reads the timestamp with parseInt, which stops at the first
	// character that is not a digit and skips leading spaces.
	jsAccepts bool
	// err is the error carik refuses it with; nil means carik.ErrNoValidSignature.
	err error
}

// rawSignature returns "v1,<base64>" of HMAC-SHA256 over exactly id.timestamp.body, whatever
// the timestamp's spelling: what a sender computing over the header's text would send.
func rawSignature(t testing.TB, secret, id, timestamp string, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + timestamp + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// otherSpellings returns the three other base64 texts of sig ("v1,<base64>") that decode to
// the same bytes: its last character before "=" carries two unused bits.
func otherSpellings(t testing.TB, sig string) []string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b64 := strings.TrimPrefix(sig, "v1,")
	require.True(t, strings.HasSuffix(b64, "=") && !strings.HasSuffix(b64, "=="), sig)
	last := len(b64) - 2
	v := strings.IndexByte(alphabet, b64[last])
	var out []string
	for bits := 1; bits <= 3; bits++ {
		alt := b64[:last] + string(alphabet[v^bits]) + b64[last+1:]
		decodedAlt, err := base64.StdEncoding.DecodeString(alt)
		require.NoError(t, err)
		decoded, _ := base64.StdEncoding.DecodeString(b64)
		require.Equal(t, decoded, decodedAlt, "the same bytes, another text")
		out = append(out, "v1,"+alt)
	}
	return out
}

// signatureForms returns the spellings of one delivery that the official libraries accept or
// refuse, for the verifier's tests and the interop test that runs the same forms through the
// JavaScript library. The Go and JavaScript libraries agree on all of them but the timestamps
// parseInt reads as N (jsAccepts): carik refuses those, as the Go library does.
func signatureForms(t testing.TB, secret string, body []byte) []sigForm {
	t.Helper()
	id := "msg_forms"
	now := time.Now().Unix()
	ts := strconv.FormatInt(now, 10)
	good := rawSignature(t, secret, id, ts, body)
	form := func(name, timestamp, signature string, ok bool) sigForm {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", timestamp)
		h.Set("webhook-signature", signature)
		return sigForm{name: name, header: h, ok: ok}
	}
	// parseIntOnly is a timestamp only JavaScript's parseInt reads as N.
	parseIntOnly := func(name, timestamp string) sigForm {
		f := form(name, timestamp, good, false)
		f.jsAccepts, f.err = true, carik.ErrInvalidTimestamp
		return f
	}
	forms := []sigForm{
		form("canonical", ts, good, true),
		form("among other entries", ts, "v1,AAAA v1a,xyz "+good+" v2,zzz", true),
		form("trailing space", ts, good+" ", true),
		form("double space between entries", ts, "v1,AAAA  "+good, true),
		form("extra comma part after the signature", ts, good+",ignored", true),
		form("padding removed", ts, strings.TrimSuffix(good, "="), false),
		form("tab separator before", ts, "v1,AAAA\t"+good, false),
		form("tab separator after", ts, good+"\tv1,AAAA", false),
		form("entries joined by a comma", ts, "v1,AAAA,"+good, false),
		form("version in upper case", ts, "V1,"+strings.TrimPrefix(good, "v1,"), false),
		form("timestamp +N, signed over +N", "+"+ts, rawSignature(t, secret, id, "+"+ts, body), false),
		form("timestamp 0N, signed over 0N", "0"+ts, rawSignature(t, secret, id, "0"+ts, body), false),
		form("timestamp +N, signed over N", "+"+ts, good, true),
		form("timestamp 0N, signed over N", "0"+ts, good, true),
		parseIntOnly("timestamp Nx, signed over N", ts+"x"),
		parseIntOnly("timestamp N.9, signed over N", ts+".9"),
		parseIntOnly("timestamp Ne0, signed over N", ts+"e0"),
		parseIntOnly("timestamp with a leading space, signed over N", " "+ts),
	}
	for i, alt := range otherSpellings(t, good) {
		forms = append(forms, form("other base64 spelling "+strconv.Itoa(i+1), ts, alt, false))
	}
	return forms
}
