package smtpsend

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/templates"
)

// TestNoticeEndToEnd renders a notice, builds it and sends it through a real
// SMTP server, then reads it back as a recipient would see it.
func TestNoticeEndToEnd(t *testing.T) {
	mp := testsvc.StartMailpit(t, testsvc.MailpitOptions{STARTTLS: true})
	set, err := templates.New("")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 3, 12, 10, 0, 0, 0, time.UTC)
	rec := &liaison.Record{
		ID:       "LS-2027-0009",
		Received: now.Add(-time.Hour),
		Extraction: liaison.Extraction{
			Title:            "Réponse sur la synchronisation\r\nBcc: victim@evil.example",
			Purpose:          liaison.PurposeAction,
			Deadline:         liaison.Date{Year: 2027, Month: 4, Day: 1},
			FromOrgText:      "ETSI TC NTECH",
			ResponseContacts: []liaison.Contact{{Name: "Zoë", Email: "zoe@etsi.example"}},
		},
		Routing: liaison.Routing{OrgName: "ETSI", Groups: []string{"tictoc"}, Managers: []liaison.Contact{{Name: "Sam", Email: "sam@example.net"}}},
	}
	manager := liaison.Contact{Name: "Sam", Email: "sam@example.net"}
	out, err := set.Render(templates.Notice, templates.NoticeData{
		S: templates.View(rec, time.UTC, now), LiaisonAddress: "statements@ietf.example", Recipient: manager, Role: "manager",
	})
	if err != nil {
		t.Fatal(err)
	}
	key := rec.ID + "/notice/" + manager.Email
	raw, err := outmail.Build(outmail.Mail{
		From: liaison.Contact{Name: "IETF liaisons", Email: "statements@ietf.example"}, To: []liaison.Contact{manager},
		Subject: out.Subject, MessageID: outmail.MessageID(key, "ietf.example"), Date: now,
		ListID: "liaisond.ietf.example", Kind: "notice", LoopToken: "ietf.example", Text: out.Text, HTML: out.HTML,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Address: mp.SMTPAddr(), TLS: TLSStartTLS, TLSConfig: mp.Cert.ClientConfig(), Timeout: 10 * time.Second, Logger: quietLogger(&bytes.Buffer{})})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "statements@ietf.example", []string{manager.Email}, raw); err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitFor(t, 1, 5*time.Second)
	got := mp.Raw(t, msgs[0].ID)
	r, err := gomail.CreateReader(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header
	if h.Get(outmail.LoopHeader) != "ietf.example" || h.Get("Auto-Submitted") != "auto-generated" || h.Has("Bcc") {
		t.Errorf("headers as delivered: loop=%q auto=%q bcc=%v", h.Get(outmail.LoopHeader), h.Get("Auto-Submitted"), h.Has("Bcc"))
	}
	subj, _ := h.Subject()
	if subj != out.Subject || msgs[0].Subject != out.Subject {
		t.Errorf("subject %q / %q, want %q", subj, msgs[0].Subject, out.Subject)
	}
	if id, _ := h.MessageID(); id != outmail.MessageID(key, "ietf.example") {
		t.Errorf("Message-ID %q", id)
	}
	parts := 0
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		if !bytes.Contains(b, []byte("Réponse sur la synchronisation")) {
			t.Errorf("part %d lacks the title: %s", parts, b)
		}
		parts++
	}
	if parts != 2 {
		t.Errorf("%d parts, want text and HTML", parts)
	}
}
