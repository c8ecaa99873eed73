package carik

import (
	"context"
	"errors"
)

// Dispatcher handles parsed events; the HTTP receiver hands every event it accepts to one.
// [*Router] is the usual implementation.
type Dispatcher interface {
	// Dispatch handles e. An error means the event was not handled and should be retried.
	Dispatch(ctx context.Context, e Event) error
}

// DispatchFunc adapts a function to a [Dispatcher].
type DispatchFunc func(ctx context.Context, e Event) error

// Dispatch calls f(ctx, e).
func (f DispatchFunc) Dispatch(ctx context.Context, e Event) error { return f(ctx, e) }

// Router dispatches each event to the handler registered for its type: On<Event> for each
// event type with a schema ([Router.OnMessage], [Router.OnDevice], ...) and [Router.OnUnknown]
// for the others. An event without a handler is acknowledged: Dispatch returns nil.
//
// The zero value is ready to use. Register handlers before the router is in use; Dispatch is
// then safe for concurrent use.
type Router struct {
	handlers map[EventType]func(context.Context, Event) error
	unknown  func(context.Context, *UnknownEvent) error

	fallback   func(context.Context, Event) error // OnAny, in middleware.go
	middleware []Middleware                       // Use, in middleware.go
	chain      Dispatcher                         // the middleware around route
}

// NewRouter returns a router with no handlers.
func NewRouter() *Router {
	return &Router{handlers: map[EventType]func(context.Context, Event) error{}}
}

// OnUnknown registers h as the handler of events whose type has no schema, replacing any
// earlier one; a nil h removes it. Call it before the router is in use.
func (r *Router) OnUnknown(h func(context.Context, *UnknownEvent) error) { r.unknown = h }

// ErrNilEvent is returned by [Router.Dispatch] for a nil event.
var ErrNilEvent = errors.New("carik: Dispatch of a nil Event")

// Dispatch runs the middleware given to [Router.Use] around the handler registered for e's
// type (or the [Router.OnAny] handler) and returns the error; it returns nil when there is no
// handler.
func (r *Router) Dispatch(ctx context.Context, e Event) error {
	if e == nil {
		return ErrNilEvent
	}
	if r.chain != nil {
		return r.chain.Dispatch(ctx, e)
	}
	return r.route(ctx, e)
}

// route calls the handler of e's type, or the fallback.
func (r *Router) route(ctx context.Context, e Event) error {
	if u, ok := e.(*UnknownEvent); ok && r.unknown != nil {
		return r.unknown(ctx, u)
	}
	if h := r.handlers[e.Type()]; h != nil {
		return h(ctx, e)
	}
	if r.fallback != nil {
		return r.fallback(ctx, e)
	}
	return nil
}

// set registers or, with a nil h, removes the handler of t.
func (r *Router) set(t EventType, h func(context.Context, Event) error) {
	if h == nil {
		delete(r.handlers, t)
		return
	}
	if r.handlers == nil {
		r.handlers = map[EventType]func(context.Context, Event) error{}
	}
	r.handlers[t] = h
}
