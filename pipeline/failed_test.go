package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/internal/samplemail"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

func TestProcessEachKeepsTheBadMessageAndRecordsTheOthers(t *testing.T) {
	for _, fault := range []string{"error", "panic"} {
		t.Run(fault, func(t *testing.T) {
			p, db := poisonPipeline(t, t.TempDir())
			ins := []Input{
				{Raw: samplemail.Statement(1, 2000, false), Origin: "file:1.eml"},
				{Raw: withHeader(samplemail.Statement(2, 2000, false), faultHeader+": "+fault), Origin: "file:2.eml"},
				{Raw: samplemail.Statement(3, 2000, false), Origin: "file:3.eml"},
			}
			res, errs := p.ProcessEach(ins, false)
			for i, err := range errs {
				if err != nil {
					t.Fatalf("message %d: %v", i, err)
				}
			}
			if !strings.HasPrefix(res[0].ID, "LS-") || !strings.HasPrefix(res[2].ID, "LS-") {
				t.Errorf("good messages recorded as %s and %s", res[0].ID, res[2].ID)
			}
			bad := res[1]
			if !strings.HasPrefix(bad.ID, "MSG-") || bad.Understood || !strings.Contains(strings.Join(bad.Flags, ","), "failed") {
				t.Fatalf("bad message result = %+v", bad)
			}
			_ = db.View(func(tx *store.Tx) error {
				r, err := tx.Record(bad.ID)
				if err != nil {
					t.Fatal(err)
				}
				raw, err := tx.Raw(r.RawKey)
				if err != nil || string(raw) != string(ins[1].Raw) {
					t.Errorf("raw bytes not kept: %v", err)
				}
				want := map[string]string{"error": "injected failure", "panic": "panic while recording"}[fault]
				if r.State != liaison.StateFailed || !strings.Contains(problemDetails(r), want) || r.Origin != "file:2.eml" {
					t.Errorf("failed record = %s %s %q (origin %s)", r.ID, r.State, problemDetails(r), r.Origin)
				}
				if !strings.Contains(r.Extraction.Subject, "item 2") {
					t.Errorf("subject for display = %q", r.Extraction.Subject)
				}
				if r.Extraction.MessageID != "" {
					t.Errorf("a failed record indexes its Message-ID %q: a later copy would be its duplicate", r.Extraction.MessageID)
				}
				return nil
			})
		})
	}
}

func TestProcessEachDryRunKeepsNothing(t *testing.T) {
	p, db := poisonPipeline(t, t.TempDir())
	ins := []Input{
		{Raw: samplemail.Statement(1, 2000, false), Origin: "file:1.eml"},
		{Raw: withHeader(samplemail.Statement(2, 2000, false), faultHeader+": error"), Origin: "file:2.eml"},
	}
	res, errs := p.ProcessEach(ins, true)
	if errs[0] != nil || errs[1] == nil || !strings.HasPrefix(res[0].ID, "LS-") {
		t.Fatalf("dry run: results %+v, errors %v", res, errs)
	}
	_ = db.View(func(tx *store.Tx) error {
		if n := tx.CountRecords(); n != 0 {
			t.Errorf("dry run recorded %d records", n)
		}
		return nil
	})
}

func TestPeekHeaderIsBounded(t *testing.T) {
	raw := []byte("Subject: " + strings.Repeat("x", 1<<20) + "\r\nFrom: a@b\r\n\r\nbody")
	x := peekHeader(raw)
	if len(x.Subject) > 200 {
		t.Errorf("subject of %d bytes kept", len(x.Subject))
	}
	x = peekHeader([]byte(fmt.Sprintf("From: %s\r\nSubject: hello\r\n\r\n", "Mallory <m@x.example>")))
	if x.Subject != "hello" || x.From.Name != "Mallory <m@x.example>" || x.From.Email != "" {
		t.Errorf("peek = %+v", x)
	}
}
