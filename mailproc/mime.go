package mailproc

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/docx"
	"github.com/ietf-tools/liaisond/mailproc/pdftext"
)

// Size caps. They bound memory on hostile input; hitting one is a Problem
// ("truncated" or "docx"), never a failure.
const (
	maxTextBytes = 1 << 20  // kept text of one text part
	maxDocxBytes = 25 << 20 // decoded .docx buffered to read word/document.xml
	maxZipBytes  = 8 << 20  // decoded .zip buffered to read the .docx inside (a 3GPP tdoc archive)
	maxDepth     = 12       // MIME / message nesting
	maxParts     = 500      // parts in one message
	maxHeader    = 1 << 20  // header block of one entity
)

// docText is the text read from one attached document.
type docText struct {
	name string
	text string
	kind string // "pdf" for a PDF; "" is a .docx
}

// where is the document's kind as a field source.
func (d docText) where() string {
	if d.kind == "" {
		return "docx"
	}
	return d.kind
}

// node is one message (the top one or a message/rfc822 part) after walking
// its MIME tree.
type node struct {
	hdr    textproto.Header
	path   string // MIME part path of the message/rfc822 part ("" for the top)
	plain  []string
	html   []string
	atts   []liaison.Attachment
	docx   []docText
	inner  []*node
	report bool // multipart/report or message/delivery-status seen

	// text and textWhere cache bodyText.
	text, textWhere string
	textDone        bool
}

// walker carries the state shared across one Parse.
type walker struct {
	problems []liaison.Problem
	parts    int
	buf      []byte // copy buffer shared by the parts (see copyBuf)
	// pdfText reads a PDF's text (Options.PDFText); nil leaves PDFs unread.
	pdfText func([]byte) (string, error)
	// pdfSkipped is set once a PDF went unread for want of time.
	pdfSkipped bool
}

// copyBuf is the buffer the parts are copied through, allocated once per
// message.
func (w *walker) copyBuf() []byte {
	if w.buf == nil {
		w.buf = make([]byte, 32<<10)
	}
	return w.buf
}

func (w *walker) problem(code, format string, args ...any) {
	detail := fmt.Sprintf(format, args...)
	for _, p := range w.problems {
		if p.Code == code && p.Detail == detail {
			return
		}
	}
	w.problems = append(w.problems, liaison.Problem{Code: code, Detail: detail})
}

// readMessage reads one message (header and body) from r.
func (w *walker) readMessage(r io.Reader, partPath string, depth int) *node {
	br := bufio.NewReader(io.LimitReader(r, 1<<40))
	n := &node{path: partPath}
	hdr, err := textproto.ReadHeader(br)
	if err != nil {
		w.problem("header", "message %s: cannot read header: %v", partName(partPath), err)
		// Keep whatever body there is as text: nothing is lost.
		n.hdr = hdr
		w.walkEntity(n, textproto.Header{}, br, join(partPath, "1"), depth+1, true)
		return n
	}
	n.hdr = hdr
	bodyPath := partPath
	if !isMultipart(hdr) {
		bodyPath = join(partPath, "1")
	}
	w.walkEntity(n, hdr, br, bodyPath, depth+1, true)
	return n
}

func isMultipart(h textproto.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return strings.HasPrefix(mt, "multipart/")
}

func join(p, q string) string {
	if p == "" {
		return q
	}
	return p + "." + q
}

func partName(p string) string {
	if p == "" {
		return "top"
	}
	return "part " + p
}

