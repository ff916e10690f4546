package hostile

import (
	"bytes"
	"regexp"
	"testing"
)

func TestEveryKindIsDistinctAndSaysWhatItIs(t *testing.T) {
	msgs := All(7, Quick)
	mids := map[string]bool{}
	midRe := regexp.MustCompile(`(?m)^Message-ID: <([^>]*)>`)
	for _, m := range msgs {
		if !bytes.Contains(m.Raw, []byte("hostile "+m.Kind+" ")) {
			t.Errorf("%s: the subject does not name the kind", m.Kind)
		}
		id := midRe.FindSubmatch(m.Raw)
		if id == nil || mids[string(id[1])] {
			t.Errorf("%s: Message-ID missing or repeated", m.Kind)
			continue
		}
		mids[string(id[1])] = true
	}
	if len(msgs) != 12 {
		t.Errorf("%d kinds, want 12", len(msgs))
	}
}

func TestQuickSizesStayAboveTheParsersLimits(t *testing.T) {
	// mailproc's limits: a 1 MiB header block, 12 levels, 500 parts; the
	// .docx reader's: 20 MiB of document.xml; bbolt's: 32 KiB keys.
	if n := len(EnormousHeader(1, Quick.Header)); n <= 1<<20 {
		t.Errorf("enormous header of %d bytes", n)
	}
	if Quick.Depth <= 12 || Quick.Parts <= 500 || Quick.Bomb <= 20<<20 {
		t.Errorf("quick sizes %+v under a limit", Quick)
	}
	if id := len(GiantMessageID(1, 40000)); id <= 32<<10 {
		t.Errorf("giant Message-ID message of %d bytes", id)
	}
}

func TestLoopingPDFPointsBackAtItsPageTree(t *testing.T) {
	pdf := LoopingPDF(3)
	if !bytes.Contains(pdf, []byte("/Kids [2 0 R]")) || !bytes.Contains(pdf, []byte("(Annex 3)")) {
		t.Fatalf("not a looping PDF:\n%s", pdf)
	}
}
