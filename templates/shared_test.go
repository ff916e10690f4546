package templates

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	texttemplate "text/template"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestStatementOnly(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
	}{
		{"the default text details", readDefault(t, "_details.txt.tmpl"), true},
		{"the default HTML details", readDefault(t, "_details.html.tmpl"), true},
		{"commands", readDefault(t, "_commands.txt.tmpl"), false},
		{"ranges and functions in .S", `{{define "p"}} {{with .S}}{{range $i, $c := .Managers}}{{$i}}{{$c}}{{end}}{{join .ToGroups ", "}}{{template "q" .}}{{end}} {{end}}`, true},
		{"the root variable", `{{define "p"}}{{with .S}}{{.Title}} for {{$.Recipient.Name}}{{end}}{{end}}`, false},
		{"the root in a call", `{{define "p"}}{{with .S}}{{template "q" $}}{{end}}{{end}}`, false},
		{"the root deep inside", `{{define "p"}}{{with .S}}{{range .Managers}}{{if eq .Email ($.Recipient.Email)}}you{{end}}{{end}}{{end}}{{end}}`, false},
		{"text outside .S", `{{define "p"}}Dear {{with .S}}{{.Title}}{{end}}{{end}}`, false},
		{"an else", `{{define "p"}}{{with .S}}{{.Title}}{{else}}{{.Role}}{{end}}{{end}}`, false},
		{"two blocks", `{{define "p"}}{{with .S}}{{.Title}}{{end}}{{with .S}}{{.ID}}{{end}}{{end}}`, false},
		{"with something else", `{{define "p"}}{{with .Recipient}}{{.Name}}{{end}}{{end}}`, false},
		{"with a declaration", `{{define "p"}}{{with $s := .S}}{{.Title}}{{end}}{{end}}`, false},
	}
	for _, tc := range tests {
		tmpl, err := texttemplate.New("x").Funcs(textFuncs).Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got bool
		for _, d := range tmpl.Templates() {
			if d.Name() == "details" || d.Name() == "commands" || d.Name() == "p" {
				got = statementOnly(d.Tree)
			}
		}
		if got != tc.want {
			t.Errorf("%s: statementOnly = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func readDefault(t *testing.T, name string) string {
	t.Helper()
	b, err := defaultFS.ReadFile("default/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The mails about one statement render its details once, and say the
// same as when each renders them itself.
func TestSharedPartialsRenderOnce(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	rec := record()
	other := record()
	other.Extraction.Title = "A different statement"
	sh := NewShared()
	for i, role := range []liaison.Role{liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB} {
		d := data(rec, role)
		d.Recipient = liaison.Contact{Name: "Person " + string(rune('A'+i)), Email: "p@example.org"}
		alone, err := set.Render(Notice, d)
		if err != nil {
			t.Fatal(err)
		}
		d.Share(sh)
		shared, err := set.Render(Notice, d)
		if err != nil {
			t.Fatal(err)
		}
		if shared != alone {
			t.Fatalf("%s: shared rendering differs:\n%s\n---\n%s", role, shared.Text, alone.Text)
		}
	}
	// The details come from the Shared now: a view that (against the
	// rule) is another statement's still gets the first one's details.
	d := data(other, liaison.RoleManager)
	d.Share(sh)
	r, err := set.Render(Notice, d)
	if err != nil {
		t.Fatal(err)
	}
	details := r.Text[strings.Index(r.Text, "Statement details"):]
	if !strings.Contains(details, "LS on OTN beyond 400G") || strings.Contains(details, "A different statement") {
		t.Errorf("the text details were rendered again:\n%s", details)
	}
	if !strings.Contains(r.HTML, "<td>LS on OTN beyond 400G</td>") {
		t.Errorf("the HTML details were rendered again:\n%s", r.HTML)
	}
	// Another template set (a reload) never takes them from it.
	set2, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := set2.Render(Notice, d); err != nil || !strings.Contains(r.Text, "Title:              A different statement") {
		t.Errorf("another set used the Shared: %v\n%s", err, r.Text)
	}
}

// Mails about one statement may be rendered side by side (go test -race).
func TestSharedPartialsConcurrently(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	want, err := set.Render(Notice, data(record(), liaison.RoleChair))
	if err != nil {
		t.Fatal(err)
	}
	sh := NewShared()
	errs := make(chan error, 8)
	for i := 0; i < cap(errs); i++ {
		go func() {
			d := data(record(), liaison.RoleChair)
			d.Share(sh)
			r, err := set.Render(Notice, d)
			if err == nil && r != want {
				err = errors.New("a different rendering")
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// A partial that depends on more than the statement, and an HTML partial
// of an override, are rendered for each mail.
func TestSharedPartialsOnlyWhenSafe(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"_details.txt.tmpl":  `{{define "details"}}{{with .S}}{{.Title}} for {{$.Recipient.Name}}{{end}}{{end}}`,
		"_details.html.tmpl": `{{define "details"}}{{with .S}}<p>{{.Title}}</p>{{end}}{{end}}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	set, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	sh := NewShared()
	for _, title := range []string{"First title", "Second title"} {
		rec := record()
		rec.Extraction.Title = title
		d := data(rec, liaison.RoleManager)
		d.Share(sh)
		r, err := set.Render(Notice, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, title+" for Sam Manager") || !strings.Contains(r.HTML, "<p>"+title+"</p>") {
			t.Errorf("%s: details not rendered for this mail:\n%s\n%s", title, r.Text, r.HTML)
		}
	}
}
