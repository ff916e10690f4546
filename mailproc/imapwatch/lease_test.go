package imapwatch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

func TestJudge(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	grace := 30 * time.Second
	me := Holder{Instance: "db-a", Session: "s2", Host: "host-a", PID: 20}
	claim := func(h Holder, expires time.Time, released bool) *Claim {
		return &Claim{Holder: h, Expires: expires, Released: released}
	}
	other := Holder{Instance: "db-b", Session: "s9", Host: "host-b", PID: 90}
	tests := []struct {
		name  string
		cur   *Claim
		want  verdict
		until time.Time
	}{
		{"no claim", nil, take, time.Time{}},
		{"own session", claim(me, now.Add(time.Minute), false), renew, time.Time{}},
		{"own session, released", claim(me, now, true), take, time.Time{}},
		{"this data dir's killed process on this host", claim(Holder{Instance: "db-a", Session: "s1", Host: "host-a"}, now.Add(time.Minute), false), take, time.Time{}},
		{"a copy of this database on another host", claim(Holder{Instance: "db-a", Session: "s1", Host: "host-c"}, now.Add(time.Minute), false), wait, now.Add(time.Minute + grace)},
		{"another daemon, fresh", claim(other, now.Add(time.Minute), false), wait, now.Add(time.Minute + grace)},
		{"another daemon, expired within the grace", claim(other, now.Add(-10*time.Second), false), wait, now.Add(20 * time.Second)},
		{"another daemon, expired past the grace", claim(other, now.Add(-grace), false), take, time.Time{}},
		{"another daemon, released", claim(other, now.Add(time.Minute), true), take, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, until := judge(tc.cur, me, now, grace)
			if v != tc.want || !until.Equal(tc.until) {
				t.Errorf("judge = %v until %v, want %v until %v", v, until, tc.want, tc.until)
			}
		})
	}
}

func TestCurrentClaimChain(t *testing.T) {
	c := func(n string) *Claim { return &Claim{Holder: Holder{Session: n}, Nonce: n} }
	tests := []struct {
		name string
		msgs []leaseMsg
		want uint32 // UID of the current claim, 0: none
	}{
		{"empty", nil, 0},
		{"first claim", []leaseMsg{{uid: 1, claim: c("a")}}, 1},
		{"renewals in a chain", []leaseMsg{{uid: 1, claim: c("a")}, {uid: 2, base: 1, claim: c("a")}, {uid: 3, base: 2, claim: c("a")}}, 3},
		{"two racing first claims: the first wins", []leaseMsg{{uid: 1, claim: c("a")}, {uid: 2, base: 0, claim: c("b")}}, 1},
		{"a renewal racing a takeover: the first to name the current wins",
			[]leaseMsg{{uid: 5, claim: c("a")}, {uid: 6, base: 5, claim: c("b")}, {uid: 7, base: 5, claim: c("a")}}, 6},
		{"after expunging below the current", []leaseMsg{{uid: 6, base: 5, claim: c("b")}, {uid: 7, base: 5, claim: c("a")}, {uid: 8, base: 6, claim: c("b")}}, 8},
		{"an unreadable message is skipped", []leaseMsg{{uid: 1}, {uid: 2, claim: c("a")}, {uid: 3, base: 2}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := currentClaim(tc.msgs)
			if (got == nil && tc.want != 0) || (got != nil && got.uid != tc.want) {
				t.Errorf("current = %+v, want UID %d", got, tc.want)
			}
		})
	}
}

func TestLeaseMessageRoundTrip(t *testing.T) {
	cl := Claim{Holder: Holder{Instance: "i", Session: "s", Host: "h\r\nBcc: x", PID: 4}, Epoch: 3, Nonce: "n",
		Renewed: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), Expires: time.Date(2026, 11, 28, 9, 2, 0, 0, time.UTC)}
	raw, err := leaseMessage(cl, 41)
	if err != nil {
		t.Fatal(err)
	}
	m := parseLeaseMsg(42, raw)
	if m.base != 41 || m.claim == nil || m.claim.Nonce != "n" || m.claim.Host != cl.Host || m.claim.Epoch != 3 {
		t.Fatalf("parsed %+v (claim %+v)", m, m.claim)
	}
}

