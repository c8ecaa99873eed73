// Package jsontree fills Go values from a decoded JSON tree (what encoding/json gives for an
// any with UseNumber: map[string]any, []any, string, json.Number, bool, nil), following the
// same json struct tags as encoding/json. The SDK decodes a payload once, validates that tree,
// and fills the typed event from the very same tree, so what a handler receives is exactly
// what was validated and the bytes are parsed only once.
package jsontree

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/CarikBot/carik-go/internal/jsonpointer"
)

// Error reports a value that does not fit its Go type, at an RFC 6901 pointer relative to the
// tree's root.
type Error struct {
	Path    string
	Message string
}

// Error returns "path: message".
func (e *Error) Error() string { return e.Path + ": " + e.Message }

// Decode fills the value into points at from tree. Object members without a Go field are
// ignored, as encoding/json ignores them.
func Decode(tree any, into any) error {
	v := reflect.ValueOf(into)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("jsontree: Decode needs a non-nil pointer, got %T", into)
	}
	return decode(tree, v.Elem(), "")
}

var (
	numberType = reflect.TypeFor[json.Number]()
	anyType    = reflect.TypeFor[any]()
)

func decode(node any, v reflect.Value, path string) error {
	if node == nil {
		v.SetZero() // null leaves the zero value (nil for pointers, maps, slices), like encoding/json
		return nil
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decode(node, v.Elem(), path)
	}
	if v.Type() == anyType {
		v.Set(reflect.ValueOf(node))
		return nil
	}
	switch n := node.(type) {
	case string:
		if v.Kind() == reflect.String {
			v.SetString(n)
			return nil
		}
	case bool:
		if v.Kind() == reflect.Bool {
			v.SetBool(n)
			return nil
		}
	case json.Number:
		return decodeNumber(n, v, path)
	case map[string]any:
		switch v.Kind() {
		case reflect.Struct:
			return decodeStruct(n, v, path)
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				break
			}
			if v.IsNil() {
				v.Set(reflect.MakeMapWithSize(v.Type(), len(n)))
			}
			for k, child := range n {
				elem := reflect.New(v.Type().Elem()).Elem()
				if err := decode(child, elem, path+"/"+jsonpointer.Escape(k)); err != nil {
					return err
				}
				v.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), elem)
			}
			return nil
		}
	case []any:
		if v.Kind() == reflect.Slice {
			s := reflect.MakeSlice(v.Type(), len(n), len(n))
			for i, child := range n {
				if err := decode(child, s.Index(i), path+"/"+strconv.Itoa(i)); err != nil {
					return err
				}
			}
			v.Set(s)
			return nil
		}
	}
	return &Error{Path: path, Message: fmt.Sprintf("a JSON %s does not fit the Go type %s", kindOf(node), v.Type())}
}

func decodeNumber(n json.Number, v reflect.Value, path string) error {
	if v.Type() == numberType {
		v.SetString(string(n))
		return nil
	}
	fail := func() error {
		shown := string(n)
		if len(shown) > 32 {
			shown = shown[:32] + "..."
		}
		return &Error{Path: path, Message: fmt.Sprintf("the number %s does not fit the Go type %s", shown, v.Type())}
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(string(n), v.Type().Bits())
		if err != nil {
			return fail()
		}
		v.SetFloat(f)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(string(n), 10, v.Type().Bits())
		if err != nil {
			return fail()
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := strconv.ParseUint(string(n), 10, v.Type().Bits())
		if err != nil {
			return fail()
		}
		v.SetUint(u)
	default:
		return fail()
	}
	return nil
}

func decodeStruct(obj map[string]any, v reflect.Value, path string) error {
	for _, f := range fieldsOf(v.Type()) {
		child, ok := obj[f.name]
		if !ok {
			continue
		}
		if err := decode(child, v.Field(f.index), path+"/"+jsonpointer.Escape(f.name)); err != nil {
			return err
		}
	}
	return nil
}

type field struct {
	name  string
	index int
}

var fieldCache sync.Map // reflect.Type to []field

// fieldsOf lists the exported fields of t with their JSON names, as encoding/json names them
// (embedded structs are not flattened; the generated structs have none).
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tag, ok := sf.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		}
		out = append(out, field{name: name, index: i})
	}
	fieldCache.Store(t, out)
	return out
}

func kindOf(node any) string {
	switch node.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", node)
}
