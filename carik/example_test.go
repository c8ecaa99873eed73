package carik_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/CarikBot/carik-go/carik"
)

func Example_parse() {
	body := []byte(`{"event": "message", "platform": "whatsapp",
		"data": {"queue_id": "1234567890", "message_id": "abc", "phone": "621234567890", "status": "read"}}`)
	ev, err := carik.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch e := ev.(type) {
	case *carik.MessageEvent:
		fmt.Println("message", e.Data.MessageID, "is", e.Data.Status, "on", e.Platform)
		if e.Data.Status == carik.MessageStatusRead {
			fmt.Println("read by", *e.Data.Phone)
		}
	case *carik.DeviceEvent:
		fmt.Println("device", e.Data.DeviceID, "is", e.Data.Status)
	case *carik.UnknownEvent:
		fmt.Println("an event this SDK does not know yet:", e.Type())
	}
	// Output:
	// message abc is read on whatsapp
	// read by 621234567890
}

func ExampleRouter() {
	router := carik.NewRouter()
	router.OnDevice(func(ctx context.Context, e *carik.DeviceEvent) error {
		fmt.Println("device", e.Data.DeviceID, e.Data.Status)
		return nil
	})
	router.OnUnknown(func(ctx context.Context, e *carik.UnknownEvent) error {
		fmt.Printf("kept a %q event for later: %s\n", e.Type(), e.Raw())
		return nil
	})
	for _, body := range []string{
		`{"event": "device", "data": {"device_id": "ABCDEF", "status": "disconnected"}}`,
		`{"event": "order", "data": {"order_id": "O-1"}}`,
		`{"event": "message", "data": {"message_id": "m1", "status": "sent"}}`, // no handler: acknowledged
	} {
		ev, err := carik.Parse([]byte(body))
		if err != nil {
			fmt.Println(err)
			continue
		}
		if err := router.Dispatch(context.Background(), ev); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// device ABCDEF disconnected
	// kept a "order" event for later: {"event": "order", "data": {"order_id": "O-1"}}
}

func ExampleValidationError() {
	body := []byte(`{"event": "message", "data": {"status": 3, "phone": 621234567890}}`)
	err := carik.Validate(body)
	var verr *carik.ValidationError
	if errors.As(err, &verr) {
		for _, v := range verr.Violations {
			fmt.Printf("%s: %s\n", v.Path, v.Message)
		}
	}
	// Output:
	// /data/message_id: required property is missing
	// /data/phone: expected string, found a number
	// /data/status: expected string, found a number
}

func ExampleParseOptions_strict() {
	body := []byte(`{"event": "message", "data": {"message_id": "m1", "status": "seen", "reply_to": "m0"}}`)
	fmt.Println("lenient:", carik.Validate(body))
	fmt.Println("strict: ", carik.ParseOptions{Strict: true}.Validate(body))
	// Output:
	// lenient: <nil>
	// strict:  carik: invalid "message" payload (2 violations): /data/reply_to: unknown property: the schema does not declare it; /data/status: expected one of "queued", "sent", "delivered", "read", "failed"; found "seen"
}

func ExampleSyntaxError() {
	_, err := carik.Parse([]byte(`{"event": "message", "data": {`))
	fmt.Println(errors.Is(err, carik.ErrMalformed))
	fmt.Println(err)
	// Output:
	// true
	// carik: body is not a single JSON object: at byte 30, in /data: unexpected end of JSON input (truncated body)
}

// handle is the README's Quick start, compiled here (TestREADMESnippetsAreCompiled checks that
// the README shows exactly this code).
func handle(body []byte) error {
	ev, err := carik.Parse(body) // validated against the schema of its event
	if err != nil {
		return err // *carik.ValidationError lists every violation; *carik.SyntaxError says where the JSON breaks
	}
	switch e := ev.(type) {
	case *carik.MessageEvent:
		log.Printf("message %s is %s", e.Data.MessageID, e.Data.Status)
	case *carik.DeviceEvent:
		log.Printf("device %s is %s", e.Data.DeviceID, e.Data.Status)
	case *carik.UnknownEvent: // an event type newer than this SDK: kept, not lost
		log.Printf("new event %q: %v", e.Type(), e.Data)
	}
	return nil
}

func ExampleParse() {
	log.SetOutput(os.Stdout)
	log.SetFlags(0)
	defer log.SetOutput(os.Stderr)
	defer log.SetFlags(log.LstdFlags)
	fmt.Println(handle([]byte(`{"event": "device", "data": {"device_id": "D1", "status": "connected"}}`)))
	// Output:
	// device D1 is connected
	// <nil>
}

func ExampleRouter_Dispatch() {
	ctx := context.Background()
	ev, _ := carik.Parse([]byte(`{"event": "message", "data": {"message_id": "m1", "status": "read"}}`))

	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		if e.Data.Status == carik.MessageStatusRead {
			// ...
		}
		return nil
	})
	router.OnPayment(func(ctx context.Context, e *carik.PaymentEvent) error { return nil })
	err := router.Dispatch(ctx, ev) // an event without a handler is acknowledged (nil)

	fmt.Println(err)
	// Output: <nil>
}

// ExampleNewReceiver fails closed: without a secret there is no receiver (never a fallback to a
// weaker check).
func ExampleNewReceiver() {
	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		return nil // store e.Data.Status; an error makes Carik retry
	})

	verifier, err := carik.StandardWebhooks(os.Getenv("CARIK_WEBHOOK_SECRET")) // whsec_...; pass the old one too while rotating
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhook", carik.NewReceiver(router, carik.WithVerifier(verifier)))

	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

func ExampleNewSigner() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	signer, err := carik.NewSigner(secret)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"test": 2432232314}`)
	header := signer.SignAt("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	fmt.Println(header.Get("webhook-signature"))

	verifier, _ := carik.StandardWebhooks(secret)
	fmt.Println(verifier.Verify(signer.Sign(body), body))
	// Output:
	// v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
	// <nil>
}

// seen stands for the application's lookup of a handled delivery id, which the README's
// deduplication snippet calls.
func seen(_ context.Context, id string) bool { return id == "msg_already_handled" }

// ExampleRouter_Use_deduplicate compiles and runs the README's deduplication snippet.
func ExampleRouter_Use_deduplicate() {
	router := carik.NewRouter()
	router.Use(func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			d, _ := carik.DeliveryFrom(ctx)
			if seen(ctx, d.ID) { // e.g. SELECT 1 FROM handled WHERE delivery_id = $1
				return nil // a retry of a delivery already handled: acknowledge it
			}
			return next.Dispatch(ctx, e) // the handler records d.ID with its effect
		})
	})
	router.OnAny(func(ctx context.Context, e carik.Event) error {
		d, _ := carik.DeliveryFrom(ctx)
		fmt.Println("handled", e.Type(), d.ID)
		return nil
	})

	body := []byte(`{"event": "device", "data": {"device_id": "D1", "status": "connected"}}`)
	ev, _ := carik.Parse(body)
	for _, id := range []string{"msg_already_handled", "msg_new"} {
		d := carik.NewDelivery(http.Header{"Webhook-Id": {id}}, body)
		router.Dispatch(carik.ContextWithDelivery(context.Background(), d), ev)
	}
	// Output: handled device msg_new
}
