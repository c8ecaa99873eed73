package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/atombender/go-jsonschema/pkg/schemas"
)

// offlineLoader feeds go-jsonschema the schemas of one folder and nothing else: a $ref is a file
// path relative to the referencing file, and one that leaves the folder or names a URL is an
// error, so generation never touches the network. Each schema passes through goTypes first.
type offlineLoader struct {
	dir        string
	namedEnums bool // type strings with x-known-values as the glue's named types
	cache      map[string]*schemas.Schema
}

func newOfflineLoader(dir string, namedEnums bool) (*offlineLoader, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &offlineLoader{dir: abs, namedEnums: namedEnums, cache: map[string]*schemas.Schema{}}, nil
}

// Load implements schemas.Loader.
func (l *offlineLoader) Load(uri, parentURI string) (*schemas.Schema, error) {
	if strings.Contains(uri, "://") {
		return nil, fmt.Errorf("$ref %q is a URL; refer to a file in %s instead", uri, l.dir)
	}
	name, err := schemas.QualifiedFileName(uri, parentURI, []string{".json"})
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	if filepath.Dir(abs) != l.dir {
		return nil, fmt.Errorf("$ref %q leaves the schema folder %s", uri, l.dir)
	}
	if s, ok := l.cache[abs]; ok {
		return s, nil
	}
	raw, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	if err := goTypes(doc, l.resolve, l.namedEnums); err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	patched, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	s, err := schemas.FromJSONReader(bytes.NewReader(patched))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	l.cache[abs] = s
	return s, nil
}

// resolve returns the schema that ref (a file in the folder and a top-level $defs pointer, as
// go-jsonschema accepts them) points at.
func (l *offlineLoader) resolve(ref string) (map[string]any, error) {
	if strings.Contains(ref, "://") {
		return nil, fmt.Errorf("$ref %q is a URL; refer to a file in %s instead", ref, l.dir)
	}
	file, pointer, _ := strings.Cut(ref, "#")
	name, ok := strings.CutPrefix(pointer, "/$defs/")
	if file == "" || strings.Contains(file, "/") || !ok || strings.Contains(name, "/") {
		return nil, fmt.Errorf("$ref %q: refer to a top-level definition of a file in the folder, as in defs.schema.json#/$defs/id", ref)
	}
	raw, err := os.ReadFile(filepath.Join(l.dir, file))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Defs map[string]map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	def, ok := doc.Defs[name]
	if !ok {
		return nil, fmt.Errorf("$ref %q: %s has no such definition", ref, file)
	}
	return def, nil
}

// goTypes tells go-jsonschema which Go type each string gets, through its goJSONSchema extension,
// so that the published schemas carry no Go-specific keyword: a string with x-known-values is the
// named type that the event glue declares (its title), any other string is a plain Go string
// rather than a named type per definition. A $ref to a string definition is inlined first,
// because go-jsonschema declares a named type for every referenced definition otherwise.
func goTypes(node any, resolve func(ref string) (map[string]any, error), namedEnums bool) error {
	switch v := node.(type) {
	case map[string]any:
		for _, child := range v {
			if err := goTypes(child, resolve, namedEnums); err != nil {
				return err
			}
		}
		if ref, ok := v["$ref"].(string); ok {
			def, err := resolve(ref)
			if err != nil {
				return err
			}
			if def["type"] != "string" {
				return nil
			}
			// Inline the definition: go-jsonschema ignores the extension beside a $ref.
			delete(v, "$ref")
			for k, val := range def {
				if _, own := v[k]; !own {
					v[k] = val
				}
			}
		}
		if v["type"] != "string" {
			return nil
		}
		goType := "string"
		if _, ok := v["x-known-values"]; ok && namedEnums {
			goType, _ = v["title"].(string)
		}
		v["goJSONSchema"] = map[string]any{"type": goType}
	case []any:
		for _, child := range v {
			if err := goTypes(child, resolve, namedEnums); err != nil {
				return err
			}
		}
	}
	return nil
}
