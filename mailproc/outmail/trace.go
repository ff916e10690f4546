package outmail

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Trace is what the copy of a sent mail filed in the sent folder says about
// it, so that a database rebuilt from the mailbox knows which mail went out
// and what it was about: the outbox key it was sent under, the record it
// was about (its id and Message-ID, so that the rebuilt record gets the
// same id) and, on the confirmation of an action taken outside mail (CLI,
// web, API), the action itself to replay.
//
// The trace is prepended to the filed copy only, as two header fields
// (TraceHeader: the JSON in base64, folded; TraceSealHeader: an HMAC of it
// under the marker's key), never sent to anybody. A rebuild believes a
// trace only with a valid seal: whoever can write into the mailbox cannot
// make the daemon replay an action unless they also know
// commands.secret_file (without one, the public mark key is used, and a
// trace is only as good as the mailbox's own protection).
type Trace struct {
	// Key is the outbox key ("ID|kind|recipient|period", notify.Key).
	Key string `json:"key"`
	// Record is the id of the record the mail is about ("" for digests);
	// RecordMessageID is that record's Message-ID ("" when it has none).
	Record          string `json:"record,omitempty"`
	RecordMessageID string `json:"record_message_id,omitempty"`
	// From and Rcpts are the SMTP envelope the mail was sent with.
	From  string   `json:"from,omitempty"`
	Rcpts []string `json:"rcpts,omitempty"`
	// Action is an action to replay on a rebuild (package actions' JSON).
	Action json.RawMessage `json:"action,omitempty"`
}

// The header fields of a filed copy's trace.
const (
	TraceHeader     = "X-Liaisond-Trace"
	TraceSealHeader = "X-Liaisond-Trace-Seal"
)

// ErrNoTrace is returned by ReadTrace for a message that does not start
// with a trace (mail filed by something else, or by an older liaisond).
var ErrNoTrace = errors.New("outmail: no liaisond trace")

// Seal returns an HMAC (64 hex digits) of data for purpose under the
// marker's key.
func (k *Marker) Seal(purpose string, data []byte) string {
	mac := hmac.New(sha256.New, k.key)
	mac.Write([]byte("seal\x00" + purpose + "\x00"))
	mac.Write(data)
	return hex.EncodeToString(mac.Sum(nil))
}

// Sealed reports whether seal is Seal(purpose, data).
func (k *Marker) Sealed(purpose string, data []byte, seal string) bool {
	return hmac.Equal([]byte(k.Seal(purpose, data)), []byte(strings.ToLower(seal)))
}

// traceWidth is the base64 digits per header line.
const traceWidth = 72

// Header returns the trace's header lines (CRLF-terminated), sealed by k,
// to prepend to the filed copy of a mail.
func (t Trace) Header(k *Marker) ([]byte, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("outmail: encode trace of %s: %w", t.Key, err)
	}
	enc := base64.StdEncoding.EncodeToString(data)
	var b bytes.Buffer
	b.WriteString(TraceHeader + ":")
	for len(enc) > 0 {
		n := min(traceWidth, len(enc))
		b.WriteString(" " + enc[:n] + "\r\n")
		enc = enc[n:]
	}
	b.WriteString(TraceSealHeader + ": " + k.Seal("trace", data) + "\r\n")
	return b.Bytes(), nil
}

// ReadTrace reads the trace at the top of a filed copy and returns it with
// the mail as it was sent (the copy without the trace's fields). It
// returns ErrNoTrace when the copy does not start with a trace, and an
// error when the trace is malformed or its seal is not k's.
func ReadTrace(filed []byte, k *Marker) (Trace, []byte, error) {
	var t Trace
	rest, ok := bytes.CutPrefix(filed, []byte(TraceHeader+":"))
	if !ok {
		return t, filed, ErrNoTrace
	}
	// The base64 runs over folded lines up to the seal's field.
	i := bytes.Index(rest, []byte("\n"+TraceSealHeader+":"))
	if i < 0 {
		return t, filed, errors.New("outmail: trace without its seal")
	}
	enc := strings.Join(strings.Fields(string(rest[:i])), "")
	rest = rest[i+1+len(TraceSealHeader)+1:]
	j := bytes.IndexByte(rest, '\n')
	if j < 0 {
		return t, filed, errors.New("outmail: trace seal not terminated")
	}
	seal := strings.TrimSpace(string(rest[:j]))
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return t, filed, fmt.Errorf("outmail: trace: %w", err)
	}
	if !k.Sealed("trace", data, seal) {
		return t, filed, errors.New("outmail: trace seal does not match (another instance's mail, or a changed commands.secret_file)")
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, filed, fmt.Errorf("outmail: trace: %w", err)
	}
	if t.Key == "" {
		return t, filed, errors.New("outmail: trace without a key")
	}
	return t, rest[j+1:], nil
}
