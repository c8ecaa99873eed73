package cariktest_test

import (
	"context"
	"fmt"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// Example_readme is the README's test snippet, compiled and run.
func Example_readme() {
	myRouter := carik.NewRouter()
	myRouter.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		fmt.Println("handled", e.Data.Status)
		return nil
	})

	secret := cariktest.NewSecret()
	verifier, _ := carik.StandardWebhooks(secret)
	h := carik.NewReceiver(myRouter, carik.WithVerifier(verifier))

	body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/status", carik.MessageStatusFailed))
	res := cariktest.NewSigner(secret).Deliver(h, body) // signed like Carik signs
	// res.StatusCode == 200

	fmt.Println(res.StatusCode)
	// Output:
	// handled failed
	// 200
}
