package config

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The decoder walks the YAML syntax tree and fills Go structs by reflection,
// following `yaml:"key"` struct tags (falling back to `json:"key"`, so the
// shared liaison.Contact can be used as is). Unlike a plain Unmarshal it does
// not stop at the first problem: every unknown key and type mismatch becomes
// a Diagnostic, and the line of every key it sees is remembered under its
// path ("imap.folders[1].name") so that later validation can point at it.
//
// Adding a configuration section therefore needs no decoding code: add a
// tagged field to Config (or to a section struct) and its keys are known.

// nodeDecoder is implemented by types with their own YAML form (Duration,
// Folder).
type nodeDecoder interface {
	decodeNode(d *decoder, n ast.Node, path string)
}

type decoder struct {
	file    string
	diags   Errors
	lines   map[string]int
	anchors map[string]ast.Node
	depth   int
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, lines: map[string]int{"": 1}, anchors: map[string]ast.Node{}}
}

// errf records a problem at node n (line 1 when n is nil).
func (d *decoder) errf(n ast.Node, path, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{File: d.file, Line: lineOf(n), Key: path, Msg: fmt.Sprintf(format, args...)})
}

func lineOf(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 1
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return 1
	}
	return tk.Position.Line
}

// parseYAML parses data into a syntax tree. A syntax error becomes a
// diagnostic and a nil node.
func (d *decoder) parseYAML(data []byte) ast.Node {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			line := 1
			if tk := ye.GetToken(); tk != nil && tk.Position != nil && tk.Position.Line > 0 {
				line = tk.Position.Line
			}
			d.diags = append(d.diags, Diagnostic{File: d.file, Line: line, Msg: "YAML syntax error: " + ye.GetMessage()})
			return nil
		}
		d.diags = append(d.diags, Diagnostic{File: d.file, Line: 1, Msg: "YAML syntax error: " + err.Error()})
		return nil
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if i > 0 && body != nil {
			d.errf(doc.Body, "", "only one YAML document is allowed")
			break
		}
		body = doc.Body
	}
	return body
}

// unwrap strips anchors, tags and comments and resolves aliases.
func (d *decoder) unwrap(n ast.Node) ast.Node {
	for i := 0; i < 32 && n != nil; i++ {
		switch v := n.(type) {
		case *ast.AnchorNode:
			if v.Name != nil {
				d.anchors[v.Name.String()] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			if v.Value == nil {
				return nil
			}
			target, ok := d.anchors[v.Value.String()]
			if !ok {
				d.errf(v, "", "unknown YAML alias *%s", v.Value.String())
				return nil
			}
			n = target
		case *ast.TagNode:
			n = v.Value
		case *ast.CommentGroupNode:
			return nil
		default:
			return n
		}
	}
	return n
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// describe names a node's kind for "want X, got Y" messages.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.IntegerNode, *ast.FloatNode:
		return "a number"
	default:
		return "a string"
	}
}

// pairs returns the key/value pairs of a mapping node, or ok=false.
func pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, true
	}
	return nil, false
}

// scalarText returns the text of a scalar node, or ok=false for
// collections.
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.NullNode:
		return "", true
	case ast.ScalarNode:
		if tk := v.GetToken(); tk != nil {
			return tk.Value, true
		}
		return fmt.Sprint(v.GetValue()), true
	}
	return "", false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	nodeDecoderType     = reflect.TypeFor[nodeDecoder]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodeText fills a value that reads itself from text (a date) from a
// scalar node; its error is the diagnostic.
func (d *decoder) decodeText(n ast.Node, u encoding.TextUnmarshaler, path string) {
	if isNull(n) {
		return
	}
	s, ok := scalarText(n)
	if !ok {
		d.errf(n, path, "want a string, got %s", describe(n))
		return
	}
	if err := u.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		d.errf(n, path, "%v", err)
	}
}

// decode fills v (addressable) from node n found at path.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string) {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > 64 {
		d.errf(n, path, "nesting too deep")
		return
	}
	n = d.unwrap(n)
	if v.CanAddr() && v.Addr().Type().Implements(nodeDecoderType) {
		v.Addr().Interface().(nodeDecoder).decodeNode(d, n, path)
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshalerType) {
		d.decodeText(n, v.Addr().Interface().(encoding.TextUnmarshaler), path)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.errf(n, path, "want a string, got %s", describe(n))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			if isNull(n) {
				return
			}
			d.errf(n, path, "want true or false, got %s", describe(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Int, reflect.Int64, reflect.Int32:
		s, ok := scalarText(n)
		i, err := strconv.ParseInt(s, 10, 64)
		if !ok || err != nil || v.OverflowInt(i) {
			d.errf(n, path, "want an integer, got %s", describe(n))
			return
		}
		v.SetInt(i)
	default:
		d.errf(n, path, "internal error: cannot decode into %s", v.Type())
	}
}

func (d *decoder) decodeSlice(n ast.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		if _, isMap := pairs(n); isMap {
			d.errf(n, path, "want a list, got a mapping")
			return
		}
		// A single scalar stands for a one-element list of scalars.
		et := v.Type().Elem()
		if et.Kind() != reflect.String && !reflect.PointerTo(et).Implements(nodeDecoderType) {
			d.errf(n, path, "want a list, got %s", describe(n))
			return
		}
		elem := reflect.New(et).Elem()
		d.decode(n, elem, path+"[0]")
		v.Set(reflect.Append(reflect.MakeSlice(v.Type(), 0, 1), elem))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = lineOf(item)
		d.decode(item, out.Index(i), p)
	}
	v.Set(out)
}

// fieldInfo is one YAML key of a struct.
type fieldInfo struct {
	key   string
	index []int
}

// structFields lists the YAML keys of struct type t, inlining embedded
// structs and fields tagged `yaml:",inline"`.
func structFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, ok := f.Tag.Lookup("yaml")
		if !ok {
			tag, ok = f.Tag.Lookup("json")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !ok && !f.Anonymous {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && name == "" || strings.Contains(opts, "inline") {
			for _, sub := range structFields(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if name == "" {
			continue
		}
		out = append(out, fieldInfo{key: name, index: []int{i}})
	}
	return out
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	ps, ok := pairs(n)
	if !ok {
		d.errf(n, path, "want a mapping, got %s", describe(n))
		return
	}
	fields := structFields(v.Type())
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	for _, mv := range ps {
		if mv.Key != nil && mv.Key.IsMergeKey() {
			d.decodeStruct(d.unwrap(mv.Value), v, path)
			continue
		}
		key, _ := scalarText(d.unwrap(mv.Key))
		p := join(path, key)
		idx := -1
		for i, f := range fields {
			if f.key == key {
				idx = i
				break
			}
		}
		if idx < 0 {
			msg := "unknown key"
			if s := suggest(key, keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errf(mv.Key, p, "%s", msg)
			continue
		}
		d.lines[p] = lineOf(mv.Key)
		d.decode(mv.Value, v.FieldByIndex(fields[idx].index), p)
	}
}

// reflectValue returns the addressable value p points to.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }
