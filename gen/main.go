// Command gen generates the Go code and the whole-payload schema that follow from the JSON
// Schemas in schema/: carik/data_gen.go (the event data structs),
// carik/decode_gen.go (one single-pass validating decoder per object schema, in both modes),
// carik/events_gen.go (the envelope, event types, constants, parse table, router methods),
// schema/webhook.schema.json and the event table of README.md. It also drives go-jsonschema to
// write carik/internal/benchmark/validating/data_gen.go, the baseline the benchmarks compare
// carik.Parse with. It refuses any schema keyword the decoders do not implement, naming the
// file, the JSON pointer and the keyword.
//
// It runs from go:generate in carik/ (go generate ./...). With -check it writes nothing and
// exits 1 when a generated file differs from what the schemas say, naming the file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	root := flag.String("root", "..", "repository root (holds schema/ and carik/)")
	check := flag.Bool("check", false, "write nothing; exit 1 if a generated file is stale")
	flag.Parse()
	stale, err := run(*root, *check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	if *check && len(stale) > 0 {
		for _, f := range stale {
			fmt.Fprintf(os.Stderr, "gen: %s is stale; run go generate ./...\n", f)
		}
		os.Exit(1)
	}
}

// run generates every file under root and returns those whose content changed. It writes only
// the changed files, and none with check.
func run(root string, check bool) ([]string, error) {
	files, err := generate(root)
	if err != nil {
		return nil, err
	}
	var stale []string
	for name, want := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		have, err := os.ReadFile(path)
		if err == nil && bytes.Equal(have, want) {
			continue
		}
		stale = append(stale, name)
		if !check {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(stale)
	return stale, nil
}
