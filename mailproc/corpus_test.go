package mailproc_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// corpusDir holds the golden extraction corpus: NN-name.eml with the
// expected extraction in NN-name.json (format: testdata/corpus/README.md).
const corpusDir = "../testdata/corpus"

// minCorpus is the smallest corpus the project accepts.
const minCorpus = 90

// corpusOptions are the options every corpus message is parsed with: PDF
// cover sheets are read in process (the daemon's sandbox has its own
// tests in pdftext).
var corpusOptions = mailproc.Options{
	LiaisonAddresses: []string{"statements@ietf.example"},
	PDFText:          func(b []byte) (string, error) { return pdftext.Text(b, pdftext.Limits{}) },
}

type goldenAttachment struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// golden is the expected extraction. Pointer fields distinguish "not
// listed" (nil: not checked) from "listed as empty".
type golden struct {
	Kind                 *string             `json:"kind"`
	Shape                *string             `json:"shape"`
	Direction            *string             `json:"direction"`
	MessageID            *string             `json:"message_id"`
	Title                *string             `json:"title"`
	Purpose              *string             `json:"purpose"`
	Deadline             *string             `json:"deadline"`
	FromOrgText          *string             `json:"from_org_text"`
	FromGroup            *string             `json:"from_group"`
	ToTextContains       []string            `json:"to_text_contains"`
	CcTextContains       []string            `json:"cc_text_contains"`
	URL                  *string             `json:"url"`
	OriginalFrom         *string             `json:"original_from"`
	OriginalDate         *string             `json:"original_date"`
	ResponseContacts     *[]string           `json:"response_contacts"`
	TechnicalContacts    *[]string           `json:"technical_contacts"`
	InResponseToContains *string             `json:"in_response_to_contains"`
	OtherIDs             []string            `json:"other_ids"`
	Attachments          *[]goldenAttachment `json:"attachments"`
	Problems             []string            `json:"problems"`
	NoProblems           bool                `json:"no_problems"`
	BodyContains         []string            `json:"body_contains"`
	SameContentAs        string              `json:"same_content_as"`
	OwnMail              *bool               `json:"own_mail"`
	Sources              map[string]string   `json:"sources"`
	// Routing is for the routing tests; this test only checks that it is
	// well-formed.
	Routing *struct {
		FromOrg       string    `json:"from_org"`
		GroupsInclude []string  `json:"groups_include"`
		Groups        *[]string `json:"groups"`
	} `json:"routing"`
}

type corpusCase struct {
	name string // file name without extension
	raw  []byte
	want golden
}

// loadCorpus reads every .eml and its .json, failing on orphans, unknown
// JSON keys and a corpus that is too small.
func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	emls, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	jsons, err := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(emls) < minCorpus {
		t.Fatalf("corpus has %d messages, want at least %d", len(emls), minCorpus)
	}
	have := map[string]bool{}
	var cases []corpusCase
	for _, eml := range emls {
		name := strings.TrimSuffix(filepath.Base(eml), ".eml")
		have[name] = true
		raw, err := os.ReadFile(eml)
		if err != nil {
			t.Fatal(err)
		}
		js, err := os.ReadFile(filepath.Join(corpusDir, name+".json"))
		if err != nil {
			t.Errorf("%s.eml has no golden file: %v", name, err)
			continue
		}
		var g golden
		if err := decodeStrict(js, &g); err != nil {
			t.Errorf("%s.json: %v", name, err)
			continue
		}
		cases = append(cases, corpusCase{name: name, raw: raw, want: g})
	}
	for _, js := range jsons {
		name := strings.TrimSuffix(filepath.Base(js), ".json")
		if !have[name] {
			t.Errorf("%s.json has no %s.eml", name, name)
		}
	}
	for _, c := range cases {
		if c.want.SameContentAs != "" && !have[c.want.SameContentAs] {
			t.Errorf("%s.json: same_content_as names %q, which is not in the corpus", c.name, c.want.SameContentAs)
		}
		if c.want.Deadline != nil && *c.want.Deadline != "" {
			if _, err := liaison.ParseISODate(*c.want.Deadline); err != nil {
				t.Errorf("%s.json: deadline: %v", c.name, err)
			}
		}
	}
	return cases
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	got := map[string]*liaison.Extraction{}
	parse := func(name string, raw []byte) *liaison.Extraction {
		if ex, ok := got[name]; ok {
			return ex
		}
		ex := mailproc.Parse(raw, corpusOptions)
		got[name] = ex
		return ex
	}
	raws := map[string][]byte{}
	for _, c := range cases {
		raws[c.name] = c.raw
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := parse(c.name, c.raw)
			if ex == nil {
				t.Fatalf("%s: Parse returned nil", c.name)
			}
			checkGolden(t, c.name, c.want, ex)
			if c.want.SameContentAs != "" {
				other := parse(c.want.SameContentAs, raws[c.want.SameContentAs])
				switch {
				case other == nil:
					t.Errorf("%s: same_content_as: Parse(%s) returned nil", c.name, c.want.SameContentAs)
				case ex.ContentHash == "":
					t.Errorf("%s: same_content_as: content hash is empty", c.name)
				case ex.ContentHash != other.ContentHash:
					t.Errorf("%s: same_content_as %s: content hash %q, want %q (the original's)", c.name, c.want.SameContentAs, ex.ContentHash, other.ContentHash)
				}
			}
		})
	}
}

