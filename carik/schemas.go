package carik

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sync"

	"github.com/CarikBot/carik-go/internal/validate"
	"github.com/CarikBot/carik-go/schema"
)

// payloadSchemas holds, for one mode, a compiled schema per known event type and one for any
// other event. Each is webhook.schema.json specialised to one branch of its dispatch on
// "event", so that a payload is checked against its own event's schema only, instead of
// evaluating every if/then branch; the verdict is the same, which TestSpecialisedSchemas
// checks.
type payloadSchemas struct {
	byEvent map[EventType]*validate.Validator
	other   *validate.Validator
}

func (s *payloadSchemas) forEvent(event any) *validate.Validator {
	if name, ok := event.(string); ok {
		if v := s.byEvent[EventType(name)]; v != nil {
			return v
		}
	}
	return s.other
}

// The compiled schemas of each mode, built on first use from the embedded files.
var (
	lenientSchemas = sync.OnceValues(func() (*payloadSchemas, error) { return compileSchemas(nil) })
	strictSchemas  = sync.OnceValues(func() (*payloadSchemas, error) { return compileSchemas(schema.Strict) })
)

func schemasFor(strict bool) (*payloadSchemas, error) {
	if strict {
		return strictSchemas()
	}
	return lenientSchemas()
}

const otherEventRoot = "other-event.payload.json"

// compileSchemas splits webhook.schema.json into one root per branch of its allOf (each an
// if event == X then data matches X's schema) plus the root of any other event, and compiles
// them.
func compileSchemas(transform func(any) any) (*payloadSchemas, error) {
	raw, err := fs.ReadFile(schema.FS, schema.WebhookFile)
	if err != nil {
		return nil, err
	}
	var webhook map[string]any
	if err := json.Unmarshal(raw, &webhook); err != nil {
		return nil, err
	}
	branches, _ := webhook["allOf"].([]any)
	delete(webhook, "allOf")
	delete(webhook, "$id")
	roots := map[string]any{otherEventRoot: webhook}
	for _, b := range branches {
		event, then, err := splitBranch(b)
		if err != nil {
			return nil, fmt.Errorf("carik: %s: %w", schema.WebhookFile, err)
		}
		root := make(map[string]any, len(webhook)+1)
		for k, v := range webhook {
			root[k] = v
		}
		root["allOf"] = []any{then}
		roots[event+".payload.json"] = root
	}
	compiled, err := validate.Compile(schema.FS, schema.BaseURI, roots, transform)
	if err != nil {
		return nil, fmt.Errorf("carik: compiling the schemas: %w", err)
	}
	s := &payloadSchemas{byEvent: map[EventType]*validate.Validator{}, other: compiled[otherEventRoot]}
	for name, v := range compiled {
		if name != otherEventRoot {
			s.byEvent[EventType(name[:len(name)-len(".payload.json")])] = v
		}
	}
	return s, nil
}

// splitBranch reads {"if": {"properties": {"event": {"const": X}}, ...}, "then": T}.
func splitBranch(b any) (string, any, error) {
	branch, _ := b.(map[string]any)
	cond, _ := branch["if"].(map[string]any)
	props, _ := cond["properties"].(map[string]any)
	event, _ := props["event"].(map[string]any)
	name, ok := event["const"].(string)
	if !ok || branch["then"] == nil {
		return "", nil, fmt.Errorf("allOf entry %v is not an event dispatch", b)
	}
	return name, branch["then"], nil
}