// walkEntity handles one MIME entity whose header is h and whose raw
// (still transfer-encoded) body is body.
func (w *walker) walkEntity(n *node, h textproto.Header, body io.Reader, partPath string, depth int, top bool) {
	w.parts++
	if w.parts > maxParts {
		w.problem("truncated", "more than %d MIME parts; the rest is ignored", maxParts)
		return
	}
	if depth > maxDepth {
		w.problem("mime", "%s: MIME nesting deeper than %d; ignored", partName(partPath), maxDepth)
		return
	}
	ctRaw := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ctRaw)
	if ctRaw == "" {
		mt, params = "text/plain", map[string]string{}
	} else if err != nil {
		// mime.ParseMediaType returns the media type even when a
		// parameter is broken.
		if mt == "" {
			mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ctRaw, ";", 2)[0]))
		}
		if params == nil {
			params = map[string]string{}
		}
		if !strings.Contains(mt, "/") {
			w.problem("mime", "%s: bad Content-Type %q: %v", partName(partPath), trunc(ctRaw, 80), err)
			mt = "text/plain"
		}
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := decodeWords(firstNonEmpty(dparams["filename"], params["name"]))
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		name = ""
	}

	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if mt == "multipart/report" {
			n.report = true
		}
		w.walkMultipart(n, params["boundary"], body, partPath, depth)
		return
	case mt == "message/rfc822" || mt == "message/global":
		if disp == "attachment" && name != "" && depth > maxDepth-2 {
			break
		}
		dec := w.decoder(h, body, partPath)
		child := w.readMessage(dec, partPath, depth)
		n.inner = append(n.inner, child)
		return
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		n.report = true
	}

	isText := strings.HasPrefix(mt, "text/plain") || mt == "text/html"
	if isText && disp != "attachment" && (name == "" || disp == "inline") {
		text := w.readText(h, body, params["charset"], partPath)
		if mt == "text/html" {
			n.html = append(n.html, text)
		} else {
			n.plain = append(n.plain, text)
		}
		return
	}
	if mt == "message/delivery-status" || mt == "message/global-delivery-status" {
		text := w.readText(h, body, "", partPath)
		n.plain = append(n.plain, text)
		return
	}
	w.attachment(n, h, body, mt, name, partPath)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (w *walker) walkMultipart(n *node, boundary string, body io.Reader, partPath string, depth int) {
	if boundary == "" {
		w.problem("mime", "%s: multipart without boundary; read as text", partName(partPath))
		n.plain = append(n.plain, w.readText(textproto.Header{}, body, "", partPath))
		return
	}
	mr := textproto.NewMultipartReader(body, boundary)
	for i := 1; ; i++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			if i == 1 {
				w.problem("mime", "%s: multipart with no parts (boundary %q not found)", partName(partPath), trunc(boundary, 70))
			}
			return
		}
		if err != nil {
			if i == 1 {
				w.problem("mime", "%s: multipart boundary %q not found: %v", partName(partPath), trunc(boundary, 70), err)
			} else {
				w.problem("mime", "%s: missing final boundary or broken multipart after part %d: %v", partName(partPath), i-1, err)
			}
			return
		}
		w.walkEntity(n, p.Header, p, join(partPath, strconv.Itoa(i)), depth+1, false)
	}
}

// decoder undoes the Content-Transfer-Encoding of body as a stream.
func (w *walker) decoder(h textproto.Header, body io.Reader, partPath string) io.Reader {
	switch enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))); enc {
	case "base64":
		return &b64Reader{w: w, where: partPath, r: base64.NewDecoder(base64.StdEncoding, &b64Filter{r: body})}
	case "quoted-printable":
		// Decoded in memory (QP attachments are rare and small) so that
		// nothing runs behind the caller's back.
		var buf bytes.Buffer
		bad, err := decodeQP(body, &buf)
		if bad > 0 {
			w.problem("qp", "%s: %d invalid quoted-printable sequences kept as written", partName(partPath), bad)
		}
		if err != nil {
			w.problem("mime", "%s: body cut short: %v", partName(partPath), err)
		}
		return &buf
	case "", "7bit", "8bit", "binary":
		return body
	default:
		w.problem("mime", "%s: unknown Content-Transfer-Encoding %q; read as is", partName(partPath), trunc(enc, 40))
		return body
	}
}

// b64Filter drops everything that is not base64 alphabet, so that line
// breaks and stray characters do not stop decoding.
type b64Filter struct{ r io.Reader }

func (f *b64Filter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

type b64Reader struct {
	w     *walker
	where string
	r     io.Reader
}

func (b *b64Reader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.w.problem("mime", "%s: invalid base64: %v", partName(b.where), err)
		return n, io.EOF
	}
	return n, err
}

// decodeQP decodes quoted-printable leniently: invalid escapes are kept as
// written and counted.
func decodeQP(r io.Reader, out io.Writer) (bad int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(out, 64<<10)
	for {
		line, rerr := br.ReadSlice('\n')
		if rerr == bufio.ErrBufferFull {
			// Very long line: process what we have, no line end.
			b, werr := qpLine(bw, line, false)
			bad += b
			if werr != nil {
				return bad, werr
			}
			continue
		}
		if len(line) > 0 {
			hasNL := len(line) > 0 && line[len(line)-1] == '\n'
			b, werr := qpLine(bw, line, hasNL)
			bad += b
			if werr != nil {
				return bad, werr
			}
		}
		if rerr == io.EOF {
			return bad, bw.Flush()
		}
		if rerr != nil {
			_ = bw.Flush()
			return bad, rerr
		}
	}
}

