package carik_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/CarikBot/carik-go/carik"
)

// Middleware given to Use wraps every dispatch once, and DeliveryFrom gives it the delivery's
// id: here, a log line per event and a deduplication on the id.
func ExampleRouter_Use() {
	handled := map[string]bool{} // in an application: a table written with the handler's effect
	router := carik.NewRouter()
	router.Use(func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			d, _ := carik.DeliveryFrom(ctx)
			if handled[d.ID] {
				fmt.Println("duplicate", d.ID)
				return nil
			}
			fmt.Println("handling", e.Type(), d.ID)
			if err := next.Dispatch(ctx, e); err != nil {
				return err
			}
			handled[d.ID] = true
			return nil
		})
	})
	router.OnAny(func(context.Context, carik.Event) error { return nil })

	body := []byte(`{"event": "device", "data": {"device_id": "D1", "status": "connected"}}`)
	ev, _ := carik.Parse(body)
	d := carik.NewDelivery(http.Header{"Webhook-Id": {"msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"}}, body)
	for range 2 { // Carik retries with the same webhook-id
		router.Dispatch(carik.ContextWithDelivery(context.Background(), d), ev)
	}
	// Output:
	// handling device msg_2KWPBgLlAfxdpx2AI54pPJ85f4W
	// duplicate msg_2KWPBgLlAfxdpx2AI54pPJ85f4W
}
