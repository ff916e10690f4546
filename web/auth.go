package web

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
)

// Auth holds the credentials that grant access: bearer tokens and basic-auth
// users, each with the Identity it acts as. Who may read anonymously, and
// the limit on failed attempts, are the Server's (ServeHTTP).
type Auth struct {
	tokens []tokenEntry
	// users maps a user name to its bcrypt hash and identity.
	users map[string]userEntry

	dummyOnce sync.Once
	dummyHash []byte
}

type tokenEntry struct {
	digest [32]byte // SHA-256 of the token
	id     Identity
}

type userEntry struct {
	hash []byte // bcrypt
	id   Identity
}

// Identity is the person a credential acts as. A credential without one
// reads only: the action layer needs an address to find the roles of
// whoever acts.
type Identity struct {
	// Email is the person's address, lowercased ("" for a read-only
	// credential). Their roles follow from it (actions.RolesOf).
	Email string
	// Operator adds the operator's authority to the person's own roles
	// (the flag "operator" after the address).
	Operator bool
}

// OperatorFlag is the word that gives an identity the operator's authority
// in the tokens and users files.
const OperatorFlag = "operator"

// ParseIdentity reads the identity part of a credential line: nothing (a
// read-only credential), an address, or an address and the word
// "operator". The address is read with the one strict parser
// (mailaddr.ParseAddrSpec): a bare address, no display name.
func ParseIdentity(words []string) (Identity, error) {
	switch {
	case len(words) == 0:
		return Identity{}, nil
	case len(words) > 2:
		return Identity{}, fmt.Errorf("want an address and optionally %q, got %d words", OperatorFlag, len(words))
	case strings.EqualFold(words[0], OperatorFlag):
		return Identity{}, fmt.Errorf("%q needs an address before it: the history records who acted", OperatorFlag)
	case len(words) == 2 && words[1] != OperatorFlag:
		return Identity{}, fmt.Errorf("%q after the address: the only flag is %q", words[1], OperatorFlag)
	}
	m, err := mailaddr.ParseAddrSpec(words[0])
	if err != nil {
		return Identity{}, fmt.Errorf("%q is not an address: %w", words[0], err)
	}
	return Identity{Email: strings.ToLower(m.Addr()), Operator: len(words) == 2}, nil
}

// String renders the identity as the files write it ("" when read-only).
func (id Identity) String() string {
	if id.Operator {
		return id.Email + " " + OperatorFlag
	}
	return id.Email
}

// SignIn says how a request's sender proved who they are.
type SignIn string

// The ways of signing in.
const (
	Anonymous SignIn = ""      // no credentials (a read allowed by http.anonymous)
	ByToken   SignIn = "token" // a bearer token from tokens_file
	ByUser    SignIn = "user"  // a basic-auth user from users_file
)

// Principal is who sent a request: how they signed in, under which name,
// and the identity their credential acts as.
type Principal struct {
	Identity
	By SignIn
	// Name is the user's name, or for a token "sha256:" and the first 16
	// hex digits of its digest (never the token).
	Name string
}

// CanAct reports whether the principal may ask for actions: it signed in
// with a credential that names a person.
func (p Principal) CanAct() bool { return p.By != Anonymous && p.Email != "" }

// Actor is the principal acting through channel ch.
func (p Principal) Actor(ch liaison.Channel) actions.Actor {
	return actions.Actor{Email: p.Email, Channel: ch, Operator: p.Operator}
}

// key identifies the principal's credential and identity, for binding
// form tokens to it.
func (p Principal) key() string {
	return string(p.By) + "\x00" + p.Name + "\x00" + p.Identity.String()
}

// NewAuth builds an Auth from token digests and bcrypt user hashes, all
// read-only; AddToken and AddUser add credentials with an identity.
func NewAuth(tokenDigests [][32]byte, users map[string][]byte) *Auth {
	a := &Auth{users: map[string]userEntry{}}
	for _, d := range tokenDigests {
		a.AddToken(d, Identity{})
	}
	for name, h := range users {
		a.AddUser(name, h, Identity{})
	}
	return a
}

// AddToken accepts the token whose SHA-256 is digest, acting as id.
func (a *Auth) AddToken(digest [32]byte, id Identity) {
	a.tokens = append(a.tokens, tokenEntry{digest: digest, id: id})
}

// AddUser accepts the user name with the bcrypt hash, acting as id.
func (a *Auth) AddUser(name string, hash []byte, id Identity) {
	a.users[name] = userEntry{hash: hash, id: id}
}

