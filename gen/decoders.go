package main

import (
	"bytes"
	"fmt"
	"go/format"
	"text/template"
)

// Output files of the decoders and the data structs, relative to the repository root.
const (
	decodersFile = "carik/decode_gen.go"
)

// decoders renders the single-pass validating decoders: one function per object schema.
func decoders(dm *decoderModel) ([]byte, error) {
	return render(decodersFile, decodersTemplate, dm)
}

// dataTypes renders the event data structs.
func dataTypes(dm *decoderModel) ([]byte, error) {
	return render(dataFile, dataTemplate, dm)
}

func render(name string, t *template.Template, dm *decoderModel) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(header("gen", dm.Sources))
	if err := t.Execute(&buf, dm); err != nil {
		return nil, err
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w\n%s", name, err, buf.Bytes())
	}
	return out, nil
}

var funcs = template.FuncMap{
	"comment":    docComment,
	"quote":      func(s string) string { return fmt.Sprintf("%q", s) },
	"lowerFirst": lowerFirst,
}

var dataTemplate = template.Must(template.New("data").Funcs(funcs).Parse(`package carik

import "encoding/json"
{{range .Events}}{{$o := .Object}}
{{- if $o.Open}}
{{comment "" (printf "%s is the data of a [%s], described by schema/%s, kept whole as decoded JSON: objects are map[string]any, arrays []any, numbers json.Number (exact)." .DataType .Type .File)}}
type {{.DataType}} map[string]any
{{else}}
{{comment "" (printf "%s is the data of a [%s], described by schema/%s. Optional fields are pointers, nil when absent." .DataType .Type .File)}}
type {{.DataType}} struct {
{{- range $o.Props}}
{{comment "\t" .Doc}}
	{{.Field}} {{if not .Required}}*{{end}}{{.GoType}} ` + "`" + `json:"{{.Name}}{{if not .Required}},omitempty{{end}}"` + "`" + `
{{end}}
{{- if not $o.Closed}}
	// Extra holds the members of data that have no field above (fields newer than this SDK
	{{- if $o.ClosedStrict}}, which
	// strict mode refuses{{else}}, or a
	// vendor's own{{end}}), as sent: checked against the limits, copied from the body, nil when
	// there are none, so that reading one needs no second parse of the body.
	Extra map[string]json.RawMessage ` + "`" + `json:"-"` + "`" + `
{{- end}}
}

// {{$o.OptType}} holds the values the optional fields of a [{{.DataType}}] point at, so that
// they cost no allocation of their own.
type {{$o.OptType}} struct {
{{- range $o.Props}}{{if not .Required}}
	{{.Opt}} {{.GoType}}
{{- end}}{{end}}
}
{{end}}
{{- end}}
`))