// norm trims and collapses runs of white space.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func trimID(s string) string { return strings.Trim(strings.TrimSpace(s), "<>") }

func checkGolden(t *testing.T, file string, w golden, ex *liaison.Extraction) {
	t.Helper()
	str := func(field string, want *string, got string) {
		if want != nil && norm(*want) != norm(got) {
			t.Errorf("%s: %s: want %q, got %q", file, field, *want, got)
		}
	}
	str("kind", w.Kind, string(ex.Kind))
	str("shape", w.Shape, string(ex.Shape))
	str("direction", w.Direction, string(ex.Direction))
	if w.MessageID != nil && trimID(*w.MessageID) != trimID(ex.MessageID) {
		t.Errorf("%s: message_id: want %q, got %q", file, *w.MessageID, ex.MessageID)
	}
	str("title", w.Title, ex.Title)
	str("purpose", w.Purpose, string(ex.Purpose))
	str("deadline", w.Deadline, ex.Deadline.String())
	str("from_org_text", w.FromOrgText, ex.FromOrgText)
	str("from_group", w.FromGroup, ex.FromGroup)

	entries := func(field string, want, got []string) {
		for _, sub := range want {
			if !slices.ContainsFunc(got, func(e string) bool {
				return strings.Contains(strings.ToLower(norm(e)), strings.ToLower(norm(sub)))
			}) {
				t.Errorf("%s: %s: want an entry containing %q, got %q", file, field, sub, got)
			}
		}
	}
	entries("to_text_contains", w.ToTextContains, ex.ToText)
	entries("cc_text_contains", w.CcTextContains, ex.CcText)
	str("url", w.URL, ex.URL)
	str("original_from", w.OriginalFrom, ex.OriginalFrom.Email)
	if w.OriginalDate != nil {
		got := ""
		if !ex.OriginalDate.IsZero() {
			got = ex.OriginalDate.Format("2006-01-02")
		}
		str("original_date", w.OriginalDate, got)
	}
	contacts := func(field string, want *[]string, got []liaison.Contact) {
		if want == nil {
			return
		}
		var g, wl []string
		for _, c := range got {
			g = append(g, strings.ToLower(strings.TrimSpace(c.Email)))
		}
		for _, e := range *want {
			wl = append(wl, strings.ToLower(strings.TrimSpace(e)))
		}
		sort.Strings(g)
		sort.Strings(wl)
		if strings.Join(g, ",") != strings.Join(wl, ",") {
			t.Errorf("%s: %s: want emails %q, got %q (from %v)", file, field, wl, g, got)
		}
	}
	contacts("response_contacts", w.ResponseContacts, ex.ResponseContacts)
	contacts("technical_contacts", w.TechnicalContacts, ex.TechnicalContacts)
	if w.InResponseToContains != nil {
		sub := strings.ToLower(norm(*w.InResponseToContains))
		if sub == "" && ex.InResponseTo != "" || !strings.Contains(strings.ToLower(norm(ex.InResponseTo)), sub) {
			t.Errorf("%s: in_response_to_contains: want %q in %q", file, *w.InResponseToContains, ex.InResponseTo)
		}
	}
	for _, id := range w.OtherIDs {
		found := false
		for _, o := range ex.OtherIDs {
			if strings.EqualFold(strings.TrimSpace(o), id) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: other_ids: want %q among %q", file, id, ex.OtherIDs)
		}
	}
	if w.Attachments != nil {
		checkAttachments(t, file, *w.Attachments, ex.Attachments)
	}
	codes := map[string]bool{}
	for _, p := range ex.Problems {
		codes[p.Code] = true
	}
	for _, code := range w.Problems {
		if !codes[code] {
			t.Errorf("%s: problems: want code %q, got %v", file, code, ex.Problems)
		}
	}
	if w.NoProblems && len(ex.Problems) > 0 {
		t.Errorf("%s: no_problems: want none, got %v", file, ex.Problems)
	}
	body := norm(ex.Body)
	for _, sub := range w.BodyContains {
		if !strings.Contains(body, norm(sub)) {
			t.Errorf("%s: body_contains: want %q in body %q", file, sub, clip(ex.Body, 400))
		}
	}
	if w.OwnMail != nil && *w.OwnMail != ex.OwnMail {
		t.Errorf("%s: own_mail: want %v, got %v", file, *w.OwnMail, ex.OwnMail)
	}
	for field, where := range w.Sources {
		got, ok := ex.Sources[field]
		if !ok {
			t.Errorf("%s: sources[%s]: want where %q, got no source", file, field, where)
		} else if got.Where != where {
			t.Errorf("%s: sources[%s]: want where %q, got %q", file, field, where, got)
		}
	}
}

