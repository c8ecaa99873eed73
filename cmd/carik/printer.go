package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// bodyShown bounds the bytes of a body listen prints; the rest is counted.
const bodyShown = 4 << 10

// printer writes one report per delivery; requests arrive concurrently. Everything taken from a
// request (event type, webhook-id, body, messages quoting it) is escaped by [clean].
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

// line prints "time status what detail [id=...]" and indented lines under it; what and id
// are cut (to their first 100 bytes and their length) and escaped here, detail and more by
// the caller.
func (p *printer) line(status int, what, detail, id string, more ...string) {
	colour := 32
	switch {
	case status >= 500:
		colour = 31
	case status >= 400:
		colour = 33
	}
	if id != "" {
		detail += "  id=" + excerpt.Escape(excerpt.Cut(id))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s  %s  %-8s  %s\n", time.Now().Format("15:04:05"), p.paint(colour, fmt.Sprint(status)), excerpt.Escape(excerpt.Cut(what)), detail)
	for _, m := range more {
		fmt.Fprintf(p.w, "    %s\n", m)
	}
}

// delivered reports an accepted event: its webhook-id, whether strict mode would have refused
// it (a lenient acceptance: an unknown event type, property or status, the drift to notice),
// and the exact bytes received.
func (p *printer) delivered(ctx context.Context, e carik.Event, strict bool) {
	verdict := "delivered"
	var more []string
	if !strict {
		var verr *carik.ValidationError
		if err := (carik.ParseOptions{Strict: true}).Validate(e.Raw()); errors.As(err, &verr) {
			verdict = p.paint(33, "delivered (lenient: strict mode refuses it)")
			for _, v := range verr.Violations {
				more = append(more, "strict: "+excerpt.Escape(v.Path)+": "+excerpt.Escape(v.Message))
			}
		}
	}
	p.line(http.StatusOK, string(e.Type()), verdict, webhookID(ctx), append(more, body(e.Raw())...)...)
}

// rejected reports a refused delivery with its reason or violations, and its body.
func (p *printer) rejected(ctx context.Context, r *carik.Rejection) {
	what := "-"
	var verr *carik.ValidationError
	if r.Event != nil {
		what = string(r.Event.Type())
	} else if errors.As(r.Err, &verr) && verr.Event != "" {
		what = string(verr.Event)
	}
	id := r.Header.Get("webhook-id")
	if verr != nil {
		var lines []string
		for _, v := range verr.Violations {
			lines = append(lines, excerpt.Escape(v.Path)+": "+excerpt.Escape(v.Message))
		}
		p.line(r.Status, what, "invalid", id, append(lines, body(r.Body)...)...)
		return
	}
	var more []string
	if r.Status != http.StatusUnauthorized { // an unverified body is not worth showing
		more = body(r.Body)
	}
	p.line(r.Status, what, excerpt.Escape(r.Err.Error()), id, more...)
}

// body returns the exact bytes of a body as printable lines ("| " in front of each).
func body(raw []byte) []string {
	lines, more := excerpt.EscapeLines(raw, bodyShown)
	for i, l := range lines {
		lines[i] = "| " + l
	}
	if more > 0 {
		lines = append(lines, fmt.Sprintf("| ... %d more bytes", more))
	}
	return lines
}

// note prints an indented line under the last report; the caller escapes it.
func (p *printer) note(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "    %s\n", s)
}
