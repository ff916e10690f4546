// Package source reads messages from local files for `liaisond ingest`: a
// single RFC 5322 message (.eml), an mbox file, a Maildir, or a folder of
// such files.
package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Func receives one message; origin names it ("file:a.eml",
// "mbox:list.mbox#3", "maildir:Maildir/cur/123").
type Func func(raw []byte, origin string) error

// MaxMessage caps one message read from an mbox (a runaway file without
// separators must not exhaust memory).
const MaxMessage = 64 << 20

// Walk reads every message under path and calls fn for each, in a stable
// order. An error from fn stops the walk.
func Walk(path string, fn Func) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if st.IsDir() {
		if isMaildir(path) {
			return walkMaildir(path, fn)
		}
		return walkDir(path, fn)
	}
	return walkFile(path, fn)
}

func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

func walkMaildir(dir string, fn Func) error {
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return fmt.Errorf("source: maildir %s: %w", dir, err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			p := filepath.Join(dir, sub, e.Name())
			raw, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("source: %w", err)
			}
			if err := fn(raw, "maildir:"+p); err != nil {
				return err
			}
		}
	}
	return nil
}

func walkDir(dir string, fn Func) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && isMaildir(p) {
				files = append(files, p)
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".eml", ".mbox", ".msg", ".txt", "":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := Walk(f, fn); err != nil {
			return err
		}
	}
	return nil
}

func walkFile(path string, fn Func) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(5)
	if string(head) == "From " {
		return readMbox(br, path, fn)
	}
	// One message: read it into a buffer of exactly its size (io.ReadAll's
	// doubling would briefly hold twice a large message).
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	raw := make([]byte, st.Size())
	n, err := io.ReadFull(br, raw)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("source: read %s: %w", path, err)
	}
	raw = raw[:n]
	if rest, err := io.ReadAll(br); err != nil {
		return fmt.Errorf("source: read %s: %w", path, err)
	} else if len(rest) > 0 { // the file grew while we read it
		raw = append(raw, rest...)
	}
	return fn(raw, "file:"+path)
}

// readMbox splits an mboxrd/mboxo file on "From " separator lines and
// unescapes ">From " lines, streaming one message at a time.
func readMbox(br *bufio.Reader, path string, fn Func) error {
	var cur bytes.Buffer
	n := 0
	inMsg := false
	flush := func() error {
		if !inMsg {
			return nil
		}
		n++
		msg := append([]byte(nil), trimSeparator(cur.Bytes())...)
		cur.Reset()
		return fn(msg, fmt.Sprintf("mbox:%s#%d", path, n))
	}
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A very long line: keep reading it whole.
			full := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				full = append(full, line...)
			}
			line = full
		}
		if len(line) > 0 {
			switch {
			case bytes.HasPrefix(line, []byte("From ")):
				if ferr := flush(); ferr != nil {
					return ferr
				}
				inMsg = true
			case inMsg:
				if isEscapedFrom(line) {
					line = line[1:]
				}
				if cur.Len()+len(line) > MaxMessage {
					return fmt.Errorf("source: %s: message %d larger than %d bytes", path, n+1, MaxMessage)
				}
				cur.Write(line)
			}
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("source: read %s: %w", path, err)
		}
	}
}

// trimSeparator drops the empty line that precedes the next "From " line
// (it belongs to the mbox format, not to the message), keeping the
// message's own final line break in whatever style it uses.
func trimSeparator(b []byte) []byte {
	switch {
	case bytes.HasSuffix(b, []byte("\r\n\r\n")):
		return b[:len(b)-2]
	case bytes.HasSuffix(b, []byte("\n\n")):
		return b[:len(b)-1]
	}
	return b
}

// isEscapedFrom reports whether line is ">From ", ">>From ", ... (mboxrd).
func isEscapedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}
