package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// maxFileBytes is the default size limit of a payload file: the receiver's default body limit.
const maxFileBytes = 1 << 20

// fileResult is the verdict on one file, in the shape of --json's lines.
type fileResult struct {
	File   string            `json:"file"`
	Valid  bool              `json:"valid"`
	Event  *string           `json:"event"`
	Errors []carik.Violation `json:"errors"`
	// Problem is set when the file could not be read or is not a single JSON object.
	Problem *problem `json:"problem,omitempty"`
}

// problem is an I/O error, a skipped file, or a syntax error, with where it is for the latter.
type problem struct {
	Kind    string `json:"kind"` // "io", "skipped", "too_large" or "syntax"
	Message string `json:"message"`
	Offset  *int64 `json:"offset,omitempty"` // syntax: 0-based byte offset
	Line    int    `json:"line,omitempty"`   // syntax: 1-based line
	Column  int    `json:"column,omitempty"` // syntax: 1-based column, in characters
}

func runValidate(_ context.Context, args []string, stdio Stdio) int {
	fs := newFlagSet("validate", "[--strict] [--json] [--max-bytes N] FILE|DIR|- ...",
		"  carik validate --strict testdata/payloads/valid\n  curl -s https://example.com/hook.json | carik validate -", stdio)
	strict := fs.Bool("strict", false, "reject unknown event types, properties and status values (for CI)")
	asJSON := fs.Bool("json", false, `print one JSON object per file: {"file", "valid", "event", "errors", "problem"}`)
	maxBytes := fs.Int64("max-bytes", maxFileBytes, "refuse files larger than `N` bytes")
	paths, code := parseFlags(fs, args, stdio)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		return usageError(stdio, "validate", "give at least one file, directory or - (standard input)")
	}
	if *maxBytes < 1 {
		return usageError(stdio, "validate", "--max-bytes %d: give a limit of at least 1 byte", *maxBytes)
	}
	opts := carik.ParseOptions{Strict: *strict}
	enc := json.NewEncoder(stdio.Out)
	enc.SetEscapeHTML(false)
	exit, valid, invalid, failed := exitOK, 0, 0, 0
	for _, in := range expand(paths) {
		r := fileResult{File: in.path, Errors: []carik.Violation{}}
		if in.problem != nil {
			r.Problem = in.problem
		} else if body, err := readInput(in.path, stdio.In, *maxBytes); err != nil {
			r.Problem = ioProblem(err)
		} else {
			r = check(in.path, body, opts)
		}
		switch {
		case r.Problem != nil && r.Problem.Kind != "syntax":
			failed++
			exit = exitUsage
		case r.Valid:
			valid++
		default:
			invalid++
			if exit == exitOK {
				exit = exitInvalid
			}
		}
		if *asJSON {
			enc.Encode(r)
			continue
		}
		printResult(stdio.Out, stdio.Err, r)
	}
	if !*asJSON {
		fmt.Fprintf(stdio.Out, "%d file(s): %d valid, %d invalid", valid+invalid, valid, invalid)
		if failed > 0 {
			fmt.Fprintf(stdio.Out, ", %d not checked", failed)
		}
		if *strict {
			fmt.Fprint(stdio.Out, " (strict)")
		}
		fmt.Fprintln(stdio.Out)
	}
	return exit
}

// check validates one payload with the same code as carik.Validate.
func check(file string, body []byte, opts carik.ParseOptions) fileResult {
	r := fileResult{File: file, Errors: []carik.Violation{}}
	ev, err := opts.Parse(body)
	var verr *carik.ValidationError
	var serr *carik.SyntaxError
	switch {
	case err == nil:
		r.Valid = true
		t := string(ev.Type())
		r.Event = &t
	case errors.As(err, &verr):
		r.Errors = verr.Violations
		if verr.Event != "" {
			t := string(verr.Event)
			r.Event = &t
		}
	default:
		// Not a single JSON object: one error about the whole document (pointer "").
		r.Errors = []carik.Violation{{Path: "", Message: err.Error()}}
		r.Problem = &problem{Kind: "syntax", Message: err.Error()}
		if errors.As(err, &serr) {
			off := serr.Offset
			r.Problem.Offset = &off
			r.Problem.Line, r.Problem.Column = lineColumn(body, off)
		}
	}
	return r
}

// lineColumn returns the 1-based line and column (in characters) of a byte offset.
func lineColumn(body []byte, offset int64) (line, column int) {
	if offset > int64(len(body)) {
		offset = int64(len(body))
	}
	before := body[:offset]
	line = 1 + strings.Count(string(before), "\n")
	start := strings.LastIndexByte(string(before), '\n') + 1
	return line, 1 + utf8.RuneCount(before[start:])
}

