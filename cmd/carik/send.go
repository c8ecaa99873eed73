package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// payloadFlags are the flags that choose and change the payload of send and sign.
type payloadFlags struct {
	sample string
	edits  []edit
}

func (p *payloadFlags) register(fs *flagSet) {
	fs.StringVar(&p.sample, "sample", "", "use a valid generated payload of event type `EVENT` instead of a file ("+knownSamples()+")")
	fs.Var(editFlags{edits: &p.edits}, "set", "set the JSON pointer to the value (`/pointer=value`), typed by the schema (a string property keeps 621234 a string); repeatable")
	fs.Var(editFlags{edits: &p.edits, del: true}, "delete", "remove the property at the JSON pointer `/pointer`; repeatable")
}

// payload returns the body to send: the sample or the file (- for standard input), with the
// edits applied. file is the path the bytes came from unchanged, "" when they were built or
// edited. An error here is a usage error.
func (p *payloadFlags) payload(rest []string, stdin io.Reader, limit int64) (body []byte, file string, err error) {
	switch {
	case p.sample != "" && len(rest) == 0:
		doc, err := sampleDoc(p.sample)
		if err != nil {
			return nil, "", err
		}
		if err := applyEdits(doc, p.edits); err != nil {
			return nil, "", err
		}
		body, err := encodeDoc(doc)
		return body, "", err
	case p.sample == "" && len(rest) == 1:
		body, err := readInput(rest[0], stdin, limit)
		if err != nil {
			return nil, "", err
		}
		if len(p.edits) == 0 {
			if rest[0] == "-" {
				return body, "", nil
			}
			return body, rest[0], nil
		}
		doc, err := decodeDoc(body)
		if err != nil {
			return nil, "", err
		}
		if err := applyEdits(doc, p.edits); err != nil {
			return nil, "", err
		}
		body, err = encodeDoc(doc)
		return body, "", err
	default:
		return nil, "", errors.New("give one FILE (or - for standard input), or --sample EVENT")
	}
}

func runSend(ctx context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("send", "--url URL [--secret whsec_... | --token-header H --token T] [--strict] [--verbose] [--timeout 10s] (FILE|-|--sample EVENT) [--set /pointer=value ...] [--delete /pointer ...]",
		"  carik send --url http://127.0.0.1:8080/webhook --sample message --set /data/status=failed\n"+
			"  CARIK_WEBHOOK_SECRET=whsec_... carik send --url https://app.example.com/carik payload.json --delete /data/phone", stdio)
	url := fs.String("url", "", "`URL` to POST the payload to (required); redirects are not followed")
	var auth authFlags
	auth.register(fs)
	var p payloadFlags
	p.register(fs)
	strict := fs.Bool("strict", false, "refuse to send a payload that strict validation rejects")
	verbose := fs.Bool("verbose", false, "show the request sent (headers and body; a token and the URL's password are masked) and the answer's headers on standard error")
	timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for the answer")
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if *url == "" {
		return usageError(stdio, "send", "--url is required")
	}
	if _, err := httpURL(*url); err != nil {
		return usageError(stdio, "send", "--url %v", err)
	}
	if err := auth.resolve(fs); err != nil {
		return usageError(stdio, "send", "%v", err)
	}
	body, _, err := p.payload(rest, stdio.In, maxFileBytes)
	if err != nil {
		return usageError(stdio, "send", "%v", err)
	}
	if *strict {
		if err := (carik.ParseOptions{Strict: true}).Validate(body); err != nil {
			fmt.Fprintf(stdio.Err, "carik send: not sent: %s\n", excerpt.Escape(err.Error()))
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
	if *verbose {
		showRequest(stdio.Err, req, body, auth)
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		fmt.Fprintf(stdio.Err, "carik send: %s\n", excerpt.Escape(requestError(err, req.URL, *timeout)))
		return exitInvalid
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if *verbose {
		showHeaders(stdio.Err, "< ", res.Proto+" "+res.Status, res.Header, nil)
	}
	fmt.Fprintln(stdio.Out, excerpt.Escape(res.Status))
	if len(answer) > 0 {
		// Each line behind "| ", so that no line of the answer can pass for a line of carik's
		// own, or for a workflow command in a CI log ("::error ...::").
		lines, more := excerpt.EscapeLines(bytes.TrimSuffix(answer, []byte("\n")), 64<<10)
		for _, l := range lines {
			fmt.Fprintf(stdio.Out, "| %s\n", l)
		}
		if more > 0 {
			fmt.Fprintf(stdio.Out, "| ... %d more bytes\n", more)
		}
	}
	if res.StatusCode >= 300 && res.StatusCode <= 399 {
		fmt.Fprintf(stdio.Err, "carik send: the answer is a redirect to %q; not followed (the body and its signature go only to --url)\n", excerpt.Escape(res.Header.Get("Location")))
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return exitInvalid
	}
	return exitOK
}

// requestError words a failed request with its cause and the fix for the two a user meets
// first: no answer in time, and nothing listening.
func requestError(err error, u *url.URL, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from %s within %s (--timeout raises the limit)", u.Redacted(), timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("nothing listens at %s (connection refused); start the receiver (carik listen, or your app) or fix --url", u.Redacted())
	}
	return err.Error()
}

// noRedirects is the client of send and of listen --forward-to: it never follows a redirect,
// so a body and its signature or token never go to another URL than the one given.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// showRequest writes the request as sent, for --verbose; a token is masked.
func showRequest(w io.Writer, req *http.Request, body []byte, auth authFlags) {
	mask := map[string]bool{}
	if auth.token != "" {
		mask[http.CanonicalHeaderKey(auth.tokenHeader)] = true
	}
	showHeaders(w, "> ", req.Method+" "+req.URL.Redacted(), req.Header, mask)
	lines, more := excerpt.EscapeLines(body, 64<<10)
	for _, l := range lines {
		fmt.Fprintf(w, "> %s\n", l)
	}
	if more > 0 {
		fmt.Fprintf(w, "> ... %d more bytes\n", more)
	}
}

func showHeaders(w io.Writer, prefix, first string, h http.Header, mask map[string]bool) {
	fmt.Fprintf(w, "%s%s\n", prefix, excerpt.Escape(first))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if mask[k] {
				v = "(hidden)"
			}
			fmt.Fprintf(w, "%s%s: %s\n", prefix, excerpt.Escape(k), excerpt.Escape(v))
		}
	}
	fmt.Fprintln(w, strings.TrimSpace(prefix))
}
