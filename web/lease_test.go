package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
)

// TestMailboxRoleOnHealthAndReadyz: the health page says whether this
// daemon holds the mailbox, and /readyz fails for a standby.
func TestMailboxRoleOnHealthAndReadyz(t *testing.T) {
	f := newFixture(t)
	expires := testNow.Add(2 * time.Minute)
	holder := &imapwatch.Claim{Holder: imapwatch.Holder{Host: "host-b", PID: 42}, Epoch: 7, Expires: expires}
	tests := []struct {
		name   string
		st     imapwatch.LeaseStatus
		status int
		want   []string
	}{
		{"active", imapwatch.LeaseStatus{Role: imapwatch.RoleActive, Backend: "metadata", Claim: holder, Since: testNow.Add(-time.Hour)}, 200,
			[]string{"mailbox: active, this daemon holds it (claim epoch 7, in metadata)"}},
		{"standby", imapwatch.LeaseStatus{Role: imapwatch.RoleStandby, Backend: "metadata", Claim: holder, Since: testNow, TakeoverAt: expires.Add(30 * time.Second)}, 503,
			[]string{"mailbox: standby, held by host-b pid 42 (epoch 7", "taken over at " + expires.Add(30*time.Second).UTC().Format(time.RFC3339)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.srv.opt.Lease = func() imapwatch.LeaseStatus { return tc.st }
			for _, path := range []string{"/readyz", "/health"} {
				w := f.get(t, path)
				status := 200
				if path == "/readyz" {
					status = tc.status
				}
				if w.Code != status {
					t.Errorf("%s: status %d, want %d", path, w.Code, status)
				}
				for _, s := range tc.want {
					if !strings.Contains(w.Body.String(), s) {
						t.Errorf("%s lacks %q:\n%s", path, s, w.Body.String())
					}
				}
			}
		})
	}
}
