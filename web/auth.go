package web

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Auth holds the credentials that grant access: bearer tokens and basic-auth
// users. Who may read anonymously, and the limit on failed attempts, are
// the Server's (ServeHTTP).
type Auth struct {
	// tokens are SHA-256 digests of the accepted bearer tokens.
	tokens [][32]byte
	// users maps a user name to its bcrypt hash.
	users map[string][]byte

	dummyOnce sync.Once
	dummyHash []byte
}

// NewAuth builds an Auth from token digests and bcrypt user hashes.
func NewAuth(tokenDigests [][32]byte, users map[string][]byte) *Auth {
	return &Auth{tokens: tokenDigests, users: users}
}

// TokenDigest is the SHA-256 of a bearer token, as stored in tokens_file
// ("sha256:" + hex).
func TokenDigest(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// LoadAuth reads the tokens file (one token per line, "sha256:<hex>" or the
// token itself; '#' comments) and the users file ("name:bcrypt-hash" per
// line). Empty paths mean none.
func LoadAuth(tokensFile, usersFile string) (*Auth, error) {
	a := &Auth{users: map[string][]byte{}}
	err := eachLine(tokensFile, func(n int, line string) error {
		if hx, ok := strings.CutPrefix(line, "sha256:"); ok {
			b, err := hex.DecodeString(hx)
			if err != nil || len(b) != 32 {
				return fmt.Errorf("line %d: want sha256: and 64 hex digits", n)
			}
			a.tokens = append(a.tokens, [32]byte(b))
			return nil
		}
		a.tokens = append(a.tokens, TokenDigest(line))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: tokens file %s: %w", tokensFile, err)
	}
	err = eachLine(usersFile, func(n int, line string) error {
		name, hash, ok := strings.Cut(line, ":")
		if !ok || name == "" {
			return fmt.Errorf("line %d: want name:bcrypt-hash", n)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return fmt.Errorf("line %d: user %q: not a bcrypt hash: %w", n, name, err)
		}
		a.users[name] = []byte(hash)
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

// Valid reports whether r carries valid credentials: a known bearer token
// or a basic-auth user with the right password. An unknown user's password
// is compared against a dummy hash of the same cost as the users' own, so
// an unknown user and a wrong password take the same time.
func (a *Auth) Valid(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		d := TokenDigest(strings.TrimSpace(tok))
		found := 0
		for _, t := range a.tokens {
			found |= subtle.ConstantTimeCompare(d[:], t[:])
		}
		return found == 1
	}
	if user, pass, ok := r.BasicAuth(); ok {
		hash, known := a.users[user]
		if !known {
			hash = a.dummy()
		}
		return bcrypt.CompareHashAndPassword(hash, []byte(pass)) == nil && known
	}
	return false
}

// dummy returns a hash nobody's password matches, made once with the
// highest cost among the users' hashes.
func (a *Auth) dummy() []byte {
	a.dummyOnce.Do(func() {
		cost := bcrypt.DefaultCost
		if len(a.users) > 0 {
			cost = bcrypt.MinCost
			for _, h := range a.users {
				if c, err := bcrypt.Cost(h); err == nil && c > cost {
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
