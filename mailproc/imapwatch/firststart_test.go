package imapwatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/internal/netdiag"
	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// On first start a misconfiguration ends Run at once with an explained
// error, for each way of getting it wrong, against a real Dovecot.
func TestFirstStartFailuresEndRun(t *testing.T) {
	plain := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	withTLS := testsvc.StartDovecot(t, testsvc.DovecotOptions{TLS: true})
	closed := fmt.Sprintf("127.0.0.1:%d", testsvc.FreePort(t))
	tests := []struct {
		name     string
		d        *testsvc.Dovecot
		mod      func(*Options)
		kind     netdiag.Kind
		hint     string
		wantPerm bool
	}{
		{"closed port", plain, func(o *Options) { o.Address = closed }, netdiag.Refused, "nothing accepts connections there", false},
		{"implicit TLS on a plain port", plain, func(o *Options) { o.TLS = TLSImplicit }, netdiag.NotTLS, "does not speak TLS on this port", true},
		{"STARTTLS on a server without it", plain, func(o *Options) { o.TLS = TLSStartTLS }, netdiag.NoSTARTTLS, "does not offer STARTTLS", true},
		{"plain text to an implicit-TLS port", withTLS, func(o *Options) { o.Address = withTLS.TLSAddr() }, netdiag.Timeout, "set tls: implicit", false},
		{"wrong password", plain, func(o *Options) { o.Password = "not-the-secret" }, netdiag.AuthRejected, "refused the user name or password", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := baseOptions(t, tc.d)
			tc.mod(&opt)
			var logs syncBuffer
			opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			w := newWatcher(t, opt, newFakeSink())
			w.dialTimeout = 6 * time.Second // above Dovecot's 2s delay before refusing a password
			done := make(chan error, 1)
			go func() { done <- w.Run(context.Background()) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("Run kept retrying a first start that cannot work")
			}
			if !errors.Is(err, ErrFirstConnect) || netdiag.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.hint) {
				t.Fatalf("Run = %v (kind %d), want ErrFirstConnect, kind %d, hint %q", err, netdiag.KindOf(err), tc.kind, tc.hint)
			}
			if IsPermanent(err) != tc.wantPerm {
				t.Errorf("IsPermanent = %v, want %v", IsPermanent(err), tc.wantPerm)
			}
			if strings.Contains(logs.String(), "connection lost") {
				t.Errorf("a connection that never existed is said to be lost:\n%s", logs.String())
			}
			if strings.Contains(err.Error(), "not-the-secret") || strings.Contains(logs.String(), "not-the-secret") {
				t.Error("the password leaked")
			}
		})
	}
}

// After a first session, an outage is retried with backoff, not fatal:
// "connection lost" once, then "cannot reconnect" while the server is down.
func TestLaterOutageKeepsReconnecting(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	sink := newFakeSink()
	opt := baseOptions(t, d)
	var logs syncBuffer
	opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	w := newWatcher(t, opt, sink)
	w.dialTimeout = 2 * time.Second
	stop := runWatcher(t, w)
	waitSynced(t, w)
	d.Stop(t)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(logs.String(), "cannot reconnect") {
		if time.Now().After(deadline) {
			t.Fatalf("no reconnect attempt logged:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.Start(t)
	d.Append(t, "INBOX", testMessage(1, "after the outage"))
	sink.waitCount(t, "INBOX", 1, 30*time.Second)
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled after reconnecting", err)
	}
	if n := strings.Count(logs.String(), "connection lost"); n != 1 {
		t.Errorf("%q logged %d times, want once (for the session that existed):\n%s", "connection lost", n, logs.String())
	}
}

func TestProbeReportsCapabilitiesAndFolders(t *testing.T) {
	d := testsvc.StartDovecot(t, testsvc.DovecotOptions{})
	d.Append(t, "wg-ccamp", testMessage(1, "x"))
	opt := baseOptions(t, d)
	opt.Folders = []Folder{{Name: "INBOX"}, {Name: "wg-ccamp", WGList: "ccamp"}, {Name: "wg-teas", WGList: "teas"}}
	opt.FailedFolder = "Failed"
	r, err := Probe(context.Background(), opt, ProbeFolders{})
	if err != nil {
		t.Fatal(err)
	}
	caps := strings.Join(r.Capabilities, " ")
	if !strings.Contains(caps, "IDLE") || !strings.Contains(caps, "MOVE") {
		t.Errorf("capabilities = %s", caps)
	}
	got := fmt.Sprint(r.Folders)
	want := "[{INBOX watched true} {wg-ccamp watched true} {wg-teas watched false} {Processed processed_folder false} {Failed failed_folder false}]"
	if got != want {
		t.Errorf("folders = %s, want %s", got, want)
	}
	opt.Password = "wrong"
	if _, err := Probe(context.Background(), opt, ProbeFolders{}); netdiag.KindOf(err) != netdiag.AuthRejected {
		t.Errorf("wrong password: %v", err)
	}
}
