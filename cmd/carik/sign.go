package main

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/carik"
)

func runSign(_ context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("sign", "[--secret whsec_...] [--url URL] [--id ID] (FILE|-|--sample EVENT) [--set /pointer=value ...] [--delete /pointer ...]",
		"  CARIK_WEBHOOK_SECRET=whsec_... carik sign --sample message --set /data/status=failed | sh\n"+
			"  carik sign --secret whsec_... --url https://app.example.com/carik payload.json", stdio)
	var auth authFlags
	fs.StringVar(&auth.secret, "secret", "", "Standard Webhooks secret (`whsec_...`); default $"+envSecret)
	url := fs.String("url", "http://127.0.0.1:8080/webhook", "the `URL` in the printed command")
	id := fs.String("id", "", "the webhook-id `ID` (default: a fresh msg_... id)")
	var p payloadFlags
	p.register(fs)
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if err := auth.resolveSecret(fs); err != nil {
		return usageError(stdio, "sign", "%v", err)
	}
	if auth.secret == "" {
		return usageError(stdio, "sign", "give --secret or set $%s", envSecret)
	}
	body, file, err := p.payload(rest, stdio.In, maxFileBytes)
	if err != nil {
		return usageError(stdio, "sign", "%v", err)
	}
	if file == "" && !printable(body) {
		return usageError(stdio, "sign", "the body holds control bytes or invalid UTF-8; give it as a FILE (curl then reads it with @FILE)")
	}
	signer, err := carik.NewSigner(auth.secret)
	if err != nil {
		return usageError(stdio, "sign", "%v", err)
	}
	header := signer.Sign(body)
	if *id != "" {
		header = signer.SignAt(*id, time.Now(), body)
	}
	// A curl command, valid for the 5-minute tolerance of the receiver; every value is quoted
	// for a POSIX shell.
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X POST %s \\\n", shellQuote(*url))
	b.WriteString("  -H 'Content-Type: application/json' \\\n")
	for _, k := range []string{"Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"} {
		fmt.Fprintf(&b, "  -H %s \\\n", shellQuote(strings.ToLower(k)+": "+header.Get(k)))
	}
	if file != "" {
		fmt.Fprintf(&b, "  --data-binary @%s\n", shellQuote(file))
	} else {
		fmt.Fprintf(&b, "  --data-binary %s\n", shellQuote(string(body)))
	}
	fmt.Fprint(stdio.Out, b.String())
	return exitOK
}

// printable reports whether body is UTF-8 without control bytes other than line breaks and
// tabs, so that printing it inline cannot drive the terminal.
func printable(body []byte) bool {
	return utf8.Valid(body) && !strings.ContainsFunc(string(body), func(r rune) bool {
		return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r))
	})
}

// shellQuote quotes s for a POSIX shell: in single quotes, a single quote written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