// fakeClock is a settable clock shared by the leases of a test. A running
// clock also moves with real time from when it was made, so that the
// timing guards of a race see the real delays of the host.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	running bool
	start   time.Time
}

func runningClock(t time.Time) *fakeClock {
	return &fakeClock{t: t, running: true, start: time.Now()}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return c.t.Add(time.Since(c.start))
	}
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestLease(t *testing.T, d *testsvc.Dovecot, clock *fakeClock, h Holder, ttl time.Duration) *Lease {
	t.Helper()
	side, err := NewSide(baseOptions(t, d))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(side.Close)
	l, err := NewLease(LeaseOptions{Side: side, Folder: "liaisond-lease", TTL: ttl, Holder: h, Now: clock.Now, Log: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLeaseOverDovecot runs two daemons' leases against one mailbox, with
// the claim in METADATA and in the lease folder: one holds it, the other
// waits until the claim expires (on an injected clock), takes over, and
// the first learns it lost the mailbox.
func TestLeaseOverDovecot(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opt     testsvc.DovecotOptions
		backend string
	}{
		{"metadata", testsvc.DovecotOptions{}, "metadata"},
		{"folder", testsvc.DovecotOptions{NoMetadata: true}, "folder liaisond-lease"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testsvc.StartDovecot(t, tc.opt)
			clock := &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
			ttl := 2 * time.Minute
			a := newTestLease(t, d, clock, Holder{Instance: "db-a", Session: "sa", Host: "host-a", PID: 1}, ttl)
			b := newTestLease(t, d, clock, Holder{Instance: "db-b", Session: "sb", Host: "host-b", PID: 2}, ttl)
			ctx := context.Background()

			prev, err := a.Acquire(ctx)
			if err != nil || prev != nil {
				t.Fatalf("A acquires a free mailbox: prev %v, err %v", prev, err)
			}
			if err := a.Held(); err != nil {
				t.Fatalf("A holds the mailbox but Held says %v", err)
			}
			if st := a.Status(); st.Role != RoleActive || st.Backend != tc.backend || st.Claim.Epoch != 1 {
				t.Fatalf("A's status %+v", st)
			}
			res, err := b.Try(ctx)
			if err != nil || res.Acquired || res.Holder == nil || res.Holder.Session != "sa" {
				t.Fatalf("B while A holds: %+v, %v", res, err)
			}
			if want := clock.Now().Add(ttl + ttl/4); !res.TakeoverAt.Equal(want) {
				t.Errorf("B takes over at %v, want expiry+grace %v", res.TakeoverAt, want)
			}
			if err := b.Held(); !errors.Is(err, ErrNotHolder) {
				t.Errorf("standby B: Held = %v", err)
			}
			if st := b.Status(); st.Role != RoleStandby || st.Claim.Host != "host-a" {
				t.Errorf("B's status %+v", st)
			}

			// A renews: B still waits, now for the renewed claim.
			clock.Add(ttl / 4)
			if res, err := a.Try(ctx); err != nil || !res.Acquired {
				t.Fatalf("A renews: %+v, %v", res, err)
			}
			clock.Add(ttl) // A's claim expired, but not the grace
			if err := a.Held(); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("A acts on a stale claim: Held = %v", err)
			}
			if res, _ := b.Try(ctx); res.Acquired {
				t.Fatal("B took over within the grace")
			}
			clock.Add(ttl/4 + time.Second) // A is gone: B takes over
			prev, err = b.Acquire(ctx)
			if err != nil || prev == nil || prev.Session != "sa" || prev.Epoch != 1 {
				t.Fatalf("B takes over: prev %+v, err %v", prev, err)
			}
			if st := b.Status(); st.Role != RoleActive || st.Claim.Epoch != 2 {
				t.Errorf("B's status %+v", st)
			}
			// A comes back: it must see that it lost.
			res, err = a.Try(ctx)
			if err != nil || res.Acquired || res.Holder.Session != "sb" {
				t.Fatalf("A after the takeover: %+v, %v", res, err)
			}
			// B stops cleanly: A need not wait.
			if err := b.Release(ctx); err != nil {
				t.Fatal(err)
			}
			if prev, err := a.Acquire(ctx); err != nil || prev == nil || !prev.Released || prev.Epoch != 2 {
				t.Fatalf("A after B released: prev %+v, err %v", prev, err)
			}
		})
	}
}