// TokenDigest is the SHA-256 of a bearer token, as stored in tokens_file
// ("sha256:" + hex).
func TokenDigest(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// LoadAuth reads the tokens file and the users file; empty paths mean none.
//
// A tokens file line is the token ("sha256:<64 hex>", its SHA-256, or the
// token itself, which has no white space), then optionally the address it
// acts as and the word "operator": `sha256:<hex> alex@example.org`. A
// users file line is `name:bcrypt-hash` (htpasswd -B), then optionally
// `:address` and `:operator`. '#' starts a comment line. A credential
// without an address reads only.
func LoadAuth(tokensFile, usersFile string) (*Auth, error) {
	a := &Auth{users: map[string]userEntry{}}
	seen := map[[32]byte]int{}
	err := eachLine(tokensFile, func(n int, line string) error {
		words := strings.Fields(line)
		d := TokenDigest(words[0])
		if hx, ok := strings.CutPrefix(words[0], "sha256:"); ok {
			b, err := hex.DecodeString(hx)
			if err != nil || len(b) != 32 {
				return fmt.Errorf("line %d: want sha256: and 64 hex digits", n)
			}
			d = [32]byte(b)
		}
		if first, dup := seen[d]; dup {
			return fmt.Errorf("line %d: the same token as line %d", n, first)
		}
		seen[d] = n
		id, err := ParseIdentity(words[1:])
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		a.AddToken(d, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: tokens file %s: %w", tokensFile, err)
	}
	lines := map[string]int{}
	err = eachLine(usersFile, func(n int, line string) error {
		parts := strings.Split(line, ":")
		name := parts[0]
		if len(parts) < 2 || name == "" {
			return fmt.Errorf("line %d: want name:bcrypt-hash[:address[:operator]]", n)
		}
		if first, dup := lines[name]; dup {
			return fmt.Errorf("line %d: user %q again (first on line %d)", n, name, first)
		}
		lines[name] = n
		hash := parts[1]
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return fmt.Errorf("line %d: user %q: not a bcrypt hash: %w", n, name, err)
		}
		id, err := ParseIdentity(parts[2:])
		if err != nil {
			return fmt.Errorf("line %d: user %q: %w", n, name, err)
		}
		a.AddUser(name, []byte(hash), id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: users file %s: %w", usersFile, err)
	}
	return a, nil
}

func eachLine(path string, fn func(n int, line string) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Identities lists the identities the credentials act as, each once, for
// checking them against the configuration (`liaisond check`).
func (a *Auth) Identities() []Identity {
	var out []Identity
	seen := map[Identity]bool{}
	add := func(id Identity) {
		if id.Email != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, t := range a.tokens {
		add(t.id)
	}
	for _, u := range a.users {
		add(u.id)
	}
	return out
}

// errNoCredentials: the request carries no Authorization header.
var errNoCredentials = errors.New("no credentials")

// Identify returns who r's credentials name: a known bearer token or a
// basic-auth user with the right password. An unknown user's password is
// compared against a dummy hash of the same cost as the users' own, so an
// unknown user and a wrong password take the same time. It fails with
// errNoCredentials for a request without credentials, with another error
// for bad ones.
func (a *Auth) Identify(r *http.Request) (Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return Principal{}, errNoCredentials
	}
	bad := errors.New("bad credentials")
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		d := TokenDigest(strings.TrimSpace(tok))
		found := -1
		for i, t := range a.tokens {
			if subtle.ConstantTimeCompare(d[:], t.digest[:]) == 1 {
				found = i
			}
		}
		if found < 0 {
			return Principal{}, bad
		}
		return Principal{Identity: a.tokens[found].id, By: ByToken, Name: "sha256:" + hex.EncodeToString(d[:8])}, nil
	}
	if user, pass, ok := r.BasicAuth(); ok {
		u, known := a.users[user]
		hash := u.hash
		if !known {
			hash = a.dummy()
		}
		if bcrypt.CompareHashAndPassword(hash, []byte(pass)) != nil || !known {
			return Principal{}, bad
		}
		return Principal{Identity: u.id, By: ByUser, Name: user}, nil
	}
	return Principal{}, bad
}

// dummy returns a hash nobody's password matches, made once with the
// highest cost among the users' hashes.
func (a *Auth) dummy() []byte {
	a.dummyOnce.Do(func() {
		cost := bcrypt.DefaultCost
		if len(a.users) > 0 {
			cost = bcrypt.MinCost
			for _, u := range a.users {
				if c, err := bcrypt.Cost(u.hash); err == nil && c > cost {
					cost = c
				}
			}
		}
		secret := make([]byte, 32)
		_, _ = rand.Read(secret)
		a.dummyHash, _ = bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(secret)), cost)
	})
	return a.dummyHash
}

// Challenge sets WWW-Authenticate for a refused request.
func (a *Auth) Challenge(w http.ResponseWriter) {
	if len(a.users) > 0 {
		w.Header().Add("WWW-Authenticate", `Basic realm="liaisond", charset="UTF-8"`)
	}
	w.Header().Add("WWW-Authenticate", `Bearer realm="liaisond"`)
}
