package templates

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"sync"
	texttemplate "text/template"
	"text/template/parse"
)

// The notices about one statement differ only in their recipients, yet
// most of each one is the statement's details (the partial "details"),
// which say the same in every copy. A partial whose output depends on the
// statement alone is rendered once for all the mails about it: the caller
// passes the same Shared with each mail's NoticeData (NoticeData.Share),
// and the partial's first rendering is kept there for the others.
//
// A partial is statement-only when its body is one {{with .S}} ...
// {{end}} (white space aside) that never reaches outside .S through the
// root variable $: then whatever it prints comes from .S and from the
// template functions, which are pure. The defaults' "details" partials
// are. The text parts (subjects and text bodies) share any such partial;
// the HTML parts share only the embedded defaults' partials, because
// html/template escapes what follows a partial in the context the partial
// ends in, which an override could leave anywhere.
//
// At parse time each such partial P is renamed, and P becomes a call of
// the function sharedFunc, which renders the renamed partial (or takes
// its rendering from the Shared). Without a Shared the result is the same
// as rendering P in place, only slower.

// sharedFunc is the template function shared partials call.
const sharedFunc = "liaisond_shared"

// Shared keeps the renderings of statement-only partials for the mails
// about one statement (one StatementView) and one Set. It is safe for
// concurrent use: the mails may be rendered side by side.
type Shared struct {
	mu   sync.Mutex
	set  *Set
	done map[string]*sharedRendering
}

type sharedRendering struct {
	once sync.Once
	out  string
	err  error
}

// NewShared returns an empty Shared.
func NewShared() *Shared { return &Shared{done: map[string]*sharedRendering{}} }

// Share makes the templates take the statement-only partials of d from sh
// (rendering them into sh the first time). Every NoticeData given the
// same Shared must have the same S.
func (d *NoticeData) Share(sh *Shared) { d.shared = sh }

// rendering returns the entry for key when sh belongs to set (nil
// otherwise: a Shared never mixes two template sets).
func (sh *Shared) rendering(set *Set, key string) *sharedRendering {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.set == nil {
		sh.set = set
	}
	if sh.set != set {
		return nil
	}
	r := sh.done[key]
	if r == nil {
		r = &sharedRendering{}
		sh.done[key] = r
	}
	return r
}

// hiddenName is the name a shared partial's own body is kept under.
func hiddenName(name string) string { return name + " (statement-only)" }

// sharedPartials is the renaming of one template set's statement-only
// partials.
type sharedPartials struct {
	set  *Set
	part string // partText or partHTML
	// exec renders a hidden partial with data.
	exec func(buf *bytes.Buffer, name string, data any) error
}

// render is sharedFunc: the rendering of partial name for data, from
// data's Shared when it has one.
func (p *sharedPartials) render(name string, data any) (string, error) {
	d, ok := data.(NoticeData)
	if !ok || d.shared == nil {
		return p.renderNow(name, data)
	}
	r := d.shared.rendering(p.set, p.part+"/"+name)
	if r == nil {
		return p.renderNow(name, data)
	}
	r.once.Do(func() { r.out, r.err = p.renderNow(name, data) })
	return r.out, r.err
}

