package templates

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

var (
	geneva = time.FixedZone("CET", 3600)
	now    = time.Date(2027, 3, 12, 10, 0, 0, 0, geneva)
)

// record is a realistic ITU-T statement as extraction and routing would
// produce it.
func record() *liaison.Record {
	return &liaison.Record{
		ID:       "LS-2027-0007",
		Received: time.Date(2027, 3, 10, 8, 15, 0, 0, time.UTC),
		State:    liaison.StateOpen,
		Origin:   "imap:INBOX/1234",
		Extraction: liaison.Extraction{
			Kind:              liaison.KindStatement,
			Shape:             "itu",
			Subject:           "LS on OTN beyond 400G (SG15-LS123)",
			From:              liaison.Contact{Name: "TSB", Email: "tsbsg15@itu.int"},
			Direction:         liaison.Incoming,
			Title:             "LS on OTN beyond 400G",
			Purpose:           liaison.PurposeAction,
			Deadline:          liaison.Date{Year: 2027, Month: time.March, Day: 15},
			FromOrgText:       "ITU-T Study Group 15",
			FromGroup:         "Q11/15",
			ToText:            []string{"IETF CCAMP WG", "IETF DETNET WG"},
			CcText:            []string{"IEEE 802.1"},
			ResponseContacts:  []liaison.Contact{{Name: "Jane Rapporteur", Email: "jane@example.com"}},
			TechnicalContacts: []liaison.Contact{{Name: "Li Wei", Email: "li.wei@example.cn"}},
			InResponseTo:      "LS-2026-0042",
			OtherIDs:          []string{"SG15-LS123"},
			URL:               "https://www.itu.int/md/T25-SG15-LS-0123",
			Body:              "Dear colleagues,\n\nITU-T SG15 thanks the IETF for its LS.\n" + strings.Repeat("More text.\n", 50),
			Attachments: []liaison.Attachment{
				{Name: "T25-SG15-LS123.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Size: 48213, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
			},
			Sources: map[string]liaison.Source{
				"title":    {Where: "itu", Detail: "TITLE"},
				"deadline": {Where: "itu", Detail: "DEADLINE"},
				"purpose":  {Where: "itu", Detail: "FOR ACTION TO"},
			},
			Problems: []liaison.Problem{{Code: "charset", Detail: "part 2 declared windows-1252"}},
		},
		Routing: liaison.Routing{
			OrgID:    "itu-t-sg15",
			OrgName:  "ITU-T SG15",
			Groups:   []string{"ccamp", "detnet"},
			Managers: []liaison.Contact{{Name: "Sam Manager", Email: "sam@example.net"}},
			Reasons:  []liaison.Reason{{Code: "domain", Detail: "itu.int -> ITU-T"}, {Code: "to", Detail: "IETF CCAMP WG -> ccamp"}},
		},
	}
}

func data(r *liaison.Record, role liaison.Role) NoticeData {
	return NoticeData{
		S:              View(r, geneva, now),
		LiaisonAddress: "statements@ietf.example",
		IAB:            liaison.Contact{Name: "IAB liaison coordinators", Email: "iab-coord@ietf.example"},
		Recipient:      liaison.Contact{Name: "Sam Manager", Email: "sam@example.net"},
		Role:           role,
		RightGroups:    []string{"ccamp"},
		BaseURL:        "https://liaisond.ietf.example",
		Extra:          map[string]string{"recipient": "old-chair@example.org", "kind": "notice", "error": "550 5.1.1 No such user", "message_id": "abc@ietf.example"},
	}
}

func TestEveryTemplateRenders(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	esc := record()
	esc.Routing.Managers, esc.Routing.NoManager, esc.Routing.Escalate, esc.Routing.EscalationReason = nil, true, true, "no_manager"
	mis := record()
	mis.Routing.Misdirected, mis.Routing.MisdirectionReason, mis.Routing.WrongGroups = true, "wrong_group", []string{"detnet"}

	tests := []struct {
		kind string
		role liaison.Role
		rec  *liaison.Record
		html bool
		// want must appear in the first five lines of the text.
		want []string
		// body must appear somewhere in the text.
		body []string
	}{
		{Notice, "manager", record(), true,
			[]string{"LS-2027-0007", "ITU-T SG15", "LS on OTN beyond 400G", "2027-03-15 (in 3 days)", "jane@example.com"},
			[]string{"Acknowledge", "see it", "by 2027-03-15", "T25-SG15-LS123.docx", "47 KB", "9f86d081884c", "deadline: itu: DEADLINE", "domain: itu.int -> ITU-T", "charset: part 2", "https://liaisond.ietf.example/statements/LS-2027-0007", "[...]"}},
		{Notice, "chair", record(), true,
			[]string{"LS-2027-0007", "For action"},
			[]string{"chair of a working group", "Make sure your working group sees", "Sam Manager <sam@example.net>"}},
		{Escalation, "iab", esc, true,
			[]string{"LS-2027-0007", "no liaison manager is appointed", "LS on OTN beyond 400G", "2027-03-15"},
			[]string{"Decide who handles it", "none appointed", "Attachments"}},
		{Misdirection, "sender", mis, false,
			[]string{"LS on OTN beyond 400G", "LS-2027-0007", "ccamp", "liaison manager is in Cc"},
			[]string{"statements@ietf.example", "detnet", "Sam Manager <sam@example.net>", "sent to a working group that does not handle it"}},
		{MisdirectionHeadsUp, "chair", mis, false,
			[]string{"No action is needed", "LS-2027-0007", "detnet", "routed to ccamp", "Sam Manager"},
			[]string{"statements@ietf.example"}},
		{DeliveryFailure, "iab", record(), false,
			[]string{"could not be delivered", "old-chair@example.org", "550 5.1.1 No such user", "LS-2027-0007"},
			[]string{"<abc@ietf.example>", "Check the address"}},
	}
	for _, tc := range tests {
		t.Run(tc.kind+"/"+string(tc.role), func(t *testing.T) {
			out, err := set.Render(tc.kind, data(tc.rec, tc.role))
			if err != nil {
				t.Fatal(err)
			}
			if out.Subject == "" || strings.ContainsAny(out.Subject, "\r\n\t") {
				t.Errorf("subject %q is not one line", out.Subject)
			}
			if !strings.HasSuffix(out.Text, "\n") || strings.Contains(out.Text, "\n\n\n") || strings.Contains(out.Text, "<no value>") {
				t.Errorf("untidy text:\n%s", out.Text)
			}
			head := strings.Join(strings.SplitN(out.Text, "\n", 6)[:5], "\n")
			for _, w := range tc.want {
				if !strings.Contains(head, w) {
					t.Errorf("first five lines lack %q:\n%s", w, head)
				}
			}
			for _, w := range tc.body {
				if !strings.Contains(out.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, out.Text)
				}
			}
			if (out.HTML != "") != tc.html {
				t.Errorf("HTML present = %v, want %v", out.HTML != "", tc.html)
			}
			if tc.html && (!strings.Contains(out.HTML, "LS on OTN beyond 400G") || strings.Contains(out.HTML, "<no value>")) {
				t.Errorf("HTML lacks the title:\n%s", out.HTML)
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	r := record()
	r.Extraction.Title = "Multi\r\nline\ttitle\nBcc: evil@example.org " + strings.Repeat("long ", 100)
	out, err := set.Render(Notice, data(r, "manager"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.Subject, "\r\n\t") || len([]rune(out.Subject)) > MaxSubject {
		t.Errorf("subject %q", out.Subject)
	}
	if !strings.HasPrefix(out.Subject, "[LS-2027-0007] For action, reply by 2027-03-15: Multi line title Bcc:") {
		t.Errorf("subject = %q", out.Subject)
	}
}

func TestHTMLEscapesHostileValues(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	r := record()
	r.Extraction.Title = `<script>alert("x")</script>`
	r.Extraction.Body = `<img src=x onerror=alert(1)>`
	r.Extraction.URL = `javascript:alert(1)`
	r.Extraction.ResponseContacts = []liaison.Contact{{Name: `"><b>x</b>`, Email: `a@b" onclick="x`}}
	for _, kind := range []string{Notice, Escalation} {
		out, err := set.Render(kind, data(r, "manager"))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script>", "<img", `href="javascript:`, "<b>x</b>", `" onclick="`} {
			if strings.Contains(out.HTML, bad) {
				t.Errorf("%s HTML contains unescaped %q", kind, bad)
			}
		}
		if !strings.Contains(out.HTML, "&lt;script&gt;") {
			t.Errorf("%s HTML does not show the escaped title", kind)
		}
		// The text part prints the title as data, not as a directive.
		if !strings.Contains(out.Text, `<script>alert("x")</script>`) {
			t.Errorf("%s text lost the title", kind)
		}
	}
}

func TestTemplateDirectivesInDataStayData(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	r := record()
	r.Extraction.Title = `{{.LiaisonAddress}} {{template "details" .}}`
	out, err := set.Render(Notice, data(r, "manager"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Subject, `{{.LiaisonAddress}}`) || !strings.Contains(out.Text, `{{template "details" .}}`) {
		t.Errorf("directive in data was interpreted:\n%s\n%s", out.Subject, out.Text)
	}
}

func TestOverrideDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("notice.subject.tmpl", "Custom {{.S.ID}}\n  second line")
	write("README.md", "not a template, ignored")
	set, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := set.Render(Notice, data(record(), "manager"))
	if err != nil {
		t.Fatal(err)
	}
	if out.Subject != "Custom LS-2027-0007 second line" {
		t.Errorf("subject = %q", out.Subject)
	}
	if !strings.Contains(out.Text, "What to do") || out.HTML == "" {
		t.Error("override replaced more than the one template")
	}
	def, _ := New("")
	a, _ := def.Render(Escalation, data(record(), "iab"))
	b, _ := set.Render(Escalation, data(record(), "iab"))
	if a != b {
		t.Error("other kinds changed")
	}

	// Overriding a shared partial changes every kind using it.
	write("_details.txt.tmpl", `{{define "details"}}DETAILS {{.S.ID}}{{end}}`)
	set, err = New(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, _ = set.Render(Escalation, data(record(), "iab"))
	if !strings.Contains(out.Text, "DETAILS LS-2027-0007") || strings.Contains(out.Text, "Statement details") {
		t.Errorf("partial override not applied:\n%s", out.Text)
	}
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"parse error", "notice.txt.tmpl", "line one\nline two {{if .S.ID}\n", []string{"notice.txt.tmpl", ":2:"}},
		{"unknown function", "escalation.html.tmpl", "<p>{{nosuch .S.ID}}</p>", []string{"escalation.html.tmpl", "nosuch"}},
		{"unknown name", "notise.txt.tmpl", "x", []string{"notise.txt.tmpl", "unknown template name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := New(dir)
			if err == nil {
				t.Fatal("broken override accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), dir) && tc.name != "unknown function" {
				t.Errorf("error %q does not name the file's path", err)
			}
		})
	}
	if _, err := New(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing folder accepted")
	}
}

func TestRenderErrors(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Render("nosuch", data(record(), "manager")); err == nil {
		t.Error("unknown kind rendered")
	}
	if _, err := set.Render(Notice, struct{ X int }{1}); err == nil || !strings.Contains(err.Error(), "notice") {
		t.Errorf("wrong data type: %v", err)
	}
}

func TestNames(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	names := Names()
	for _, base := range []string{DeliveryFailure, Escalation, Misdirection, MisdirectionHeadsUp, Notice} {
		if !slices.Contains(names, base) {
			t.Fatalf("Names() = %v lacks %s", names, base)
		}
	}
	for i, n := range names {
		if i > 0 && names[i-1] >= n {
			t.Errorf("Names() not sorted: %v", names)
		}
		if _, ok := set.kinds[n]; !ok {
			t.Errorf("kind %s not parsed", n)
		}
	}
}

func TestView(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(*liaison.Record)
		check    func(StatementView) bool
		describe string
	}{
		{"deadline in 3 days", func(*liaison.Record) {}, func(v StatementView) bool { return v.DeadlineIn == "in 3 days" && !v.Overdue }, "in 3 days"},
		{"deadline today", func(r *liaison.Record) { r.Extraction.Deadline = liaison.Date{Year: 2027, Month: 3, Day: 12} },
			func(v StatementView) bool { return v.DeadlineIn == "today" }, "today"},
		{"deadline late", func(r *liaison.Record) { r.Extraction.Deadline = liaison.Date{Year: 2027, Month: 3, Day: 7} },
			func(v StatementView) bool { return v.DeadlineIn == "5 days late" && v.Overdue }, "5 days late"},
		{"no deadline", func(r *liaison.Record) { r.Extraction.Deadline = liaison.Date{} },
			func(v StatementView) bool { return v.Deadline == "" && v.DeadlineIn == "" }, "empty"},
		{"org unresolved", func(r *liaison.Record) { r.Routing.OrgName, r.Routing.OrgID = "", "" },
			func(v StatementView) bool { return v.FromOrg == "ITU-T Study Group 15" }, "org text"},
		{"org id only", func(r *liaison.Record) { r.Routing.OrgName = "" },
			func(v StatementView) bool { return v.FromOrg == "itu-t-sg15" }, "org id"},
		{"received in zone", func(*liaison.Record) {}, func(v StatementView) bool { return v.Received == "2027-03-10 09:15 CET" }, "local time"},
		{"sources sorted", func(*liaison.Record) {}, func(v StatementView) bool {
			return len(v.Sources) == 3 && v.Sources[0].Field == "deadline" && v.Sources[2].Field == "title" && v.Sources[0].Where == "itu: DEADLINE"
		}, "sorted"},
		{"excerpt capped", func(*liaison.Record) {}, func(v StatementView) bool {
			return v.BodyTruncated && strings.Count(v.BodyExcerpt, "\n") == ExcerptLines-1
		}, "40 lines"},
		{"single-line title", func(r *liaison.Record) { r.Extraction.Title = "a\r\nb\x00c" }, func(v StatementView) bool { return v.Title == "a b c" }, "a b c"},
		{"title falls back to subject", func(r *liaison.Record) { r.Extraction.Title = "" }, func(v StatementView) bool { return v.Title == "LS on OTN beyond 400G (SG15-LS123)" }, "subject"},
		{"purpose human", func(r *liaison.Record) { r.Extraction.Purpose = liaison.PurposeInfo }, func(v StatementView) bool { return v.Purpose == "For information" }, "For information"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := record()
			tc.mutate(r)
			if v := View(r, geneva, now); !tc.check(v) {
				t.Errorf("want %s, got %+v", tc.describe, v)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	sizes := map[int64]string{0: "0 B", 1023: "1023 B", 48213: "47 KB", 3 * 1024 * 1024: "3.0 MB"}
	for n, want := range sizes {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
	days := map[int]string{0: "today", 1: "tomorrow", 3: "in 3 days", -1: "1 day late", -5: "5 days late"}
	for d, want := range days {
		if got := DaysText(d); got != want {
			t.Errorf("DaysText(%d) = %q, want %q", d, got, want)
		}
	}
}

// A statement sent to a peer is its sheet, under the peer's subject, and
// nothing of the daemon's own wording.
func TestOutgoingStatement(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	d := data(record(), "")
	sheet := "                          LIAISON STATEMENT\n\nTITLE:     LS/r on OTN slicing\nDEADLINE:  30 June 2027\n"
	d.Extra = map[string]string{"subject": "LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on OTN slicing\r\nBcc: x@y", "sheet": sheet}
	out, err := set.Render(OutgoingStatement, d)
	if err != nil {
		t.Fatal(err)
	}
	if out.Subject != "LS from IETF CCAMP WG to ITU-T Study Group 15: LS/r on OTN slicing Bcc: x@y" {
		t.Errorf("subject %q", out.Subject)
	}
	if out.Text != sheet || out.HTML != "" {
		t.Errorf("text %q html %q, want the sheet alone", out.Text, out.HTML)
	}
}
