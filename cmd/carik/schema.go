package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/schema"
)

func runSchema(_ context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("schema", "[--list] [--strict] [EVENT|envelope|webhook|defs]",
		"  carik schema message > message.schema.json\n  carik schema --list", stdio)
	list := fs.Bool("list", false, "print the event types that have a schema, one per line")
	strict := fs.Bool("strict", false, "print the strict variant (x-strict rules made plain JSON Schema)")
	names, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if *list {
		for _, t := range carik.EventTypes() {
			fmt.Fprintln(stdio.Out, t)
		}
		return exitOK
	}
	name := "envelope"
	switch len(names) {
	case 0:
	case 1:
		name = names[0]
	default:
		return usageError(stdio, "schema", "give one schema name")
	}
	raw, err := readSchema(name, *strict)
	if err != nil {
		return usageError(stdio, "schema", "%v", err)
	}
	stdio.Out.Write(raw)
	return exitOK
}

// readSchema returns the schema file of name, or its strict variant, indented.
func readSchema(name string, strict bool) ([]byte, error) {
	raw, err := fs.ReadFile(schema.FS, name+schema.Suffix)
	if err != nil {
		var known []string
		for _, t := range carik.EventTypes() {
			known = append(known, string(t))
		}
		return nil, fmt.Errorf("no schema %q; known: envelope, webhook, defs, %s", name, strings.Join(known, ", "))
	}
	if !strict {
		return raw, nil
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(schema.Strict(doc)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
