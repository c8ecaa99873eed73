package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/CarikBot/carik-go/carik"
)

func runListen(ctx context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("listen", "[--addr 127.0.0.1:8080] [--path /webhook] [--secret whsec_... | --token-header H --token T] [--strict]",
		"  carik listen --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n  carik send --url http://127.0.0.1:8080/webhook --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --sample message", stdio)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	path := fs.String("path", "/webhook", "URL path of the receiver")
	var auth authFlags
	auth.register(fs)
	strict := fs.Bool("strict", false, "answer 422 to unknown event types, properties and status values")
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		return usageError(stdio, "listen", "unexpected argument %q", rest[0])
	}
	verification, err := auth.receiverOption()
	if err != nil {
		return usageError(stdio, "listen", "%v", err)
	}

	p := &printer{w: stdio.Out, color: isTerminal(stdio.Out)}
	dispatch := carik.DispatchFunc(func(_ context.Context, e carik.Event) error {
		p.delivered(e)
		return nil
	})
	receiver := carik.NewReceiver(dispatch, verification,
		carik.WithParseOptions(carik.ParseOptions{Strict: *strict}),
		carik.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), // the printer reports instead
		carik.WithRejectHook(func(_ context.Context, r *carik.Rejection) { p.rejected(r) }))
	mux := http.NewServeMux()
	mux.Handle(*path, receiver)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p.line(http.StatusNotFound, r.Method+" "+r.URL.Path, "not the receiver's path "+*path)
		http.NotFound(w, r)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stdio.Err, "carik listen: %v\n", err)
		return exitUsage
	}
	if !auth.enabled() {
		fmt.Fprintln(stdio.Err, p.paint(31, "WARNING: no --secret or --token: accepting UNVERIFIED deliveries. Use this only locally."))
	}
	fmt.Fprintf(stdio.Out, "listening on http://%s%s (%s mode); Ctrl-C stops\n", ln.Addr(), *path, modeName(*strict))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stdio.Err, "carik listen: %v\n", err)
		return exitUsage
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stdio.Err, "carik listen: shutdown: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdio.Out, "stopped")
	return exitOK
}

func modeName(strict bool) string {
	if strict {
		return "strict"
	}
	return "lenient"
}

// printer writes one report per delivery; requests arrive concurrently.
type printer struct {
	mu    sync.Mutex
	w     io.Writer
	color bool
}

func (p *printer) paint(code int, s string) string {
	if !p.color {
		return s
	}
	return fmt.Sprintf("\x1b[%dm%s\x1b[0m", code, s)
}

func (p *printer) line(status int, what, detail string, more ...string) {
	colour := 32
	switch {
	case status >= 500:
		colour = 31
	case status >= 400:
		colour = 33
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s  %s  %-8s  %s\n", time.Now().Format("15:04:05"), p.paint(colour, fmt.Sprint(status)), what, detail)
	for _, m := range more {
		fmt.Fprintf(p.w, "    %s\n", m)
	}
}

// delivered reports an accepted event with a compact view of its payload.
func (p *printer) delivered(e carik.Event) {
	verdict := "delivered"
	if _, ok := e.(*carik.UnknownEvent); ok {
		verdict = "delivered (unknown event type)"
	}
	p.line(http.StatusOK, string(e.Type()), verdict, compact(e.Raw()))
}

// rejected reports a refused delivery with its reason or violations.
func (p *printer) rejected(r *carik.Rejection) {
	what := "-"
	var verr *carik.ValidationError
	if r.Event != nil {
		what = string(r.Event.Type())
	} else if errors.As(r.Err, &verr) && verr.Event != "" {
		what = string(verr.Event)
	}
	if verr != nil {
		var lines []string
		for _, v := range verr.Violations {
			lines = append(lines, v.String())
		}
		p.line(r.Status, what, "invalid", lines...)
		return
	}
	p.line(r.Status, what, r.Err.Error())
}

// compact returns a payload on one line, shortened.
func compact(raw []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		buf.Reset()
		buf.Write(raw)
	}
	const limit = 200
	if buf.Len() > limit {
		return string(buf.Bytes()[:limit]) + "..."
	}
	return buf.String()
}
