package carik_test

import (
	"context"
	"errors"
	"fmt"
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
	// carik: body is not a single JSON object: at byte 30: unexpected end of JSON input (truncated body)
}

func ExampleNewReceiver() {
	verifier, err := carik.StandardWebhooks(os.Getenv("CARIK_WEBHOOK_SECRET")) // add the old secret while rotating
	if err != nil {
		// In an application: log.Fatal(err). Here the variables are unset.
		verifier = carik.TokenHeader("token", "example")
	}
	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		return nil // store e.Data.Status; an error makes Carik retry
	})

	mux := http.NewServeMux()
	mux.Handle("/webhook", carik.NewReceiver(router,
		carik.WithVerifier(verifier),
		carik.WithMaxBodyBytes(256<<10),
		carik.WithRejectHook(func(ctx context.Context, r *carik.Rejection) {
			// keep r.Body and r.Err somewhere: nothing is lost even when refused
		}),
	))
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv // srv.ListenAndServe()
}
