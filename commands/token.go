package commands

// # The token scheme
//
// Every notice about a statement that goes to someone allowed to act on it
// (its liaison managers, its groups' chairs, the IAB coordinators) carries
//
//	Reply-To: <local>+<ID>.<YYYYMMDD>.<token>@<domain>
//
// where <local>@<domain> is the liaison address, <ID> the statement id
// (LS-2026-0007), <YYYYMMDD> the (UTC) day the notice was composed, and
// <token> the first 20 hex digits (80 bits) of
// HMAC-SHA256(secret, "liaisond-command-v2:" + ID + ":" + YYYYMMDD).
// Replying to the notice therefore addresses the reply to that
// sub-address, which the mail system delivers to the liaison mailbox ("+"
// sub-addressing). The address is the only carrier: a token in a subject
// or a body is never looked at, so quoting or forwarding a notice does not
// hand out a working token. The token alone is not enough either: the
// sender must also be one of the people allowed to act on the statement,
// authenticated by the MTA when commands.authserv_id is set, and each
// (token, command) pair applies once (checked by the pipeline).
//
// A token expires token_max_age after the day it was issued (Check): the
// date is inside the MAC, so it cannot be moved. Tokens of the first
// scheme (v1: <ID>.<token>, HMAC of "liaisond-command-v1:" + ID, no date),
// still in the mailboxes of people who got notices before v2, are
// accepted as issued when their statement was received: they expire
// token_max_age after that. Changing the secret invalidates every
// outstanding token.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// TokenLen is the length of a token in hex digits.
const TokenLen = 20

// The HMAC domains separate the command tokens from any other use of the
// key, and the two schemes from each other.
const (
	tokenDomainV1 = "liaisond-command-v1:"
	tokenDomainV2 = "liaisond-command-v2:"
)

// dayLayout is how a v2 token's issue day is written in the address.
const dayLayout = "20060102"

// mac is the first TokenLen hex digits of HMAC-SHA256(key, msg).
func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))[:TokenLen]
}

func normID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// issueDay is the UTC day of t, as written in an address.
func issueDay(t time.Time) string { return t.UTC().Format(dayLayout) }

// Token computes the reply token of statement id issued at the time
// issued (only its UTC day counts).
func Token(key []byte, id string, issued time.Time) string {
	return mac(key, tokenDomainV2+normID(id)+":"+issueDay(issued))
}

// TokenV1 computes the reply token of the first scheme (no issue date).
// Only Check uses it now, to accept tokens sent before v2.
func TokenV1(key []byte, id string) string { return mac(key, tokenDomainV1+normID(id)) }

// ReplyAddress returns the reply address that carries a statement's
// token issued at the time issued: the liaison address with
// "+ID.YYYYMMDD.token" added to its local part.
func ReplyAddress(liaisonAddress string, key []byte, id string, issued time.Time) (string, error) {
	at := strings.LastIndexByte(liaisonAddress, '@')
	if at <= 0 || at == len(liaisonAddress)-1 {
		return "", fmt.Errorf("commands: liaison address %q has no local part or domain", liaisonAddress)
	}
	if len(key) == 0 {
		return "", errors.New("commands: no key")
	}
	local, domain := liaisonAddress[:at], liaisonAddress[at+1:]
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "+" + normID(id) + "." + issueDay(issued) + "." + Token(key, id, issued) + "@" + domain, nil
}

// Target is what a reply address names: a statement id and the token
// given for it (not yet checked).
type Target struct {
	ID    string
	Token string
	// Issued is the day a v2 token says it was issued (midnight UTC); zero
	// for a v1 token.
	Issued time.Time
	// Address is the reply address as written.
	Address string
}

// V1 reports whether the target carries a token of the first scheme.
func (t Target) V1() bool { return t.Issued.IsZero() }

var subAddrRE = regexp.MustCompile(`(?i)^(LS-\d{4}-\d{4,})\.(?:(\d{8})\.)?([0-9a-z]{1,64})$`)

// FindTarget looks through the addresses a mail was sent to for a reply
// address of one of the liaison addresses (same local part before "+",
// same domain, any case) and returns the first one found.
func FindTarget(addrs []string, liaisonAddresses []string) (Target, bool) {
	for _, a := range addrs {
		a = strings.TrimSpace(a)
		at := strings.LastIndexByte(a, '@')
		if at <= 0 {
			continue
		}
		local, domain := a[:at], a[at+1:]
		plus := strings.IndexByte(local, '+')
		if plus <= 0 {
			continue
		}
		for _, la := range liaisonAddresses {
			lat := strings.LastIndexByte(la, '@')
			if lat <= 0 {
				continue
			}
			if !strings.EqualFold(la[:lat], local[:plus]) || !strings.EqualFold(la[lat+1:], domain) {
				continue
			}
			m := subAddrRE.FindStringSubmatch(local[plus+1:])
			if m == nil {
				continue
			}
			t := Target{ID: strings.ToUpper(m[1]), Token: strings.ToLower(m[3]), Address: a}
			if m[2] != "" {
				day, err := time.Parse(dayLayout, m[2])
				if err != nil || day.Year() < 1 {
					continue // not a date (or year 0): not one of ours
				}
				t.Issued = day
			}
			return t, true
		}
	}
	return Target{}, false
}

// Errors of Check.
var (
	// ErrBadToken: the token is not one the key made for the statement.
	ErrBadToken = errors.New("the reply token is not valid")
	// ErrExpired: the token is genuine but older than the maximum age.
	ErrExpired = errors.New("the reply token has expired")
)

// Check verifies the token of tgt for statement id under key: the MAC, in
// constant time (case is ignored: some mail systems change the case of
// addresses), then the age. A token is good until maxAge after the end of
// the UTC day it was issued; a v1 token counts as issued when its
// statement was received. maxAge <= 0 sets no limit. The errors match
// ErrBadToken or ErrExpired and say why.
func Check(key []byte, id string, tgt Target, received, now time.Time, maxAge time.Duration) error {
	want, issued := TokenV1(key, id), received
	if !tgt.V1() {
		want, issued = Token(key, id, tgt.Issued), tgt.Issued.UTC().Truncate(24*time.Hour).Add(24*time.Hour)
	}
	got := strings.ToLower(strings.TrimSpace(tgt.Token))
	if len(key) == 0 || !hmac.Equal([]byte(want), []byte(got)) {
		return fmt.Errorf("%w for %s (reply to a current liaisond notice)", ErrBadToken, normID(id))
	}
	if maxAge > 0 && now.After(issued.Add(maxAge)) {
		return fmt.Errorf("%w: it was issued on %s and tokens last %s: reply to a newer notice about %s", ErrExpired,
			issued.Add(-24*time.Hour).Format("2006-01-02"), days(maxAge), normID(id))
	}
	return nil
}

// days renders a duration in whole days when it is some.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// GuardKey is the replay guard's key of a command given with a token: one
// (token, normalised command) pair. The same command with the same token
// has the same key, however often it is sent and whatever the mail around
// it; another command, or the same one with another token (a newer
// notice), has another.
func GuardKey(tgt Target, cmd Command) string {
	h := sha256.New()
	h.Write([]byte("liaisond-replay-v1\x00" + strings.ToLower(strings.TrimSpace(tgt.Token)) + "\x00" + issueDayOrNone(tgt) + "\x00" + cmd.Normal()))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func issueDayOrNone(t Target) string {
	if t.V1() {
		return "v1"
	}
	return issueDay(t.Issued)
}