// printResult prints a verdict; a file that could not be checked goes to standard error.
// Everything taken from a file (keys, values quoted in messages, names) is escaped.
func printResult(out, errw io.Writer, r fileResult) {
	file := excerpt.Escape(r.File)
	switch {
	case r.Problem != nil && r.Problem.Kind == "syntax" && r.Problem.Offset != nil:
		fmt.Fprintf(out, "%s:%d:%d: %s\n", file, r.Problem.Line, r.Problem.Column, excerpt.Escape(strings.TrimPrefix(r.Problem.Message, "carik: ")))
	case r.Problem != nil && r.Problem.Kind == "skipped":
		fmt.Fprintf(errw, "carik validate: %s: skipped: %s\n", file, excerpt.Escape(r.Problem.Message))
	case r.Problem != nil && r.Problem.Kind != "syntax":
		fmt.Fprintf(errw, "carik validate: %s: %s\n", file, excerpt.Escape(r.Problem.Message))
	case r.Valid:
		fmt.Fprintf(out, "ok  %s  (%s)\n", file, excerpt.Escape(*r.Event))
	default:
		for _, v := range r.Errors {
			if v.Path == "" {
				fmt.Fprintf(out, "%s: %s\n", file, excerpt.Escape(strings.TrimPrefix(v.Message, "carik: ")))
				continue
			}
			fmt.Fprintf(out, "%s: %s: %s\n", file, excerpt.Escape(v.Path), excerpt.Escape(v.Message))
		}
	}
}

// input is one file to check, or why it cannot be.
type input struct {
	path    string
	problem *problem
}

// expand turns the arguments into files: a directory gives its *.json regular files (symbolic
// links to regular files included), recursively and sorted; "-" stands for standard input; a
// pattern the shell did not expand (quoted, or from a shell that does not expand them) that
// names no file is expanded as filepath.Glob does. A path that is missing, unreadable or not a
// regular file becomes an input with its problem, so that the others are still checked.
func expand(paths []string) []input {
	var out []input
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{path: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil && errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(p, "*?[") {
			out = append(out, expandPattern(p)...)
			continue
		}
		if err != nil {
			out = append(out, input{path: p, problem: ioProblem(err)})
			continue
		}
		if !st.IsDir() {
			out = append(out, input{path: p, problem: notRegular(st)})
			continue
		}
		var found []input
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, input{path: path, problem: ioProblem(err)})
				return nil
			}
			if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
				return nil
			}
			st, err := os.Stat(path) // follows a symbolic link
			if err != nil {
				found = append(found, input{path: path, problem: ioProblem(err)})
				return nil
			}
			found = append(found, input{path: path, problem: notRegular(st)})
			return nil
		})
		if err != nil {
			found = append(found, input{path: p, problem: ioProblem(err)})
		}
		if len(found) == 0 {
			found = append(found, input{path: p, problem: &problem{Kind: "io", Message: "no *.json files"}})
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out
}

// expandPattern expands a glob pattern into the files it names (directories among them give
// their *.json files), or one input saying that it names none.
func expandPattern(pattern string) []input {
	matches, err := filepath.Glob(pattern)
	switch {
	case err != nil:
		return []input{{path: pattern, problem: &problem{Kind: "io", Message: "not a file, and not a valid pattern: " + err.Error()}}}
	case len(matches) == 0:
		return []input{{path: pattern, problem: &problem{Kind: "io", Message: "no such file, and no file matches it as a pattern"}}}
	}
	return expand(matches)
}

// notRegular returns the problem of a file that is not a regular file (a named pipe would
// block the read forever; a device never ends), or nil.
func notRegular(st fs.FileInfo) *problem {
	m := st.Mode()
	if m.IsRegular() {
		return nil
	}
	kind := "not a regular file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		kind = "a socket, not a regular file"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		kind = "a device, not a regular file"
	case m.IsDir():
		kind = "a directory"
	}
	return &problem{Kind: "skipped", Message: kind}
}

// tooLargeError is the error of a file over the size limit.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("larger than %d bytes; not read", e.limit)
}

func ioProblem(err error) *problem {
	var big *tooLargeError
	if errors.As(err, &big) {
		return &problem{Kind: "too_large", Message: err.Error() + " (--max-bytes raises the limit)"}
	}
	// The path is printed beside the message: "no such file or directory", not "stat FILE: ...".
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &problem{Kind: "io", Message: pe.Err.Error()}
	}
	return &problem{Kind: "io", Message: err.Error()}
}

// readInput reads a regular file or standard input ("-"), at most limit bytes: a larger input
// is an error, found without reading it whole.
func readInput(file string, stdin io.Reader, limit int64) ([]byte, error) {
	r := stdin
	if file != "-" {
		st, err := os.Stat(file)
		if err != nil {
			return nil, err
		}
		if p := notRegular(st); p != nil {
			return nil, errors.New(p.Message)
		}
		if st.Size() > limit {
			return nil, &tooLargeError{limit}
		}
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, &tooLargeError{limit}
	}
	return body, nil
}