func qpLine(w *bufio.Writer, line []byte, hasNL bool) (int, error) {
	bad := 0
	body := line
	if hasNL {
		body = bytes.TrimRight(line, "\r\n")
	}
	body = bytes.TrimRight(body, " \t")
	soft := false
	if hasNL && len(body) > 0 && body[len(body)-1] == '=' {
		soft = true
		body = body[:len(body)-1]
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '=' {
			w.WriteByte(c)
			continue
		}
		if i+2 < len(body) && isHex(body[i+1]) && isHex(body[i+2]) {
			w.WriteByte(unhex(body[i+1])<<4 | unhex(body[i+2]))
			i += 2
			continue
		}
		bad++
		w.WriteByte('=')
	}
	if hasNL && !soft {
		w.WriteByte('\n')
	}
	return bad, nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// attachBuf keeps an attachment's bytes while they fit in n, in chunks (no
// doubling growth); once they do not fit it keeps nothing, since an
// over-size document is not read at all.
type attachBuf struct {
	chunks [][]byte
	size   int
	n      int
	over   bool
}

// The chunks of an attachBuf start small (most documents are a few tens
// of kilobytes) and double up to attachChunk, so a small document costs
// little and a large one no doubling copies.
const (
	attachFirstChunk = 16 << 10
	attachChunk      = 256 << 10
)

func (a *attachBuf) Write(p []byte) (int, error) {
	n := len(p)
	if a.over {
		return n, nil
	}
	if a.size+n > a.n {
		a.over, a.chunks = true, nil
		return n, nil
	}
	a.size += len(p)
	for len(p) > 0 {
		if len(a.chunks) == 0 || len(a.chunks[len(a.chunks)-1]) == cap(a.chunks[len(a.chunks)-1]) {
			c := attachFirstChunk
			if k := len(a.chunks); k > 0 {
				c = min(2*cap(a.chunks[k-1]), attachChunk)
			}
			a.chunks = append(a.chunks, make([]byte, 0, c))
		}
		last := &a.chunks[len(a.chunks)-1]
		k := min(len(p), cap(*last)-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// Bytes returns the kept bytes in one slice.
func (a *attachBuf) Bytes() []byte {
	if len(a.chunks) == 1 {
		return a.chunks[0]
	}
	out := make([]byte, 0, a.size)
	for _, c := range a.chunks {
		out = append(out, c...)
	}
	return out
}

// limitWriter keeps at most n bytes and counts the rest.
type limitWriter struct {
	buf     bytes.Buffer
	n       int
	dropped int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	room := l.n - l.buf.Len()
	if room >= len(p) {
		l.buf.Write(p)
		return len(p), nil
	}
	if room > 0 {
		l.buf.Write(p[:room])
	}
	l.dropped += int64(len(p) - max(room, 0))
	return len(p), nil
}

// readText reads a text part, undoing transfer encoding and charset.
func (w *walker) readText(h textproto.Header, body io.Reader, cs, partPath string) string {
	lw := &limitWriter{n: maxTextBytes}
	if _, err := io.CopyBuffer(lw, w.decoder(h, body, partPath), w.copyBuf()); err != nil {
		w.problem("mime", "%s: body cut short: %v", partName(partPath), err)
	}
	if lw.dropped > 0 {
		w.problem("truncated", "%s: text longer than %d bytes; %d bytes dropped", partName(partPath), maxTextBytes, lw.dropped)
	}
	return w.toUTF8(lw.buf.Bytes(), cs, partPath)
}

// toUTF8 converts b from charset cs. Unknown charsets are a Problem and the
// bytes are read as UTF-8 when valid, else as Windows-1252.
func (w *walker) toUTF8(b []byte, cs, partPath string) string {
	cs = strings.ToLower(strings.TrimSpace(cs))
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		if utf8.Valid(b) {
			return string(b)
		}
		if cs != "" && cs != "utf-8" && cs != "utf8" {
			return latin(b)
		}
		if cs == "" {
			return latin(b)
		}
		w.problem("charset", "%s: invalid UTF-8; bad bytes replaced", partName(partPath))
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil || r == nil {
		w.problem("charset", "%s: unknown charset %q; decoded as best effort", partName(partPath), trunc(cs, 40))
		if utf8.Valid(b) {
			return string(b)
		}
		return latin(b)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		w.problem("charset", "%s: charset %q: %v", partName(partPath), cs, err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// latin reads b as Windows-1252, the usual truth behind unlabeled 8-bit text.
func latin(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// attachment streams a non-text part through sha256, buffering only a .docx
// (up to a cap) to read its text.
func (w *walker) attachment(n *node, h textproto.Header, body io.Reader, mt, name, partPath string) {
	dec := w.decoder(h, body, partPath)
	hash := sha256.New()
	isDocx := strings.HasSuffix(strings.ToLower(name), ".docx") || mt == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	isZip := strings.HasSuffix(strings.ToLower(name), ".zip") || mt == "application/zip" || mt == "application/x-zip-compressed"
	isPDF := w.pdfText != nil && (strings.HasSuffix(strings.ToLower(name), ".pdf") || mt == "application/pdf")
	var size int64
	var err error
	var buf *attachBuf
	if isDocx || isZip || isPDF {
		buf = &attachBuf{n: maxDocxBytes}
		if isZip || isPDF {
			buf.n = maxZipBytes
		}
		size, err = io.CopyBuffer(io.MultiWriter(hash, buf), dec, w.copyBuf())
	} else {
		size, err = io.CopyBuffer(hash, dec, w.copyBuf())
	}
	if err != nil {
		w.problem("mime", "%s: attachment %q cut short: %v", partName(partPath), trunc(name, 80), err)
	}
	a := liaison.Attachment{Name: name, ContentType: mt, Size: size, SHA256: hex.EncodeToString(hash.Sum(nil)), Part: partPath}
	n.atts = append(n.atts, a)
	if isZip {
		w.zipAttachment(n, buf, firstNonEmpty(name, "part "+partPath))
		return
	}
	if isPDF {
		w.pdfAttachment(n, buf, firstNonEmpty(name, "part "+partPath))
		return
	}
	if !isDocx {
		return
	}
	label := firstNonEmpty(name, "part "+partPath)
	if buf.over {
		w.problem("truncated", "%s: .docx larger than %d bytes; its text is not read", label, maxDocxBytes)
		return
	}
	text, err := docx.Text(buf.Bytes(), docx.Limits{})
	if err != nil {
		w.problem("docx", "%s: %v", label, err)
	}
	if strings.TrimSpace(text) != "" {
		n.docx = append(n.docx, docText{name: label, text: text})
	}
}

// pdfAttachment reads the text of an attached PDF through Options.PDFText
// (which the daemon runs in a sandboxed subprocess: PDF readers are
// fragile on hostile input).
func (w *walker) pdfAttachment(n *node, buf *attachBuf, label string) {
	if buf.over {
		w.problem("truncated", "%s: PDF larger than %d bytes; its text is not read", label, maxZipBytes)
		return
	}
	text, err := w.pdfText(buf.Bytes())
	switch {
	case errors.Is(err, pdftext.ErrBudgetSpent):
		if !w.pdfSkipped {
			w.pdfSkipped = true
			w.problem("pdf-skipped", "%s and any PDF after it: %v", label, err)
		}
		return
	case err != nil:
		w.problem("pdf", "%s: %v", label, err)
	}
	if strings.TrimSpace(text) != "" {
		n.docx = append(n.docx, docText{name: label, text: text, kind: "pdf"})
	}
}

// zipAttachment reads the .docx cover sheets inside an attached .zip (a
// 3GPP tdoc archive). An archive that is not a zip or holds no .docx is
// just an attachment; a bomb or an unreadable document is a problem.
func (w *walker) zipAttachment(n *node, buf *attachBuf, label string) {
	if buf.over {
		w.problem("truncated", "%s: .zip larger than %d bytes; its documents are not read", label, maxZipBytes)
		return
	}
	names, texts, err := docx.InZip(buf.Bytes(), 3, maxDocxBytes, docx.Limits{})
	if err != nil && len(names) == 0 && !strings.HasPrefix(err.Error(), "zip:") {
		w.problem("docx", "%s: %v", label, err)
	} else if errors.Is(err, docx.ErrTooLarge) {
		w.problem("docx", "%s: %v", label, err)
	}
	for i := range names {
		n.docx = append(n.docx, docText{name: label + "/" + names[i], text: texts[i]})
	}
}

// decodeWords decodes RFC 2047 encoded words and stray 8-bit bytes in a
// header value.
func decodeWords(s string) string {
	if s == "" {
		return s
	}
	if !utf8.ValidString(s) {
		s = latin([]byte(s))
	}
	if !strings.Contains(s, "=?") {
		return s
	}
	d := mime.WordDecoder{CharsetReader: charset.Reader}
	out, err := d.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
