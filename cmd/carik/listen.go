package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// Server timeouts of listen, the same as examples/receiver: a slow or stalled client cannot
// hold a connection (or the memory of its request) for long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// newServer returns the http.Server of listen, with its timeouts.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

func runListen(ctx context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("listen", "[--addr 127.0.0.1:8080] [--path /webhook] [--secret whsec_... | --token-header H --token T] [--strict] [--forward-to URL]",
		"  carik listen --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"+
			"  carik send --url http://127.0.0.1:8080/webhook --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --sample message\n"+
			"  CARIK_WEBHOOK_SECRET=whsec_... carik listen --forward-to http://127.0.0.1:3000/carik", stdio)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on (port 0 picks a free one)")
	path := fs.String("path", "/webhook", "URL `path` of the receiver")
	var auth authFlags
	auth.register(fs)
	strict := fs.Bool("strict", false, "answer 422 to unknown event types, properties and status values")
	forwardTo := fs.String("forward-to", "", "also POST to `URL` every verified delivery's exact body, signed with a local secret (printed at start, kept in the user config directory)")
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		return usageError(stdio, "listen", "unexpected argument %q", excerpt.Escape(rest[0]))
	}
	if err := auth.resolve(fs); err != nil {
		return usageError(stdio, "listen", "%v", err)
	}
	verification, err := auth.receiverOption()
	if err != nil {
		return usageError(stdio, "listen", "%v", err)
	}
	if !strings.HasPrefix(*path, "/") {
		return usageError(stdio, "listen", "--path %s does not start with /", strconv.Quote(excerpt.Escape(*path)))
	}
	if *forwardTo != "" && !auth.enabled() {
		// The app trusts the local secret: signing unverified requests with it would let
		// anyone who can reach listen send the app whatever they like.
		return usageError(stdio, "listen", "--forward-to needs --secret or --token (or $%s): it signs what it forwards with the secret your app trusts, so it forwards only verified deliveries", envSecret)
	}
	p := &printer{w: stdio.Out, color: isTerminal(stdio.Out)}
	var fwd *forwarder
	if *forwardTo != "" {
		if fwd, err = newForwarder(*forwardTo); err != nil {
			fmt.Fprintf(stdio.Err, "carik listen: --forward-to: %v\n", err)
			return exitUsage
		}
	}

	dispatch := carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
		p.delivered(ctx, e, *strict)
		fwd.forward(ctx, p, e.Raw())
		return nil
	})
	receiver := carik.NewReceiver(dispatch, verification,
		carik.WithParseOptions(carik.ParseOptions{Strict: *strict}),
		carik.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), // the printer reports instead
		carik.WithRejectHook(func(ctx context.Context, r *carik.Rejection) {
			p.rejected(ctx, r)
			if r.Status == http.StatusBadRequest || r.Status == http.StatusUnprocessableEntity {
				fwd.forward(ctx, p, r.Body) // verified, but refused: the app sees the drift too
			}
		}))
	// One handler comparing the path, not a ServeMux: any path is taken literally ("/",
	// "/{id}", "/a b"), never as a pattern.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != *path {
			p.line(http.StatusNotFound, r.Method+" "+r.URL.Path, "not the receiver's path "+excerpt.Escape(*path), "")
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			p.line(http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path, "method not allowed; use POST", "")
		}
		receiver.ServeHTTP(w, r.WithContext(withDelivery(r.Context(), r.Header)))
	})

	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usageError(stdio, "listen", "--addr %s: give host:port, as in 127.0.0.1:8080 (port 0 picks a free one)", strconv.Quote(excerpt.Escape(*addr)))
	}
	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		fmt.Fprintf(stdio.Err, "carik listen: %s is in use (another carik listen, or your app?); choose another with --addr (port 0 picks a free one)\n", excerpt.Escape(*addr))
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "carik listen: %v\n", err)
		return exitUsage
	}
	if !auth.enabled() {
		fmt.Fprintln(stdio.Err, p.paint(31, "WARNING: no --secret or --token (nor $"+envSecret+"): accepting UNVERIFIED deliveries. Use this only locally."))
	}
	fmt.Fprintf(stdio.Out, "listening on http://%s%s (%s mode); Ctrl-C stops\n", ln.Addr(), (&url.URL{Path: *path}).EscapedPath(), modeName(*strict))
	if fwd != nil {
		fmt.Fprintf(stdio.Out, "forwarding to %s, signed with %s (stored in %s; give it to your app as %s)\n", excerpt.Escape(fwd.url.Redacted()), fwd.secret, fwd.file, envSecret)
	}
	srv := newServer(handler)
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
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
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

// deliveryKey keys the request's headers in the context the dispatcher and the reject hook get.
type deliveryKey struct{}

func withDelivery(ctx context.Context, h http.Header) context.Context {
	return context.WithValue(ctx, deliveryKey{}, h)
}

// webhookID returns the webhook-id header of the request being handled, or "".
func webhookID(ctx context.Context) string {
	h, _ := ctx.Value(deliveryKey{}).(http.Header)
	return h.Get("webhook-id")
}
