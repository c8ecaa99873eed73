// Command carik validates Carik webhook payloads, prints their schemas, runs a local receiver
// (and forwards what it receives to your app), and sends or signs sample events, offline. Run
// "carik help" for the commands. Each command lives in its own file (validate.go, listen.go,
// send.go, sign.go, schema.go, version.go); Run in cli.go is the whole behaviour, so that tests
// call it in process as well as through the built binary.
//
//	go install github.com/CarikBot/carik-go/cmd/carik@latest
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
