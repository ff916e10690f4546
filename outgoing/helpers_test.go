package outgoing

import (
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/routing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// now is the tests' clock: 1 March 2027, 10:00 in Paris.
var now = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(filepath.Join("testdata", "liaisond.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// incoming records a statement of the shared corpus as the pipeline would:
// parsed by mailproc, routed by routing.
func incoming(t *testing.T, cfg *config.Config, corpusFile, id string) *liaison.Record {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", corpusFile))
	if err != nil {
		t.Fatal(err)
	}
	x := mailproc.Parse(raw, mailproc.Options{LiaisonAddresses: []string{cfg.LiaisonAddress}})
	if x.Kind != liaison.KindStatement {
		t.Fatalf("%s: parsed as %s, want a statement", corpusFile, x.Kind)
	}
	r, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &liaison.Record{ID: id, Received: x.Date, Extraction: *x, Routing: r.Route(x, routing.Context{}), State: liaison.StateOpen}
}

// itemReq is a complete request to ITU-T SG15 from CCAMP.
func ituReq() Request {
	return Request{
		Org: "itu-t-sg15", FromGroups: []string{"ccamp"}, Purpose: liaison.PurposeAction,
		Deadline: liaison.Date{Year: 2027, Month: time.June, Day: 30},
		Title:    "LS on OTN slicing YANG models", Body: "CCAMP has adopted draft-ietf-ccamp-otn-slice-yang.\nPlease review section 4.",
		Addressees: []string{"Q12/15", "Q14/15"},
		Contacts:   []liaison.Contact{{Name: "Daniele Ceccarelli", Email: "ccamp-chair@example.org"}},
	}
}

func draft(t *testing.T, cfg *config.Config, req Request, answered *liaison.Record) *liaison.Record {
	t.Helper()
	rec, err := NewDraft(cfg, "LS-2027-0012", req, answered, now)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// base64Lines encodes b as MIME base64, 76 columns a line.
func base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}
