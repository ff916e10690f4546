package outmail

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Marker makes and checks the marks by which liaisond recognises its own
// mail when a relay or mailing list sends it back with a new From, a new
// Message-ID and none of its X-Liaisond-* headers. There are two:
//
//   - The Message-ID. Its local part is 32 hex digits: 16 that name the
//     outbox key (SHA-256 of the key) and 16 of an HMAC of those under the
//     marker's key. So it stays deterministic per outbox key (a restart,
//     or a database rebuilt from the mailbox, makes the same id), keeps
//     the shape the bounce matcher looks for, and can be verified without
//     the database.
//   - A body mark, the last line of the plain-text body:
//     "liaisond-mark: <the 32 digits>-<16 digits>", the second part an HMAC
//     of the Message-ID's digits and of the words of the text above the
//     line. Relays keep bodies; a quoted copy ("> liaisond-mark: ...")
//     does not count, and a copy below someone's own words no longer
//     matches the text above it.
//
// The key is derived from a configured secret; without one a public key
// is used, which still recognises liaisond's mail but cannot tell one
// instance from another (anyone can forge it; forging it only makes a
// message count as liaisond's mail, which is then recorded but never
// answered and never a statement).
type Marker struct {
	key   []byte
	keyed bool
}

// publicMarkSecret keys the marks of a daemon without a configured secret.
const publicMarkSecret = "liaisond public mark key; configure commands.secret_file for a private one"

// NewMarker derives a marker from secret (nil or empty: the public key).
func NewMarker(secret []byte) *Marker {
	keyed := len(secret) > 0
	if !keyed {
		secret = []byte(publicMarkSecret)
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("liaisond-loop-mark-v1"))
	return &Marker{key: mac.Sum(nil), keyed: keyed}
}

// Keyed reports whether the marker uses a configured secret.
func (k *Marker) Keyed() bool { return k.keyed }

func (k *Marker) sum(parts ...string) string {
	mac := hmac.New(sha256.New, k.key)
	for _, p := range parts {
		io.WriteString(mac, p)
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// MessageID returns the Message-ID (without angle brackets) of the mail
// queued under outbox key: 16 hex digits naming the key, 16 of their
// HMAC, "@", domain.
func (k *Marker) MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	id := hex.EncodeToString(sum[:])[:16]
	return id + k.sum("message-id", id) + "@" + domain
}

// Ref returns the local part of id when it is a Message-ID this marker
// made (whatever its domain).
func (k *Marker) Ref(id string) (string, bool) {
	local, _, ok := strings.Cut(id, "@")
	if !ok || !isRef(local) {
		return "", false
	}
	return local, hmac.Equal([]byte(local[16:]), []byte(k.sum("message-id", local[:16])))
}

func isRef(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// markPrefix starts the body mark line.
const markPrefix = "liaisond-mark: "

// markLineRE is a body mark line at the start of a line (not quoted).
var markLineRE = regexp.MustCompile(`(?m)^[ \t]*liaisond-mark: ([0-9a-f]{32})-([0-9a-f]{16})[ \t\r]*$`)

// bodyLine returns the mark line for a body whose text is text, in a mail
// whose Message-ID has the local part ref.
func (k *Marker) bodyLine(ref, text string) string {
	return markPrefix + ref + "-" + k.sum("body", ref, words(text))
}

// words is the text as its words separated by single spaces: what is
// left of a body after relays re-encode and re-wrap it. It is
// strings.Join(strings.Fields(text), " ") (white space as unicode.IsSpace
// says) in one pass and one allocation: the marks of every mail sent
// depend on it, so it must never differ from that (see FuzzWords).
func words(text string) string {
	var out strings.Builder
	out.Grow(len(text))
	inWord := false
	start := 0 // of the word in hand
	for i := 0; i < len(text); {
		c := text[i]
		size, space := 1, false
		if c < utf8.RuneSelf {
			space = asciiSpace[c] != 0
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && inWord:
			// Copy the word in one go.
			if out.Len() > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(text[start:i])
			inWord = false
		case !space && !inWord:
			start, inWord = i, true
		}
		i += size
	}
	if inWord {
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(text[start:])
	}
	return out.String()
}

// asciiSpace are the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// BodyMark is what a body's mark line says about who wrote the body.
type BodyMark int

// Body marks, from the strongest evidence of our own mail to none.
const (
	// MarkNone: no unquoted mark line.
	MarkNone BodyMark = iota
	// MarkOurs: our mark, and the text above it is exactly the text we
	// sent (modulo white space): the body is ours, unchanged.
	MarkOurs
	// MarkOursEdited: our mark, but the text above it changed: a relay
	// added a banner, or a person replied above an unquoted copy.
	MarkOursEdited
	// MarkForeign: a well-formed mark that this marker did not make:
	// another liaisond instance's mail.
	MarkForeign
)

// String names the mark for logs and tests.
func (m BodyMark) String() string {
	switch m {
	case MarkOurs:
		return "ours"
	case MarkOursEdited:
		return "ours-edited"
	case MarkForeign:
		return "foreign"
	}
	return "none"
}

// CheckBody finds the last unquoted mark line of a plain-text body and
// says whose it is. Lines after it (a list's footer) do not matter.
func (k *Marker) CheckBody(text string) BodyMark {
	// Most bodies have no mark at all: the pattern (which must look at
	// every line) runs only from the line of the first one.
	first := strings.Index(text, markPrefix)
	if first < 0 {
		return MarkNone
	}
	from := strings.LastIndexByte(text[:first], '\n') + 1
	locs := markLineRE.FindAllStringSubmatchIndex(text[from:], -1)
	if len(locs) == 0 {
		return MarkNone
	}
	loc := locs[len(locs)-1]
	for i := range loc {
		loc[i] += from
	}
	ref, tag := text[loc[2]:loc[3]], text[loc[4]:loc[5]]
	if _, ours := k.Ref(ref + "@x"); !ours {
		return MarkForeign
	}
	above := strings.TrimRight(text[:loc[0]], " \t\r\n")
	if hmac.Equal([]byte(tag), []byte(k.sum("body", ref, words(above)))) {
		return MarkOurs
	}
	return MarkOursEdited
}

// markText appends the body mark line to text, and returns the line too
// (an HTML alternative ends with the same line).
func (k *Marker) markText(ref, text string) (marked, line string) {
	text = strings.TrimRight(text, " \t\r\n")
	line = k.bodyLine(ref, text)
	return text + "\n\n" + line + "\n", line
}
