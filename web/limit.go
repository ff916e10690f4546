package web

import (
	"net/netip"
	"sync"
	"time"
)

// LimitPolicy says how many failed sign-ins a client may make.
//
// A client may fail Free times. Each further failure locks it out for Base,
// doubled per extra failure, at most Max; while locked out its requests
// with credentials are refused (429) before any password is checked, so
// guessing costs the guesser time instead of costing the daemon a bcrypt
// comparison (about 60 ms of CPU) per request. A successful sign-in forgets
// the client's failures, and so does Forget without a failure.
//
// An attempt counts as failed from the moment it starts until it succeeds,
// so a flood of parallel requests cannot slip past the count while their
// passwords are being checked.
type LimitPolicy struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Forget time.Duration
	// Size caps the clients remembered; when the table is full the client
	// whose last attempt is oldest is forgotten first.
	Size int
}

// DefaultLimitPolicy allows 10 failures (a browser's parallel requests with
// a mistyped password stay within it), then locks out for 1 s, 2 s, 4 s...
// up to 15 minutes, forgetting after an hour; it remembers 10,000 clients.
var DefaultLimitPolicy = LimitPolicy{Free: 10, Base: time.Second, Max: 15 * time.Minute, Forget: time.Hour, Size: 10_000}

// Limiter applies a LimitPolicy per client. IPv6 clients are counted per
// /64 (one host's usual allocation), IPv4 clients per address; every client
// whose address cannot be told shares one count. It is safe for concurrent
// use.
type Limiter struct {
	pol LimitPolicy
	now func() time.Time

	mu      sync.Mutex
	clients map[netip.Prefix]*attempts
}

type attempts struct {
	fails int
	last  time.Time // the last attempt
	until time.Time // locked out until then
}

// NewLimiter makes a limiter with policy pol and clock now.
func NewLimiter(pol LimitPolicy, now func() time.Time) *Limiter {
	return &Limiter{pol: pol, now: now, clients: map[netip.Prefix]*attempts{}}
}

func limitKey(a netip.Addr) netip.Prefix {
	switch {
	case !a.IsValid():
		return netip.Prefix{}
	case a.Is4():
		return netip.PrefixFrom(a, 32)
	default:
		p, _ := a.Prefix(64)
		return p
	}
}

// Begin starts a sign-in attempt by client. When the client is locked out
// it returns how long remains (and the attempt must be refused unchecked);
// otherwise it returns 0 and counts the attempt as failed until Succeeded
// is called. lockout reports that the client will be locked out unless this
// attempt succeeds (so a failure can be logged once per lockout, not once
// per request).
func (l *Limiter) Begin(client netip.Addr) (wait time.Duration, lockout bool) {
	now := l.now()
	k := limitKey(client)
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.clients[k]
	if a != nil && now.Sub(a.last) >= l.pol.Forget {
		a = nil
	}
	if a == nil {
		l.makeRoom(now)
		a = &attempts{}
		l.clients[k] = a
	}
	if a.until.After(now) {
		return a.until.Sub(now), false
	}
	a.fails++
	a.last = now
	if extra := a.fails - l.pol.Free; extra > 0 {
		d := l.pol.Base
		for i := 1; i < extra && d < l.pol.Max; i++ {
			d *= 2
		}
		a.until = now.Add(min(d, l.pol.Max))
		return 0, true
	}
	return 0, false
}

// Succeeded forgets client's failures: its credentials were good.
func (l *Limiter) Succeeded(client netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.clients, limitKey(client))
}

// makeRoom drops forgotten clients, and the stalest one if the table is
// still full. Called with mu held, only when a client is added.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.clients) < l.pol.Size {
		return
	}
	var stale netip.Prefix
	var staleAt time.Time
	for k, a := range l.clients {
		if now.Sub(a.last) >= l.pol.Forget && !a.until.After(now) {
			delete(l.clients, k)
			continue
		}
		if staleAt.IsZero() || a.last.Before(staleAt) {
			stale, staleAt = k, a.last
		}
	}
	if len(l.clients) >= l.pol.Size {
		delete(l.clients, stale)
	}
}
