package carik

import "context"

// Middleware wraps a [Dispatcher] to run code around every event a [Router] dispatches:
// logging, metrics, deduplication, tracing. It calls next.Dispatch to go on, or returns
// without calling it to stop there (a duplicate, for example). Install it with [Router.Use].
type Middleware func(next Dispatcher) Dispatcher

// Use appends middleware to the router. Each one wraps every dispatch once, whether or not
// the event has a handler; the first one given is the outermost, as in chi and connect. Nil
// middleware is skipped. Call Use before the router is in use.
func (r *Router) Use(mw ...Middleware) {
	for _, m := range mw {
		if m != nil {
			r.middleware = append(r.middleware, m)
		}
	}
	var d Dispatcher = DispatchFunc(r.route)
	for i := len(r.middleware) - 1; i >= 0; i-- {
		d = r.middleware[i](d)
	}
	r.chain = d
}

// OnAny registers h as the handler of every event that has no handler of its own: an event
// type without an On<Event> handler, or an unknown event when [Router.OnUnknown] has none. It
// replaces any earlier one; a nil h removes it. Call it before the router is in use.
func (r *Router) OnAny(h func(context.Context, Event) error) { r.fallback = h }
