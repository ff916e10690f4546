package smtpsend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// DirSender is a Transport that writes each message as an .eml file into a
// folder instead of sending it: the --dry-run transport. The file name is
// derived from the Message-ID (sanitised), so writing the same message
// twice overwrites one file rather than making two. The envelope is
// recorded in X-Liaisond-Envelope-From / X-Liaisond-Envelope-To lines
// prepended to the message.
type DirSender struct {
	dir string
	log *slog.Logger
}

var _ Transport = (*DirSender)(nil)

// NewDirSender creates dir if needed and returns a DirSender writing into it.
// A nil logger means slog.Default().
func NewDirSender(dir string, logger *slog.Logger) (*DirSender, error) {
	if dir == "" {
		return nil, errors.New("smtpsend: dry-run folder is empty")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("smtpsend: dry-run folder: %w", err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &DirSender{dir: dir, log: logger.With("component", "smtpsend", "dry_run_dir", dir)}, nil
}

// FileName returns the file name DirSender uses for msg: the Message-ID with
// every character outside [A-Za-z0-9._@+-] replaced by "_", capped at 150
// bytes, plus ".eml"; a message without Message-ID is named after the
// SHA-256 of its bytes.
func FileName(msg []byte) string {
	id := messageID(msg)
	if id == "" {
		sum := sha256.Sum256(msg)
		return "no-message-id-" + hex.EncodeToString(sum[:16]) + ".eml"
	}
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 150 {
			break
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if name == "" {
		name = "_"
	}
	return name + ".eml"
}

// Send writes msg to the folder. It never contacts a server.
func (d *DirSender) Send(ctx context.Context, from string, rcpts []string, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return &Error{Temporary: true, Msg: "cancelled", Err: err}
	}
	if len(rcpts) == 0 {
		return &Error{Msg: "no recipients", Err: errors.New("smtpsend: no recipients")}
	}
	for _, a := range append([]string{from}, rcpts...) {
		if strings.ContainsAny(a, "\r\n<> \t\x00,") {
			return &Error{Msg: "invalid envelope address", Err: fmt.Errorf("smtpsend: invalid envelope address %q", a)}
		}
	}
	name := FileName(msg)
	final := filepath.Join(d.dir, name)
	tmp, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return &Error{Temporary: true, Msg: "create file", Err: fmt.Errorf("dry-run write: %w", err)}
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	head := "X-Liaisond-Envelope-From: <" + from + ">\r\nX-Liaisond-Envelope-To: " + strings.Join(rcpts, ", ") + "\r\n"
	_, err = tmp.WriteString(head)
	if err == nil {
		_, err = tmp.Write(msg)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		return &Error{Temporary: true, Msg: "write file", Err: fmt.Errorf("dry-run write %s: %w", final, err)}
	}
	d.log.InfoContext(ctx, "mail written (dry run)", "file", name, "rcpts", len(rcpts), "bytes", len(msg))
	return nil
}