func checkAttachments(t *testing.T, file string, want []goldenAttachment, got []liaison.Attachment) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: attachments: want %d, got %d: %+v", file, len(want), len(got), got)
	}
	for _, wa := range want {
		var g *liaison.Attachment
		for i := range got {
			if got[i].Name == wa.Name {
				g = &got[i]
				break
			}
		}
		if g == nil {
			t.Errorf("%s: attachments: want %q, not found in %+v", file, wa.Name, got)
			continue
		}
		if !strings.EqualFold(mediaType(g.ContentType), wa.Type) {
			t.Errorf("%s: attachment %q: type: want %q, got %q", file, wa.Name, wa.Type, g.ContentType)
		}
		if g.Size != wa.Size {
			t.Errorf("%s: attachment %q: size: want %d, got %d", file, wa.Name, wa.Size, g.Size)
		}
		if !strings.EqualFold(g.SHA256, wa.SHA256) {
			t.Errorf("%s: attachment %q: sha256: want %s, got %s", file, wa.Name, wa.SHA256, g.SHA256)
		}
	}
}

// mediaType drops parameters from a Content-Type value.
func mediaType(ct string) string {
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// TestCorpusGoldenAttachments checks the golden attachment lists against
// the .eml bytes with the standard library alone, so that a wrong size or
// digest in a golden file is caught independently of the extractor.
func TestCorpusGoldenAttachments(t *testing.T) {
	for _, c := range loadCorpus(t) {
		if c.want.Attachments == nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			msg, err := mail.ReadMessage(bytes.NewReader(c.raw))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []liaison.Attachment
			walkParts(t, c.name, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, &got)
			checkAttachments(t, c.name+" (stdlib)", *c.want.Attachments, got)
		})
	}
}

