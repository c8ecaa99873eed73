package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

func runSend(ctx context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("send", "--url URL [--secret whsec_... | --token-header H --token T] [--strict] (FILE|-|--sample EVENT [--set /pointer=value ...])",
		"  carik send --url http://127.0.0.1:8080/webhook --sample message --set /data/status=failed\n"+
			"  carik send --url https://app.example.com/carik --secret \"$CARIK_WEBHOOK_SECRET\" payload.json", stdio)
	url := fs.String("url", "", "where to POST the payload (required)")
	var auth authFlags
	auth.register(fs)
	strict := fs.Bool("strict", false, "refuse to send a payload that strict validation rejects")
	sample := fs.String("sample", "", "send a valid generated payload of this event type instead of a file")
	var sets setFlags
	fs.Var(&sets, "set", "with --sample: set a JSON pointer to a value (JSON, or else a string); repeatable")
	timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for the answer")
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if *url == "" {
		return usageError(stdio, "send", "--url is required")
	}
	var body []byte
	var err error
	switch {
	case *sample != "" && len(rest) == 0:
		body, err = cariktest.BuildPayload(carik.EventType(*sample), sets...)
		if err != nil {
			return usageError(stdio, "send", "%v", err)
		}
	case *sample == "" && len(rest) == 1:
		if len(sets) > 0 {
			return usageError(stdio, "send", "--set goes with --sample")
		}
		if body, err = readInput(rest[0], stdio.In); err != nil {
			fmt.Fprintf(stdio.Err, "carik send: %v\n", err)
			return exitUsage
		}
	default:
		return usageError(stdio, "send", "give one FILE (or - for standard input), or --sample EVENT")
	}
	if *strict {
		if err := (carik.ParseOptions{Strict: true}).Validate(body); err != nil {
			fmt.Fprintf(stdio.Err, "carik send: not sent: %v\n", err)
			return exitInvalid
		}
	}
	header, err := auth.header(body)
	if err != nil {
		return usageError(stdio, "send", "%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *url, bytes.NewReader(body))
	if err != nil {
		return usageError(stdio, "send", "%v", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "carik-cli")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stdio.Err, "carik send: %v\n", err)
		return exitInvalid
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	fmt.Fprintf(stdio.Out, "%s\n%s", res.Status, answer)
	if len(answer) > 0 && answer[len(answer)-1] != '\n' {
		fmt.Fprintln(stdio.Out)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return exitInvalid
	}
	return exitOK
}

// setFlags collects --set /pointer=value options for cariktest.BuildPayload.
type setFlags []cariktest.Option

func (s *setFlags) String() string { return "" }

func (s *setFlags) Set(v string) error {
	pointer, value, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(pointer, "/") {
		return errors.New(`want /pointer=value, as in /data/status=failed`)
	}
	var decoded any = value
	if json.Valid([]byte(value)) {
		json.Unmarshal([]byte(value), &decoded)
	}
	*s = append(*s, cariktest.Set(pointer, decoded))
	return nil
}

// authFlags are the verification flags listen and send share.
type authFlags struct {
	secret      string
	tokenHeader string
	token       string
}

func (a *authFlags) register(fs *flagSet) {
	fs.StringVar(&a.secret, "secret", "", "Standard Webhooks secret (whsec_...)")
	fs.StringVar(&a.tokenHeader, "token-header", "token", "header carrying --token")
	fs.StringVar(&a.token, "token", "", "shared token sent in --token-header (instead of --secret)")
}

func (a *authFlags) enabled() bool { return a.secret != "" || a.token != "" }

func (a *authFlags) check() error {
	if a.secret != "" && a.token != "" {
		return errors.New("give --secret or --token, not both")
	}
	return nil
}

// receiverOption returns how a receiver verifies requests under these flags.
func (a *authFlags) receiverOption() (carik.ReceiverOption, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	switch {
	case a.secret != "":
		v, err := carik.StandardWebhooks(a.secret)
		if err != nil {
			return nil, err
		}
		return carik.WithVerifier(v), nil
	case a.token != "":
		return carik.WithVerifier(carik.TokenHeader(a.tokenHeader, a.token)), nil
	default:
		return carik.WithoutVerification(), nil
	}
}

// header returns the headers that authenticate body under these flags.
func (a *authFlags) header(body []byte) (http.Header, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	switch {
	case a.secret != "":
		if _, err := carik.StandardWebhooks(a.secret); err != nil {
			return nil, err
		}
		return cariktest.NewSigner(a.secret).Sign(body), nil
	case a.token != "":
		h := http.Header{}
		h.Set(a.tokenHeader, a.token)
		return h, nil
	default:
		return http.Header{}, nil
	}
}
