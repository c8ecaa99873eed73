package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

func runVersion(_ context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("version", "", "  carik version", stdio)
	rest, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		return usageError(stdio, "version", "takes no arguments")
	}
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	fmt.Fprintf(stdio.Out, "carik %s %s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
