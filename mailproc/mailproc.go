// Package mailproc turns one raw RFC 5322 message into a liaison.Extraction:
// it walks the MIME tree (any charset, quoted-printable, base64, RFC 2047 and
// RFC 2231 names, HTML-only mail, nested and forwarded messages, .docx cover
// sheets), classifies the message (statement, reply, autoreply, bounce,
// other), and extracts the fields of a liaison statement from the four shapes
// statements arrive in: tracker notices, ITU-T cover sheets, 3GPP sheets and
// free prose.
//
// Parse is a pure function of the message bytes. It never fails and never
// panics: whatever went wrong is a liaison.Problem and best-effort fields are
// kept, so that no message is ever lost.
//
// Addresses are read with the one strict parser, mailproc/mailaddr: an
// address is an addr-spec, never display-name text. Mail a liaisond sent
// is recognised even after relays stripped its headers, while a person's
// reply to it stays a reply; the rules are in own.go (Options.Marker).
package mailproc

import (
	"bytes"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/dates"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
)

// LoopHeaderName is the loop-detection header liaisond puts on its own mail.
const LoopHeaderName = "X-Liaisond-Loop"

// Options tune Parse. The zero value works.
type Options struct {
	LiaisonAddresses []string // the liaison address(es) peers write to (any case)
	OwnAddresses     []string // the daemon's own From addresses (mail from these is OwnMail)
	LoopHeader       string   // loop-detection header the daemon puts on its own mail; default LoopHeaderName
	OwnListIDs       []string // List-Id values (without brackets) of the daemon's own mail
	// Marker verifies the marks on the daemon's own mail (Message-IDs and
	// body mark lines, see own.go); nil checks with the public key.
	Marker *outmail.Marker
	// PDFText, when set, returns the text of an attached PDF (its first
	// pages) so a cover sheet only in a PDF is read. Nil leaves PDFs
	// unread. The daemon passes a sandboxed reader with one time budget per
	// message (mailproc/pdftext.Budget): once it returns
	// pdftext.ErrBudgetSpent, the PDFs left are skipped with one problem.
	PDFText func(pdf []byte) (string, error)
}

// internalError begins the problem Parse records when it recovered from a
// panic: a bug, which tests look for.
const internalError = "internal error while parsing"

// Parse reads one raw RFC 5322 message and returns everything it learned. It
// never fails and never panics: whatever went wrong is listed in
// Extraction.Problems and best-effort fields are kept.
func Parse(raw []byte, opt Options) (x *liaison.Extraction) {
	x = &liaison.Extraction{Kind: liaison.KindOther, Sources: map[string]liaison.Source{}}
	defer func() {
		if r := recover(); r != nil {
			// A bug, not bad input: keep the message and say so.
			slog.Error("mailproc: panic while parsing", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			x.Problems = append(x.Problems, liaison.Problem{Code: "mime", Detail: fmt.Sprintf("%s: %v", internalError, r)})
			if x.Kind == "" {
				x.Kind = liaison.KindOther
			}
		}
	}()
	w := &walker{pdfText: opt.PDFText}
	if len(bytes.TrimSpace(raw)) == 0 {
		w.problem("empty-body", "message is empty")
		x.Problems = w.problems
		w.problem("no-message-id", "no Message-ID header")
		w.problem("no-date", "no Date header")
		x.Problems = w.problems
		return x
	}
	checkRawHeader(raw, w)
	top := w.readMessage(bytes.NewReader(raw), "", 0)
	headerFacts(x, top, w)
	analyse(x, top, opt, w)
	ownMail(x, top, opt)
	x.Problems = append(x.Problems, w.problems...)
	if len(x.Sources) == 0 {
		x.Sources = nil
	}
	return x
}

// ParseDate parses a date as people write it in liaison statements
// ("2027-03-15", "15 March 2027", "March 15, 2027", "15/03/2027",
// "mid-May 2027", "4-8 May 2027", ...; see package dates). ok is false when
// none is found.
func ParseDate(s string) (d liaison.Date, ok bool) { return dates.Parse(s) }

// checkRawHeader flags raw 8-bit bytes in the top header block.
func checkRawHeader(raw []byte, w *walker) {
	end := bytes.Index(raw, []byte("\n\n"))
	if e2 := bytes.Index(raw, []byte("\r\n\r\n")); e2 >= 0 && (end < 0 || e2 < end) {
		end = e2
	}
	if end < 0 {
		end = len(raw)
	}
	if end > maxHeader {
		end = maxHeader
	}
	for _, c := range raw[:end] {
		if c >= 0x80 {
			w.problem("header", "raw 8-bit bytes in the message header (not RFC 2047 encoded); read as UTF-8 or Windows-1252")
			return
		}
	}
}