// TestLeaseRaceHasOneWinner lets several daemons claim a free mailbox at
// the same moment, many times over, on a clock that moves with the host's
// real delays: never more than one holds it, and one soon does. A daemon
// too slow to trust its write (ErrLateClaim, likely on a loaded host)
// holds nothing; the round then goes on once its claim has expired.
func TestLeaseRaceHasOneWinner(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  testsvc.DovecotOptions
	}{
		{"metadata", testsvc.DovecotOptions{}},
		{"folder", testsvc.DovecotOptions{NoMetadata: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := testsvc.StartDovecot(t, tc.opt)
			clock := runningClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
			const n, rounds, attempts = 3, 8, 6
			ttl := 8 * time.Second // settle 400ms
			var leases []*Lease
			for i := range n {
				leases = append(leases, newTestLease(t, d, clock, Holder{Instance: fmt.Sprintf("db-%d", i), Session: fmt.Sprintf("s%d", i), Host: fmt.Sprintf("host-%d", i)}, ttl))
			}
			late := 0
			for r := range rounds {
				won := int32(0)
				for a := 0; a < attempts && won == 0; a++ {
					clock.Add(2 * ttl) // whoever held or disowned it before has expired
					var wins, lates atomic.Int32
					var wg sync.WaitGroup
					for _, l := range leases {
						wg.Add(1)
						go func() {
							defer wg.Done()
							res, err := l.Try(context.Background())
							switch {
							case errors.Is(err, ErrLateClaim):
								lates.Add(1)
							case err != nil:
								t.Errorf("round %d: %v", r, err)
							}
							if res.Acquired {
								if err != nil {
									t.Errorf("round %d: acquired with an error: %v", r, err)
								}
								wins.Add(1)
							}
						}()
					}
					wg.Wait()
					won, late = wins.Load(), late+int(lates.Load())
					if won > 1 {
						t.Fatalf("round %d, attempt %d: %d daemons hold the mailbox, want at most 1", r, a, won)
					}
				}
				if won != 1 {
					t.Fatalf("round %d: nobody took the free mailbox in %d attempts", r, attempts)
				}
			}
			t.Logf("%d late writes disowned over %d rounds", late, rounds)
		})
	}
}

