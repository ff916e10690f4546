// Package pdftext reads the text of the first pages of a PDF attachment, so
// a liaison statement whose cover sheet is only in an attached PDF can be
// understood. Text rows become lines, cells separated by spaces, so a
// cover-sheet table reads as "Source: ITU-T Study Group 15".
//
// PDF readers are fragile on hostile input (the library used here can loop
// forever on a page tree that points back at itself), so the daemon never
// calls Text in its own process: Sandbox runs it in a child process
// (`liaisond pdftext`, which calls Serve) with a timeout and a memory limit,
// and a Budget bounds the time all the PDFs of one message may take.
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// Limits bound the work on one PDF.
type Limits struct {
	// MaxPages is how many pages are read (default 3: cover sheets are on
	// the first).
	MaxPages int
	// MaxText caps the text returned (default 256 KB).
	MaxText int
}

// ErrNoText is returned for a PDF whose first pages carry no extractable
// text (a scan, or fonts without a text mapping).
var ErrNoText = errors.New("no extractable text")

// Text returns the text of the first pages of the PDF in b. It turns
// panics into errors but cannot stop the library from looping: run it in a
// sandbox (see Sandbox).
func Text(b []byte, lim Limits) (text string, err error) {
	if lim.MaxPages <= 0 {
		lim.MaxPages = 3
	}
	if lim.MaxText <= 0 {
		lim.MaxText = 256 << 10
	}
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("unreadable PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("unreadable PDF: %w", err)
	}
	var out strings.Builder
	for i := 1; i <= r.NumPage() && i <= lim.MaxPages && out.Len() < lim.MaxText; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, line := range rows(p.Content().Text) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	s := out.String()
	if len(s) > lim.MaxText {
		s = s[:lim.MaxText]
	}
	if strings.TrimSpace(s) == "" {
		return "", ErrNoText
	}
	return strings.ToValidUTF8(s, "\uFFFD"), nil
}

// rows groups positioned text into lines, top to bottom: pieces whose
// baselines are within a third of the font size share a line. A line that
// starts well right of the page's left margin (the second line of a value
// in a table's value column) is indented, so that it reads as the
// continuation of the value above it and not as a new paragraph.
func rows(texts []pdf.Text) []string {
	sort.SliceStable(texts, func(a, b int) bool { return texts[a].Y > texts[b].Y })
	margin := 0.0
	for i, t := range texts {
		if i == 0 || t.X < margin {
			margin = t.X
		}
	}
	var out []string
	for i := 0; i < len(texts); {
		j := i + 1
		tol := max(texts[i].FontSize/3, 1)
		for j < len(texts) && texts[i].Y-texts[j].Y <= tol {
			j++
		}
		row := append([]pdf.Text(nil), texts[i:j]...)
		line := joinRow(row)
		if left := row[0].X; left > margin+3*max(row[0].FontSize, 1) {
			line = "    " + line
		}
		out = append(out, line)
		i = j
	}
	return out
}

// joinRow joins the pieces of one line left to right, putting a space where
// there is a visible gap (a word break or a table column).
func joinRow(texts []pdf.Text) string {
	sort.SliceStable(texts, func(a, b int) bool { return texts[a].X < texts[b].X })
	var b strings.Builder
	end := 0.0
	for i, t := range texts {
		if i > 0 && t.X-end > t.FontSize*0.15 && !strings.HasSuffix(b.String(), " ") && !strings.HasPrefix(t.S, " ") {
			b.WriteByte(' ')
		}
		b.WriteString(t.S)
		w := t.W
		if w <= 0 {
			// No width in the font: estimate half an em per character.
			w = float64(len([]rune(t.S))) * t.FontSize * 0.5
		}
		end = t.X + w
	}
	return b.String()
}

// MaxInput is the largest PDF Serve reads.
const MaxInput = 16 << 20

// Serve is the child process's side of the sandbox: it reads a PDF from r
// and writes its text to w, under a soft memory limit.
func Serve(r io.Reader, w io.Writer) error {
	debug.SetMemoryLimit(256 << 20)
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return err
	}
	if len(b) > MaxInput {
		return fmt.Errorf("PDF larger than %d bytes", MaxInput)
	}
	text, err := Text(b, Limits{})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, text)
	return err
}

// Sandbox reads PDFs in child processes: the command Name Args... (a
// program that calls Serve, such as `liaisond pdftext`) with the PDF on its
// standard input. The child runs in its own process group, which is killed
// as a whole when the reading is given up, and on Linux it dies with the
// daemon (a parent-death signal), so a daemon killed with SIGKILL leaves
// no reader spinning behind it.
type Sandbox struct {
	Name string
	Args []string
}

// Read reads one PDF in a fresh child, killed when ctx ends.
func (s Sandbox) Read(ctx context.Context, b []byte) (string, error) {
	cmd := exec.CommandContext(ctx, s.Name, s.Args...)
	cmd.Stdin = bytes.NewReader(b)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = childAttr()
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	// Stop waiting for the pipes soon after the kill, even if something
	// the child started still holds them.
	cmd.WaitDelay = time.Second
	var limit time.Duration // for the message only; no decision depends on it
	if dl, ok := ctx.Deadline(); ok {
		limit = time.Until(dl).Round(100 * time.Millisecond)
	}
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("PDF reader gave up after %s", limit)
	case err != nil:
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", errors.New(firstLine(msg))
	}
	return out.String(), nil
}

// ErrBudgetSpent is returned, without reading, for a PDF met after the
// message's time budget for PDFs was spent.
var ErrBudgetSpent = errors.New("not read: the time budget for this message's PDFs is spent")

// Budget shares one time budget among the PDFs of one message, so that a
// message full of hostile PDFs costs at most Total, however many it
// carries, and the messages behind it wait no longer than that. Make one
// per message; it is not safe for concurrent use.
type Budget struct {
	// Read reads one PDF, giving up when ctx ends (Sandbox.Read).
	Read func(ctx context.Context, pdf []byte) (string, error)
	// PerDocument bounds one PDF; Total bounds them all together.
	PerDocument, Total time.Duration
	// Now is the clock the time spent is measured with; nil means
	// time.Now (the budget bounds real time: it is spent by processes).
	Now func() time.Time

	spent time.Duration
}

// Text reads one PDF with what is left of the budget (at most
// PerDocument); once the budget is spent it returns ErrBudgetSpent at once.
func (b *Budget) Text(pdf []byte) (string, error) {
	left := b.Total - b.spent
	if left <= 0 {
		return "", ErrBudgetSpent
	}
	now := b.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithTimeout(context.Background(), min(left, b.PerDocument))
	defer cancel()
	start := now()
	text, err := b.Read(ctx, pdf)
	b.spent += now().Sub(start)
	return text, err
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// Line is one piece of text at a position on a page, for Minimal.
type Line = struct {
	X, Y float64
	S    string
}

// Minimal builds a small valid one-page PDF showing lines in Helvetica (for
// tests and fixtures).
func Minimal(lines []Line) []byte { return minimal(lines, "") }

func minimal(lines []Line, kids string) []byte {
	var content strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&content, "BT /F1 11 Tf %.0f %.0f Td (%s) Tj ET\n", l.X, l.Y, l.S)
	}
	if kids == "" {
		kids = "[3 0 R]"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids " + kids + " /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
