package pipeline

import (
	"bytes"
	"net/mail"
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// deliverByList sets the deliver key of group gid.
func deliverByList(t *testing.T, p *Pipeline, gid string, d config.Delivery) {
	t.Helper()
	cfg := *p.set.Config()
	cfg.Groups = slices.Clone(cfg.Groups)
	for i := range cfg.Groups {
		if cfg.Groups[i].ID == gid {
			cfg.Groups[i].Deliver = d
		}
	}
	if err := p.set.Reload(&cfg, nil); err != nil {
		t.Fatal(err)
	}
}

// mailman re-sends raw as a Mailman 3 list does to its subscribers: its
// own List-Id and list headers, a tagged subject, Precedence: list; the
// rest (our X-Liaisond-* headers, Message-ID, From) kept.
func mailman(raw []byte, list string) []byte {
	local, domain, _ := strings.Cut(list, "@")
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	var out []string
	for _, l := range strings.Split(string(head), "\r\n") {
		switch {
		case strings.HasPrefix(l, "List-Id:"), strings.HasPrefix(l, " ") && len(out) > 0 && strings.HasPrefix(out[len(out)-1], "List-Id:"):
			continue
		case strings.HasPrefix(l, "Subject: "):
			l = "Subject: [" + strings.ToUpper(local) + "] " + strings.TrimPrefix(l, "Subject: ")
		}
		out = append(out, l)
	}
	out = append(out, "Precedence: list", "List-Id: <"+local+"."+domain+">", "List-Post: <mailto:"+list+">",
		"X-BeenThere: "+list, "Sender: "+local+"-bounces@"+domain, "X-Mailman-Version: 3.3.9")
	return append([]byte(strings.Join(out, "\r\n")+"\r\n\r\n"), body...)
}

// relay re-sends raw as a header-stripping relay: no X-Liaisond-*,
// List-Id or Auto-Submitted header, the relay's From and Message-ID.
func relay(raw []byte) []byte {
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	out := []string{"From: CCAMP list <ccamp@ietf.example>", "Message-ID: <relayed-1@lists.example>"}
	for _, l := range strings.Split(string(head), "\r\n") {
		k, _, _ := strings.Cut(strings.ToLower(l), ":")
		if strings.HasPrefix(k, "x-liaisond") || k == "list-id" || k == "auto-submitted" || k == "from" || k == "message-id" {
			continue
		}
		out = append(out, l)
	}
	return append([]byte(strings.Join(out, "\r\n")+"\r\n\r\n"), body...)
}

// TestAnnouncementToTheList: a group that receives statements by list
// gets one short announcement, without reply token; its list's echo back
// into the group's folder is the daemon's own mail, not a statement, and
// causes nothing.
func TestAnnouncementToTheList(t *testing.T) {
	p, db, _ := newCmdTest(t)
	deliverByList(t, p, "ccamp", config.DeliverList)
	deliverByList(t, p, "netmod", config.DeliverBoth)
	res, err := p.Process(Input{Raw: sg15Statement("ann-1@itu.int", "LS on YANG for OTN topology"), Origin: "file:a.eml"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Record.Routing.Groups, routedGroups) {
		t.Fatalf("groups %v", res.Record.Routing.Groups)
	}
	kinds := outboxKinds(t, db)
	if !slices.Equal(kinds["announcement"], []string{"ccamp@ietf.example", "netmod@ietf.example"}) {
		t.Errorf("announcements to %v", kinds["announcement"])
	}
	if slices.Contains(kinds["notice"], "ccamp-chairs@ietf.example") || !slices.Contains(kinds["notice"], "netmod-chairs@ietf.example") {
		t.Errorf("notices to %v: ccamp delivers by list only, netmod both", kinds["notice"])
	}
	var ann *store.OutboxEntry
	_ = db.View(func(tx *store.Tx) (err error) {
		ann, err = tx.Outbox(res.ID + "|announcement|ccamp@ietf.example|")
		return err
	})
	m, err := mail.ReadMessage(bytes.NewReader(ann.Raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Reply-To") != "" || m.Header.Get("X-Liaisond-Kind") != "announcement" || !strings.Contains(m.Header.Get("List-Id"), "liaisond.") ||
		!strings.HasSuffix(m.Header.Get("Message-ID"), "@ietf.example>") {
		t.Errorf("announcement headers: Reply-To %q, kind %q, List-Id %q, Message-ID %q", m.Header.Get("Reply-To"), m.Header.Get("X-Liaisond-Kind"), m.Header.Get("List-Id"), m.Header.Get("Message-ID"))
	}

	// The list's copy comes back into the CCAMP folder.
	before := len(outboxKinds(t, db)["announcement"]) + len(outboxKinds(t, db)["notice"])
	echo, err := p.Process(Input{Raw: mailman(ann.Raw, "ccamp@ietf.example"), Origin: "imap:wg-ccamp/7", Context: routing.Context{Folder: "wg-ccamp", WGList: "ccamp"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if echo.Kind == liaison.KindStatement || strings.HasPrefix(echo.ID, "LS-") || len(echo.Queued) != 0 {
		t.Errorf("the echo became %+v", echo)
	}
	if after := len(outboxKinds(t, db)["announcement"]) + len(outboxKinds(t, db)["notice"]); after != before {
		t.Errorf("the echo queued %d mails", after-before)
	}
	// A relay that strips every mark of ours (new From and Message-ID, no
	// X-Liaisond-* headers): the text alone does not read as a statement.
	stripped := relay(ann.Raw)
	if res, err := p.Process(Input{Raw: stripped, Origin: "imap:wg-ccamp/8", Context: routing.Context{Folder: "wg-ccamp", WGList: "ccamp"}}, false); err != nil ||
		res.Kind == liaison.KindStatement || len(res.Queued) != 0 {
		t.Errorf("a stripped echo became %+v (%v)", res, err)
	}
	// The same statement delivered again announces nothing more.
	if again, err := p.Process(Input{Raw: sg15Statement("ann-1@itu.int", "LS on YANG for OTN topology"), Origin: "file:a.eml"}, false); err != nil || !again.Duplicate {
		t.Fatalf("again: %+v %v", again, err)
	}
	if got := outboxKinds(t, db)["announcement"]; len(got) != 2 {
		t.Errorf("announcements after a re-delivery: %v", got)
	}
}

// TestShortNoticeAndCoordinationAtRecording: a statement whose deadline
// leaves less than deadlines.min_notice is flagged with a reason in its
// history and its notice; two organizations' statements to one group in
// one batch are coordinated, each manager told once.
func TestShortNoticeAndCoordinationAtRecording(t *testing.T) {
	p, db, _ := newTest(t)
	sg15 := mailWith("short-1@itu.int") // due 2027-03-15, received 2026-11-28: 107 days
	sg15 = bytes.Replace(sg15, []byte("15 March 2027"), []byte("10 December 2026"), 1)
	bbf := bytes.ReplaceAll(mailWith("bbf-1@broadband-forum.org"), []byte("ITU-T Study Group 15"), []byte("Broadband Forum"))
	bbf = bytes.Replace(bbf, []byte("tsb-sg15@itu.int"), []byte("liaison@broadband-forum.org"), 1)
	res, err := p.ProcessBatch([]Input{{Raw: sg15, Origin: "a"}, {Raw: bbf, Origin: "b"}}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res[0].Flags, "short_notice") || slices.Contains(res[1].Flags, "short_notice") {
		t.Errorf("flags %v / %v", res[0].Flags, res[1].Flags)
	}
	if !slices.Contains(res[1].Flags, "overlap") || res[1].Record.Routing.OrgID != "bbf" {
		t.Errorf("second statement: %+v", res[1])
	}
	kinds := outboxKinds(t, db)
	want := []string{"jane.doe@example.org", "kenji.sato@example.org", "olu.adeyemi@example.org"}
	if !slices.Equal(kinds["coordination"], want) {
		t.Errorf("coordination notes to %v, want %v", kinds["coordination"], want)
	}
	var evs []liaison.Event
	var notice *store.OutboxEntry
	_ = db.View(func(tx *store.Tx) (err error) {
		evs, _ = tx.Events(res[0].ID)
		notice, err = tx.Outbox(res[0].ID + "|notice|jane.doe@example.org|")
		return err
	})
	if !slices.ContainsFunc(evs, func(e liaison.Event) bool {
		return e.Type == liaison.EventShortNotice && strings.Contains(e.Detail, "12 days after receipt; deadlines.min_notice asks for 30d")
	}) {
		t.Errorf("history lacks the short-notice reason: %+v", evs)
	}
	if !bytes.Contains(notice.Raw, []byte("Short notice: the sender allowed 12 days after receipt")) {
		t.Errorf("the notice does not flag the short notice:\n%s", notice.Raw)
	}
}

// TestReprocessKeepsWhoWasResponsible: after a manager was replaced,
// reprocessing gives an open statement to the managers in office but
// leaves an answered one with the managers who handled it.
func TestReprocessKeepsWhoWasResponsible(t *testing.T) {
	p, db, clk := newTest(t)
	process(t, p, sg15Statement("kept-1@itu.int", "LS one on OTN"))
	process(t, p, sg15Statement("kept-2@itu.int", "LS two on flexible grid"))
	if _, err := p.actions.Apply("LS-2026-0002", actions.Operator(liaison.ChannelCLI), actions.Request{Action: actions.Answered, Ref: "reply"}); err != nil {
		t.Fatal(err)
	}
	cfg := *p.set.Config()
	cfg.Organizations = slices.Clone(cfg.Organizations)
	o := &cfg.Organizations[0]
	o.Managers = []config.Manager{{Contact: liaison.Contact{Name: "Nia New", Email: "nia@example.org"}}}
	if err := p.set.Reload(&cfg, nil); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.AddDate(0, 1, 0)
	if _, err := p.Reprocess(nil); err != nil {
		t.Fatal(err)
	}
	emails := func(id string) string {
		var out []string
		for _, m := range recordOf(t, db, id).Routing.Managers {
			out = append(out, m.Email)
		}
		return strings.Join(out, ",")
	}
	if got := emails("LS-2026-0001"); got != "nia@example.org" {
		t.Errorf("the open statement's managers after reprocessing: %s", got)
	}
	if got := emails("LS-2026-0002"); got != "jane.doe@example.org,kenji.sato@example.org" {
		t.Errorf("the answered statement's managers after reprocessing: %s", got)
	}
}

// TestReprocessIndexesNewGroupsForCoordination: a statement that a changed
// configuration routes to another group after reprocessing is coordinated
// under that group with other organizations' statements there.
func TestReprocessIndexesNewGroupsForCoordination(t *testing.T) {
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("otn-1@itu.int", "LS on OTN topology"))
	bbf := &liaison.Record{ID: "LS-2026-0900", Received: recordOf(t, db, "LS-2026-0001").Received, State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, Title: "LS on MPLS in access networks"},
		Routing:    liaison.Routing{OrgID: "bbf", Groups: []string{"mpls"}}}
	if err := db.Update(func(tx *store.Tx) error {
		if err := tx.PutRecord(bbf); err != nil {
			return err
		}
		return relations.Index(tx, bbf)
	}); err != nil {
		t.Fatal(err)
	}
	overlaps := func() []string {
		var ids []string
		_ = db.View(func(tx *store.Tx) error {
			os, err := relations.Overlaps(tx, p.set.Config(), bbf)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range os {
				ids = append(ids, o.Record.ID)
			}
			return nil
		})
		return ids
	}
	if got := overlaps(); len(got) != 0 {
		t.Fatalf("before: the BBF statement overlaps %v", got)
	}
	cfg := *p.set.Config()
	cfg.Routes = append([]config.Route{{From: []string{"itu-t-sg15"}, Subject: "(?i)OTN", To: []string{"mpls"}}}, cfg.Routes...)
	if err := p.set.Reload(&cfg, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Reprocess([]string{"LS-2026-0001"}); err != nil {
		t.Fatal(err)
	}
	if g := recordOf(t, db, "LS-2026-0001").Routing.Groups; !slices.Contains(g, "mpls") {
		t.Fatalf("reprocessed groups %v, want mpls among them", g)
	}
	if got := overlaps(); len(got) != 1 || got[0] != "LS-2026-0001" {
		t.Errorf("after reprocessing: the BBF statement overlaps %v, want [LS-2026-0001]", got)
	}
}