// TestLeaseKeep renews on an injected clock (Sleep advances it) and ends
// with ErrLeaseLost when another daemon took the mailbox, or when the
// server stayed away until the claim was too old to act on.
func TestLeaseKeep(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	clock := &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	ttl := 2 * time.Minute
	a := newTestLease(t, d, clock, Holder{Instance: "db-a", Session: "sa", Host: "host-a"}, ttl)
	ctx := context.Background()
	if _, err := a.Acquire(ctx); err != nil {
		t.Fatal(err)
	}

	t.Run("taken over", func(t *testing.T) {
		// Another daemon whose clock runs ten minutes ahead judges A's
		// claim expired and takes the mailbox (a clock far outside the
		// tolerated skew): A must see it at its next renewal and stop.
		ahead := &fakeClock{t: clock.Now().Add(10 * time.Minute)}
		b := newTestLease(t, d, ahead, Holder{Instance: "db-b", Session: "sb", Host: "host-b"}, ttl)
		sleeps := 0
		a.opt.Sleep = func(ctx context.Context, dur time.Duration) error {
			clock.Add(dur)
			if sleeps++; sleeps == 3 {
				if res, err := b.Try(ctx); err != nil || !res.Acquired {
					t.Errorf("B takes over: %+v, %v", res, err)
				}
			}
			return nil
		}
		err := a.Keep(ctx)
		if !errors.Is(err, ErrLeaseLost) || sleeps != 3 {
			t.Fatalf("Keep = %v after %d sleeps, want ErrLeaseLost after 3", err, sleeps)
		}
		if err := a.Held(); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("Held after the loss = %v", err)
		}
		if st := a.Status(); st.Role != RoleStandby || st.Claim.Session != "sb" {
			t.Errorf("A's status %+v", st)
		}
		if err := b.Release(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("server away", func(t *testing.T) {
		if _, err := a.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		var renewedUntil time.Time
		a.opt.Sleep = func(ctx context.Context, dur time.Duration) error {
			clock.Add(dur)
			if renewedUntil.IsZero() {
				renewedUntil = a.Status().Claim.Expires
				d.Stop(t)
			}
			return nil
		}
		err := a.Keep(ctx)
		if !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("Keep with the server away = %v, want ErrLeaseLost", err)
		}
		if now := clock.Now(); now.Before(renewedUntil.Add(-ttl/4)) || now.After(renewedUntil) {
			t.Errorf("gave up at %v; want between the deadline %v and the expiry %v", now, renewedUntil.Add(-ttl/4), renewedUntil)
		}
	})
}

// TestLeaseLateWriteIsDisowned plays the race a loaded host loses: B reads
// the free claim, stalls, and writes only after A has taken the mailbox
// and read its own write back. B's write lands on top of A's, so neither
// may trust it: B disowns it (ErrLateClaim) and waits it out instead of
// renewing it, A sees it at its next renewal and stops, and once it has
// expired the mailbox is taken again. At no point do both hold it.
func TestLeaseLateWriteIsDisowned(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	clock := &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	ttl := 8 * time.Second // settle 400ms: a write is trusted within 200ms of its read
	a := newTestLease(t, d, clock, Holder{Instance: "db-a", Session: "sa", Host: "host-a"}, ttl)
	b := newTestLease(t, d, clock, Holder{Instance: "db-b", Session: "sb", Host: "host-b"}, ttl)
	ctx := context.Background()
	oneHolder := func(step string) {
		t.Helper()
		if a.Held() == nil && b.Held() == nil {
			t.Fatalf("%s: both daemons hold the mailbox", step)
		}
	}

	bRead, aDone := make(chan struct{}), make(chan struct{})
	b.beforeWrite = func() {
		close(bRead)
		<-aDone
		clock.Add(time.Second) // B's stall
	}
	type result struct {
		res TryResult
		err error
	}
	bRes := make(chan result, 1)
	go func() {
		res, err := b.Try(ctx)
		bRes <- result{res, err}
	}()
	<-bRead
	res, err := a.Try(ctx)
	if err != nil || !res.Acquired {
		t.Fatalf("A takes the free mailbox while B stalls: %+v, %v", res, err)
	}
	close(aDone)
	br := <-bRes
	b.beforeWrite = nil
	if !errors.Is(br.err, ErrLateClaim) || br.res.Acquired {
		t.Fatalf("B's late write: %+v, %v; want ErrLateClaim and no claim", br.res, br.err)
	}
	oneHolder("after B's late write")

	// B must not renew the claim it disowned, however often it tries.
	for range 3 {
		res, err := b.Try(ctx)
		if err != nil || res.Acquired || res.Holder == nil || res.Holder.Session != "sb" {
			t.Fatalf("B after disowning: %+v, %v; want to wait on its own late claim", res, err)
		}
		oneHolder("B waits")
	}
	// A's renewal finds B's claim and gives the mailbox up.
	res, err = a.Try(ctx)
	if err != nil || res.Acquired {
		t.Fatalf("A's renewal over B's late claim: %+v, %v; want to lose it", res, err)
	}
	if a.Held() == nil {
		t.Fatal("A still acts after its claim was overwritten")
	}
	// Once the late claim has expired, the mailbox is taken again.
	clock.Add(ttl + ttl/4 + time.Second)
	res, err = a.Try(ctx)
	if err != nil || !res.Acquired || res.Prev == nil || res.Prev.Session != "sb" {
		t.Fatalf("A after the late claim expired: %+v, %v", res, err)
	}
	if res, err := b.Try(ctx); err != nil || res.Acquired {
		t.Fatalf("B after A took the mailbox back: %+v, %v", res, err)
	}
	oneHolder("A took it back")
}
