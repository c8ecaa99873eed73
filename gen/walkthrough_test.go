package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ticketSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://carik.id/schema/webhook/ticket.schema.json",
  "title": "TicketData",
  "description": "A support ticket changed state.",
  "type": "object",
  "x-strict": true,
  "required": ["ticket_id", "state"],
  "properties": {
    "ticket_id": {"description": "Identifier of the ticket.", "$ref": "defs.schema.json#/$defs/id"},
    "state": {"title": "TicketState", "description": "The ticket's state.", "type": "string", "minLength": 1,
      "x-known-values": ["open", "closed"], "x-strict": true},
    "urgent": {"description": "Whether the ticket is urgent.", "type": "boolean"}
  },
  "examples": [{"ticket_id": "T-1", "state": "open", "urgent": true}]
}
`

// TestAddingAnEventTypeWalkthrough does what the README says adding an event type takes, in a
// copy of the repository: one schema file, one fixture, go generate ./..., and nothing else.
// The copy's own tests must then pass, including the check that the new type is wired
// everywhere (typed event, router method, fixture, README line) and the fixture corpus.
func TestAddingAnEventTypeWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the module")
	}
	t.Parallel()
	root := t.TempDir()
	copyTree(t, "..", root)

	write := func(rel, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(root, rel), []byte(content), 0o644))
	}
	write("schema/ticket.schema.json", ticketSchema)
	write("testdata/payloads/valid/ticket.json", `{"event": "ticket", "data": {"ticket_id": "T-1", "state": "open", "urgent": false}}`+"\n")
	write("testdata/payloads/valid/ticket.golden", "lenient: ticket\nstrict: ticket\n")
	// Not a step of the walkthrough: fixtures that prove the generated decoder applies the
	// new schema's rules (required, minLength, x-known-values in strict mode, strict members).
	write("testdata/payloads/invalid/ticket_rules.json", `{"event": "ticket", "data": {"state": "", "urgent": "yes"}}`+"\n")
	write("testdata/payloads/invalid/ticket_rules.golden", "lenient: invalid /data/state /data/ticket_id /data/urgent\nstrict: invalid /data/state /data/state /data/ticket_id /data/urgent\n")
	write("testdata/payloads/lenient/ticket_new_state.json", `{"event": "ticket", "data": {"ticket_id": "T", "state": "merged", "x": 1}}`+"\n")
	write("testdata/payloads/lenient/ticket_new_state.golden", "lenient: ticket\nstrict: invalid /data/state /data/x\n")

	goCmd(t, root, "generate", "./...")

	glue, err := os.ReadFile(filepath.Join(root, "carik", "events_gen.go"))
	require.NoError(t, err)
	for _, want := range []string{
		`EventTicket EventType = "ticket"`, "type TicketEvent struct", "Data TicketData",
		"func (r *Router) OnTicket(h func(context.Context, *TicketEvent) error)",
		`TicketStateOpen   TicketState = "open"`,
	} {
		assert.Contains(t, string(glue), want)
	}
	decoders, err := os.ReadFile(filepath.Join(root, "carik", "decode_gen.go"))
	require.NoError(t, err)
	for _, want := range []string{
		"func (d *decoder) decodeTicketData(out *TicketData, opt *ticketDataOpt) {", `case "ticket":`,
		`d.missing("/data/ticket_id")`, "strictEnum: knownTicketState", `d.readBool("/data/urgent"`,
	} {
		assert.Contains(t, string(decoders), want)
	}
	webhook, err := os.ReadFile(filepath.Join(root, "schema", "webhook.schema.json"))
	require.NoError(t, err)
	assert.Contains(t, string(webhook), `"$ref": "ticket.schema.json"`)

	goCmd(t, root, "test", "-count=1", "-run", "TestFixtures|TestEveryEventTypeIsWired|TestDifferentialFixtures|Example", "./carik/")
	// The user's next command is go test ./...: every package's tests must hold with the new
	// type (the schema, CLI and doc tests too, not only carik's). -short skips the load test
	// and this walkthrough itself.
	goCmd(t, root, "vet", "./...")
	goCmd(t, root, "test", "-count=1", "-short", "./...")
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
}

// copyTree copies the module's source files (no .git) from src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), raw, 0o644)
	})
	require.NoError(t, err)
}