// walkParts collects the named parts of a well-formed message.
func walkParts(t *testing.T, file, ctype, cte, disp string, body io.Reader, out *[]liaison.Attachment) {
	t.Helper()
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				if err != io.EOF {
					t.Errorf("%s: reading parts: %v", file, err)
				}
				return
			}
			walkParts(t, file, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, out)
		}
	}
	name := params["name"]
	if _, dp, err := mime.ParseMediaType(disp); err == nil && dp["filename"] != "" {
		name = dp["filename"]
	}
	if name == "" {
		return
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &newlineStripper{r: body})
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Errorf("%s: decoding %q: %v", file, name, err)
		return
	}
	sum := sha256.Sum256(data)
	*out = append(*out, liaison.Attachment{Name: name, ContentType: mt, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
}

// newlineStripper drops CR and LF so base64 lines decode as one stream.
type newlineStripper struct{ r io.Reader }

func (n *newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, b := range p[:k] {
			if b != '\r' && b != '\n' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// TestCorpusHugeAttachment builds, in memory, an ITU-T statement whose
// cover sheet is in the body and which carries a 30 MiB attachment (too big
// to commit), and checks that Parse reports the attachment's real size and
// digest and still extracts the statement.
func TestCorpusHugeAttachment(t *testing.T) {
	const size = 30 << 20
	// Incompressible, reproducible content: a SHA-256 counter stream.
	payload := make([]byte, 0, size+sha256.Size)
	for i := 0; len(payload) < size; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("liaisond huge attachment block %d", i)))
		payload = append(payload, sum[:]...)
	}
	payload = payload[:size]
	digest := sha256.Sum256(payload)
	wantSHA := hex.EncodeToString(digest[:])

	var b bytes.Buffer
	b.WriteString("Return-Path: <tsbsg13@itu.int>\r\n" +
		"From: TSB SG13 <tsbsg13@itu.int>\r\n" +
		"To: statements@ietf.example\r\n" +
		"Cc: pce@ietf.example\r\n" +
		"Subject: LS from ITU-T SG13 on IMT-2030 transport test results [SG13-LS97]\r\n" +
		"Date: Tue, 6 Apr 2027 10:00:00 +0000\r\n" +
		"Message-ID: <huge-attachment-sg13-ls97@itu.int>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"huge-boundary-97\"\r\n\r\n" +
		"--huge-boundary-97\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"INTERNATIONAL TELECOMMUNICATION UNION\r\n" +
		"TELECOMMUNICATION STANDARDIZATION SECTOR\r\n" +
		"STUDY PERIOD 2025-2028\r\n\r\n" +
		"SG13-LS97\r\n\r\n" +
		"LIAISON STATEMENT\r\n\r\n" +
		"Source:         ITU-T Study Group 13\r\n" +
		"Title:          LS on IMT-2030 transport test results\r\n" +
		"For action to:  IETF PCE WG\r\n" +
		"Approval:       Agreed at ITU-T SG13 meeting (Geneva, 15-26 March 2027)\r\n" +
		"Deadline:       30 June 2027\r\n" +
		"Contact:        Li Wei, Rapporteur Q6/13, E-mail: li.wei@example.com\r\n\r\n" +
		"ITU-T SG13 asks IETF PCE to review the attached measurement data set.\r\n" +
		"--huge-boundary-97\r\n" +
		"Content-Type: application/zip; name=\"SG13-LS97-testdata.zip\"\r\n" +
		"Content-Disposition: attachment; filename=\"SG13-LS97-testdata.zip\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(payload)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--huge-boundary-97--\r\n")

	ex := mailproc.Parse(b.Bytes(), corpusOptions)
	if ex == nil {
		t.Fatal("Parse returned nil")
	}
	tests := []struct {
		field, want, got string
	}{
		{"kind", "statement", string(ex.Kind)},
		{"title", "LS on IMT-2030 transport test results", norm(ex.Title)},
		{"purpose", "action", string(ex.Purpose)},
		{"deadline", "2027-06-30", ex.Deadline.String()},
		{"from_org_text", "ITU-T Study Group 13", norm(ex.FromOrgText)},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("huge attachment: %s: want %q, got %q", tc.field, tc.want, tc.got)
		}
	}
	checkAttachments(t, "huge attachment", []goldenAttachment{{
		Name: "SG13-LS97-testdata.zip", Type: "application/zip", Size: size, SHA256: wantSHA,
	}}, ex.Attachments)
}

// decodeStrict decodes a JSON expectation, refusing keys it does not know
// (a misspelt key would otherwise go unscored).
func decodeStrict(js []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
