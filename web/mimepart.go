package web

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"strconv"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxPart bounds one decoded attachment.
const maxPart = 64 << 20

// ExtractPart returns the decoded body of the MIME part at path ("2",
// "2.1") in raw, numbered as mailproc numbers attachments: the parts of a
// multipart are 1, 2, ...; a single-part body is "1"; an attached message
// keeps its part's number and its own parts are numbered under it.
func ExtractPart(raw []byte, path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("web: attachment without a part number")
	}
	want := strings.Split(path, ".")
	for _, p := range want {
		if n, err := strconv.Atoi(p); err != nil || n < 1 {
			return nil, fmt.Errorf("web: bad part number %q", path)
		}
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, fmt.Errorf("web: read header: %w", err)
	}
	return findPart(h, br, nil, want, 0)
}

// findPart walks the entity (h, body) that sits at path at; want is the
// full path sought.
func findPart(h textproto.Header, body io.Reader, at, want []string, depth int) ([]byte, error) {
	if depth > 20 {
		return nil, errors.New("web: MIME nesting too deep")
	}
	mt, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt == "" {
		mt = "text/plain"
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if len(at) >= len(want) {
			return nil, fmt.Errorf("web: part %s is a multipart", strings.Join(want, "."))
		}
		idx, _ := strconv.Atoi(want[len(at)])
		mr := textproto.NewMultipartReader(body, params["boundary"])
		for i := 1; ; i++ {
			p, err := mr.NextPart()
			if err != nil {
				return nil, fmt.Errorf("web: part %s not found: %w", strings.Join(want, "."), err)
			}
			if i == idx {
				return findPart(p.Header, p, append(at, want[len(at)]), want, depth+1)
			}
		}
	case (mt == "message/rfc822" || mt == "message/global") && len(at) < len(want):
		br := bufio.NewReader(decode(h, body))
		ih, err := textproto.ReadHeader(br)
		if err != nil {
			return nil, fmt.Errorf("web: attached message header: %w", err)
		}
		if !strings.HasPrefix(strings.ToLower(ih.Get("Content-Type")), "multipart/") {
			// A single-part inner message: its body is at "<path>.1".
			if len(want) == len(at)+1 && want[len(at)] == "1" {
				return readAll(decode(ih, br))
			}
			return nil, fmt.Errorf("web: part %s not found", strings.Join(want, "."))
		}
		return findPart(ih, br, at, want, depth+1)
	}
	if len(at) == 0 {
		// The top entity is not multipart: its body is part "1".
		if len(want) == 1 && want[0] == "1" {
			return readAll(decode(h, body))
		}
		return nil, fmt.Errorf("web: part %s not found", strings.Join(want, "."))
	}
	if len(at) != len(want) {
		return nil, fmt.Errorf("web: part %s not found", strings.Join(want, "."))
	}
	return readAll(decode(h, body))
}

func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPart+1))
	if err != nil {
		return nil, fmt.Errorf("web: decode part: %w", err)
	}
	if len(b) > maxPart {
		return nil, fmt.Errorf("web: part larger than %d bytes", maxPart)
	}
	return b, nil
}

// decode undoes the Content-Transfer-Encoding (base64 leniently, like the
// parser, skipping anything outside the alphabet).
func decode(h textproto.Header, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		b, _ := io.ReadAll(io.LimitReader(body, 2*maxPart))
		clean := bytes.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=' {
				return r
			}
			return -1
		}, b)
		return base64.NewDecoder(base64.StdEncoding, bytes.NewReader(clean))
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	default:
		return body
	}
}
