// Command carik validates Carik webhook payloads, prints their schemas, runs a local receiver
// and sends sample events, offline. Run "carik help" for the commands.
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