func (p *sharedPartials) renderNow(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := p.exec(&buf, hiddenName(name), data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// shareText renames the statement-only partials of t (every template but
// main) and returns the function they now call.
func shareText(set *Set, t *texttemplate.Template, main string, fn *func(string, any) (string, error)) error {
	p := &sharedPartials{set: set, part: partText, exec: func(buf *bytes.Buffer, name string, data any) error {
		return t.ExecuteTemplate(buf, name, data)
	}}
	*fn = p.render
	for _, tt := range t.Templates() {
		name := tt.Name()
		if name == main || tt.Tree == nil || !statementOnly(tt.Tree) {
			continue
		}
		call, err := callTree(name)
		if err != nil {
			return err
		}
		if _, err := t.AddParseTree(hiddenName(name), tt.Tree); err != nil {
			return err
		}
		if _, err := t.AddParseTree(name, call); err != nil {
			return err
		}
	}
	return nil
}

// shareHTML is shareText for an HTML template set, for the partials named
// in names (the embedded defaults' ones).
func shareHTML(set *Set, h *htmltemplate.Template, names map[string]bool, fn *func(string, any) (htmltemplate.HTML, error)) error {
	p := &sharedPartials{set: set, part: partHTML, exec: func(buf *bytes.Buffer, name string, data any) error {
		return h.ExecuteTemplate(buf, name, data)
	}}
	*fn = func(name string, data any) (htmltemplate.HTML, error) {
		s, err := p.render(name, data)
		return htmltemplate.HTML(s), err // escaped by the partial itself
	}
	for _, ht := range h.Templates() {
		name := ht.Name()
		if !names[name] || ht.Tree == nil || !statementOnly(ht.Tree) {
			continue
		}
		call, err := callTree(name)
		if err != nil {
			return err
		}
		if _, err := h.AddParseTree(hiddenName(name), ht.Tree); err != nil {
			return err
		}
		if _, err := h.AddParseTree(name, call); err != nil {
			return err
		}
	}
	return nil
}

// callTree is the body a shared partial gets: {{liaisond_shared "name" .}}.
func callTree(name string) (*parse.Tree, error) {
	t, err := texttemplate.New(name).Funcs(texttemplate.FuncMap{sharedFunc: func(string, any) string { return "" }}).
		Parse(fmt.Sprintf("{{%s %q .}}", sharedFunc, name))
	if err != nil {
		return nil, fmt.Errorf("templates: share %s: %w", name, err)
	}
	return t.Tree, nil
}

// statementOnly reports whether the template t prints nothing but what
// comes from .S: its body is one {{with .S}} without {{else}} (white
// space aside), and nothing in it refers to the root variable $.
func statementOnly(t *parse.Tree) bool {
	if t.Root == nil {
		return false
	}
	var with *parse.WithNode
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			if len(bytes.TrimSpace(n.Text)) > 0 {
				return false
			}
		case *parse.WithNode:
			if with != nil || n.ElseList != nil {
				return false
			}
			with = n
		default:
			return false
		}
	}
	if with == nil || !isDotS(with.Pipe) {
		return false
	}
	return !usesRoot(with.List)
}

// isDotS reports whether pipe is exactly .S.
func isDotS(pipe *parse.PipeNode) bool {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 1 || len(pipe.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := pipe.Cmds[0].Args[0].(*parse.FieldNode)
	return ok && len(f.Ident) == 1 && f.Ident[0] == "S"
}

// usesRoot reports whether n refers to $ anywhere (a node it does not know
// counts as a reference).
func usesRoot(n parse.Node) bool {
	switch n := n.(type) {
	case nil:
		return false
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if usesRoot(c) {
				return true
			}
		}
		return false
	case *parse.TextNode, *parse.CommentNode, *parse.DotNode, *parse.FieldNode, *parse.IdentifierNode,
		*parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode, *parse.BreakNode, *parse.ContinueNode:
		return false
	case *parse.VariableNode:
		return len(n.Ident) > 0 && n.Ident[0] == "$"
	case *parse.ActionNode:
		return usesRoot(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return false
		}
		for _, c := range n.Cmds {
			if usesRoot(c) {
				return true
			}
		}
		return false
	case *parse.CommandNode:
		for _, a := range n.Args {
			if usesRoot(a) {
				return true
			}
		}
		return false
	case *parse.ChainNode:
		return usesRoot(n.Node)
	case *parse.IfNode:
		return usesRoot(n.Pipe) || usesRoot(n.List) || usesRoot(n.ElseList)
	case *parse.RangeNode:
		return usesRoot(n.Pipe) || usesRoot(n.List) || usesRoot(n.ElseList)
	case *parse.WithNode:
		return usesRoot(n.Pipe) || usesRoot(n.List) || usesRoot(n.ElseList)
	case *parse.TemplateNode:
		return usesRoot(n.Pipe)
	}
	return true
}
