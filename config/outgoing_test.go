package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const orgHead = head + "organizations:\n  - id: sg15\n    name: ITU-T SG15\n    outgoing:\n"

// TestOutgoingDiagnostics checks one rule per case; want is the exact list
// of diagnostics.
func TestOutgoingDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"send_to required", orgHead + "      format: itu\n",
			"t.yaml:6: organizations[0].outgoing.send_to: required key is missing or empty: where statements to this organization are sent"},
		{"bad send_to address", orgHead + "      send_to: [tsb at itu]\n",
			`t.yaml:7: organizations[0].outgoing.send_to[0]: "tsb at itu" is not an e-mail address: white space in a bare address`},
		{"unknown format", orgHead + "      send_to: [tsb@itu.int]\n      format: etsi\n",
			`t.yaml:8: organizations[0].outgoing.format: "etsi" is not one of itu, 3gpp, ieee, plain`},
		{"unknown attachment form", orgHead + "      send_to: [tsb@itu.int]\n      attachment: odt\n",
			`t.yaml:8: organizations[0].outgoing.attachment: "odt" is not one of pdf, docx, none`},
		{"unknown placeholder", orgHead + "      send_to: [tsb@itu.int]\n      subject: \"LS {titel}\"\n",
			"t.yaml:8: organizations[0].outgoing.subject: unknown placeholder {titel}: want one of from, id, purpose, ref, title, to"},
		{"negative days", orgHead + "      send_to: [tsb@itu.int]\n      min_reply_days: -3\n",
			"t.yaml:8: organizations[0].outgoing.min_reply_days: must not be negative"},
		{"days not a number", orgHead + "      send_to: [tsb@itu.int]\n      min_reply_days: soon\n",
			"t.yaml:8: organizations[0].outgoing.min_reply_days: want an integer, got a string"},
		{"unknown required field", orgHead + "      send_to: [tsb@itu.int]\n      require: [title, signature]\n",
			`t.yaml:8: organizations[0].outgoing.require[1]: "signature" is not one of title, purpose, deadline, contact, source_groups, addressees, body, reply_to, reference`},
		{"accept takes extensions", orgHead + "      send_to: [tsb@itu.int]\n      accept: [pdf, application/zip]\n",
			`t.yaml:8: organizations[0].outgoing.accept[1]: "application/zip": want a file extension such as pdf or docx`},
		{"unknown key", orgHead + "      send_to: [tsb@itu.int]\n      sendto: [x@itu.int]\n",
			`t.yaml:8: organizations[0].outgoing.sendto: unknown key (did you mean "send_to"?)`},
		{"area without directors", head + "groups:\n  - {id: rtg, kind: area, name: Routing Area, list: rtg@ietf.example}\n",
			"t.yaml:4: groups[0].directors: required key is missing or empty: an area's directors approve its statements"},
		{"directors on a working group", head + "groups:\n  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, directors: [ad@example.org]}\n",
			"t.yaml:4: groups[0].directors: only an area (kind: area) has directors; this group is kind wg"},
		{"unknown kind", head + "groups:\n  - {id: ccamp, kind: team, name: CCAMP, list: ccamp@ietf.example}\n",
			`t.yaml:4: groups[0].kind: "team" is not one of wg, area, iab, ietf`},
		{"area of a wg must be an area", head + "groups:\n  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, area: teas}\n  - {id: teas, name: TEAS, list: teas@ietf.example}\n",
			`t.yaml:4: groups[0].area: group "teas" is not an area (kind: area)`},
		{"unknown area", head + "groups:\n  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, area: rtgg}\n  - {id: rtg, kind: area, name: Routing, list: rtg@ietf.example, directors: [ad@example.org]}\n",
			`t.yaml:4: groups[0].area: unknown group "rtgg" (did you mean "rtg"?)`},
		{"meeting dates", head + "outgoing:\n  meetings:\n    - {name: IETF 128, start: 2027-03-26, end: 2027-03-20}\n    - {name: IETF 129, start: July 2027}\n",
			"t.yaml:5: outgoing.meetings[0].end: 2027-03-20 is before start 2027-03-26\n" +
				`t.yaml:6: outgoing.meetings[1].start: date "July 2027": want YYYY-MM-DD`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error, want:\n%s", tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestOutgoingDefaults checks that each format brings its own defaults and
// that a key the file sets wins over them.
func TestOutgoingDefaults(t *testing.T) {
	tests := []struct {
		format     string
		extra      string
		attachment AttachmentForm
		days       int
		require    []DraftField
		accept     []string
	}{
		{"itu", "", AttachPDF, 60, []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldSourceGroups, FieldBody, FieldContact, FieldAddressees}, []string{"pdf", "docx", "doc", "xlsx", "pptx", "zip", "txt"}},
		{"3gpp", "", AttachDOCX, 45, []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldSourceGroups, FieldBody, FieldContact, FieldAddressees, FieldReplyTo}, []string{"docx", "doc", "zip", "pdf"}},
		{"ieee", "", AttachPDF, 60, []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldSourceGroups, FieldBody, FieldContact}, []string{"pdf", "docx", "doc", "txt", "zip"}},
		{"plain", "", AttachNone, 30, []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldSourceGroups, FieldBody}, nil},
		{"itu", "      attachment: none\n      min_reply_days: 0\n      require: [title]\n      accept: [.PDF]\n", AttachNone, 0, []DraftField{FieldTitle}, []string{"pdf"}},
	}
	for _, tc := range tests {
		t.Run(tc.format+strings.ReplaceAll(tc.extra, "\n", ";"), func(t *testing.T) {
			src := orgHead + "      send_to: [tsb@itu.int]\n      format: " + tc.format + "\n" + tc.extra
			c, err := Parse(filepath.Join(t.TempDir(), "t.yaml"), []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			o := c.Organizations[0].Outgoing
			if o.Attachment != tc.attachment || o.MinReplyDays != tc.days {
				t.Errorf("attachment %s, min_reply_days %d; want %s, %d", o.Attachment, o.MinReplyDays, tc.attachment, tc.days)
			}
			if !slices.Equal(o.Require, tc.require) {
				t.Errorf("require %v, want %v", o.Require, tc.require)
			}
			if !slices.Equal(o.Accept, tc.accept) {
				t.Errorf("accept %v, want %v", o.Accept, tc.accept)
			}
			if _, unknown := SubjectPlaceholders(o.Subject); o.Subject == "" || unknown != "" {
				t.Errorf("default subject %q is not a valid template", o.Subject)
			}
		})
	}
	// Without outgoing, an organization has no rules; without a format,
	// it is plain.
	c, err := Parse("t.yaml", []byte(head+"organizations:\n  - {id: bbf, name: BBF}\n  - {id: mef, name: MEF, outgoing: {send_to: [l@mef.example]}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Organizations[0].Outgoing != nil {
		t.Errorf("bbf has outgoing rules without a section: %+v", c.Organizations[0].Outgoing)
	}
	if f := c.Organizations[1].Outgoing.Format; f != FormatPlain {
		t.Errorf("mef format %q, want plain", f)
	}
}

func TestExampleOutgoing(t *testing.T) {
	c, err := Load(filepath.Join("..", "examples", "liaisond.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]SheetFormat{}
	for _, o := range c.Organizations {
		if o.Outgoing != nil {
			formats[o.ID] = o.Outgoing.Format
		}
	}
	if formats["itu-t-sg15"] != FormatITU || formats["3gpp-sa2"] != Format3GPP || formats["ieee-802-1"] != FormatIEEE {
		t.Errorf("example formats %v: want an ITU-T, a 3GPP and an IEEE organization", formats)
	}
	rtg, ok := c.Group("rtg-area")
	if !ok || rtg.Kind != KindArea || len(rtg.Directors) == 0 {
		t.Errorf("example rtg-area: %+v", rtg)
	}
	if g, _ := c.Group("ccamp"); g.Kind != KindWG || g.Area != "rtg-area" {
		t.Errorf("example ccamp: kind %q area %q", g.Kind, g.Area)
	}
	if len(c.Outgoing.Meetings) == 0 || c.Outgoing.Meetings[0].StartDate.IsZero() {
		t.Errorf("example meetings not parsed: %+v", c.Outgoing.Meetings)
	}
}

// TestPDFFont: the PDF font's files are read with the configuration,
// relative to its folder; a missing file, a file that is not TrueType and
// a bold face without a regular one are errors at their key.
func TestPDFFont(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"sans.ttf": "\x00\x01\x00\x00 glyphs", "sans-bold.ttf": "true glyphs", "sans.otf": "OTTO glyphs", "notes.txt": "hello"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	load := func(font string) (*Config, error) {
		path := filepath.Join(dir, "liaisond.yaml")
		if err := os.WriteFile(path, []byte(head+"outgoing:\n  pdf_font: "+font+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(path)
	}
	c, err := load("{regular: sans.ttf}")
	if err != nil || !c.Outgoing.PDFFont.Set() || string(c.Outgoing.PDFFont.BoldTTF) != files["sans.ttf"] {
		t.Fatalf("regular only: %v, %+v", err, c)
	}
	c, err = load("{regular: sans.ttf, bold: " + filepath.Join(dir, "sans-bold.ttf") + "}")
	if err != nil || string(c.Outgoing.PDFFont.BoldTTF) != files["sans-bold.ttf"] || string(c.Outgoing.PDFFont.RegularTTF) != files["sans.ttf"] {
		t.Fatalf("both faces: %v", err)
	}
	if c, err := load("{}"); err != nil || c.Outgoing.PDFFont.Set() {
		t.Errorf("no font: %v, set %v", err, c.Outgoing.PDFFont.Set())
	}
	for _, tc := range []struct{ font, want string }{
		{"{regular: missing.ttf}", "liaisond.yaml:4: outgoing.pdf_font.regular: font " + filepath.Join(dir, "missing.ttf") + ": stat "},
		{"{regular: sans.otf}", "outgoing.pdf_font.regular: font " + filepath.Join(dir, "sans.otf") + " is OpenType with PostScript outlines (CFF): use a TrueType (.ttf) file"},
		{"{regular: sans.ttf, bold: notes.txt}", "outgoing.pdf_font.bold: font " + filepath.Join(dir, "notes.txt") + " is not a TrueType (.ttf) file"},
		{"{bold: sans-bold.ttf}", "outgoing.pdf_font.regular: required when pdf_font.bold is set"},
	} {
		if _, err := load(tc.font); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.font, err, tc.want)
		}
	}
}