var decodersTemplate = template.Must(template.New("decoders").Funcs(funcs).Parse(`package carik

// The documented values of each open string, in schema order.
var (
	knownEventTypeNames = []string{ {{- range .Events}}{{quote .Name}}, {{end -}} }
{{- range .Enums}}
	known{{.Type}} = []string{ {{- range .Values}}{{quote .Value}}, {{end -}} }
{{- end}}
)

// The envelope's declared names, and the rules of its members.
var (
	envelopeNames = []string{ {{- range .Envelope.Props}}{{quote .Name}}, {{end -}} }
{{- range .Envelope.Props}}
{{- if eq .Special "event"}}
	envelopeEvent = {{$.EventRule}}
{{- else if .RuleExpr}}
	{{.Rule}} = {{.RuleExpr}}
{{- end}}
{{- end}}
)
{{template "object" .Envelope}}

// decodeEventData reads the data object at d.i with the decoder of its event.
func (d *decoder) decodeEventData(event string) Event {
	switch event {
{{- range .Events}}
	case {{quote .Name}}:
		e := &{{.Type}}{}
{{- if .Object.Open}}
		data, _ := d.openData().(map[string]any)
		e.Data = data
{{- else}}
		d.{{.Object.Func}}(&e.Data, &e.opt)
{{- end}}
		return e
{{- end}}
	}
	return d.unknownEventData(event)
}
{{range .Events}}{{if not .Object.Open}}
// The declared names of {{.DataType}} and the rules of its members.
var (
	{{.Object.NamesVar}} = []string{ {{- range .Object.Props}}{{quote .Name}}, {{end -}} }
{{- range .Object.Props}}{{if .RuleExpr}}
	{{.Rule}} = {{.RuleExpr}}
{{- end}}{{end}}
)
{{template "object" .Object}}
{{end}}{{end}}

{{- define "object"}}
{{- if eq .GoType "Envelope"}}
{{comment "" (printf "decodeEnvelope reads the payload object at d.i, checked against schema/%s (and, in strict mode, against webhook.schema.json's list of event types); its data goes to the decoder of its event." .File)}}
func (d *decoder) decodeEnvelope() (Envelope, dispatch) {
	var out Envelope
	x := newDispatch()
{{- else}}
{{comment "" (printf "%s reads the data object at d.i, checked against schema/%s, into out; opt holds what its optional fields point at." .Func .File)}}
func (d *decoder) {{.Func}}(out *{{.GoType}}, opt *{{.OptType}}) {
{{- end}}
	var seen uint64
	var ks keySet
	d.openObject({{.Depth}})
	if d.objectHasMembers() {
		for {
			key := d.objectKey(&ks)
			switch string(key) {
{{- range .Props}}
			case {{quote .Name}}:
				seen |= 1 << {{.Bit}}
{{- if eq .Special "event"}}
				x.readEvent(d, &envelopeEvent)
{{- else if eq .Special "data"}}
				x.readData(d)
{{- else if eq .Kind "string"}}
				if v, ok := d.readString({{quote .Path}}, {{$.Depth}}, &{{.Rule}}); ok {
{{- template "set" .}}
				}
{{- else if eq .Kind "number"}}
				if v, ok := d.readNumber({{quote .Path}}, {{$.Depth}}, &{{.Rule}}); ok {
{{- template "set" .}}
				}
{{- else if eq .Kind "boolean"}}
				if v, ok := d.readBool({{quote .Path}}, {{$.Depth}}); ok {
{{- template "set" .}}
				}
{{- end}}
{{- end}}
			default:
				if d.caseVariant({{quote .Pointer}}, key, {{.NamesVar}}) {
					d.skip({{.Depth}})
					break
				}
{{- if .Closed}}
				d.unknownMember({{quote .Pointer}}, key)
				d.skip({{.Depth}})
{{- else if eq .GoType "Envelope"}}
				if d.strict {
					d.unknownMember({{quote .Pointer}}, key)
				}
				d.skip({{.Depth}})
{{- else if .ClosedStrict}}
				if d.strict {
					d.unknownMember({{quote .Pointer}}, key)
					d.skip({{.Depth}})
				} else {
					d.keepExtra(&out.Extra, key, {{.Depth}})
				}
{{- else}}
				d.keepExtra(&out.Extra, key, {{.Depth}})
{{- end}}
			}
			if !d.objectNext() {
				break
			}
		}
	}
	d.closeObject(&ks)
{{- range .Required}}
	if seen&(1<<{{.Bit}}) == 0 {
		d.missing({{quote .Path}})
	}
{{- end}}
{{- if eq .GoType "Envelope"}}
	x.finish(d)
	return out, x
{{- end}}
}
{{- end}}

{{- define "set"}}
{{- if not .Opt}}
					out.{{.Field}} = {{if eq .GoType "string" "bool" "json.Number"}}v{{else}}{{.GoType}}(v){{end}}
{{- else}}
					opt.{{.Opt}} = {{if eq .GoType "string" "bool" "json.Number"}}v{{else}}{{.GoType}}(v){{end}}
					out.{{.Field}} = &opt.{{.Opt}}
{{- end}}
{{- end}}
`))
