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

	"github.com/CarikBot/carik-go/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
