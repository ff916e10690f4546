package imapwatch

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

func TestBackoffSchedule(t *testing.T) {
	tests := []struct {
		name string
		r    float64
		want []time.Duration
	}{
		{"no jitter draws half", 0, []time.Duration{
			500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
			16 * time.Second, 32 * time.Second, 64 * time.Second, 128 * time.Second, 150 * time.Second, 150 * time.Second}},
		{"half jitter", 0.5, []time.Duration{
			750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 12 * time.Second,
			24 * time.Second, 48 * time.Second, 96 * time.Second, 192 * time.Second, 225 * time.Second, 225 * time.Second}},
		{"out-of-range rand is clamped", 7, []time.Duration{500 * time.Millisecond, time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := backoff{base: time.Second, max: 5 * time.Minute, rand: func() float64 { return tc.r }}
			for i, want := range tc.want {
				if got := b.next(); got != want {
					t.Fatalf("delay %d = %v, want %v", i, got, want)
				}
			}
			b.reset()
			if got := b.next(); got != tc.want[0] {
				t.Fatalf("after reset = %v, want %v", got, tc.want[0])
			}
		})
	}
}

func TestBackoffJitterStaysInRange(t *testing.T) {
	draws := []float64{0, 0.1, 0.37, 0.5, 0.9, 0.999999}
	i := 0
	b := backoff{base: time.Second, max: 5 * time.Minute, rand: func() float64 { i++; return draws[i%len(draws)] }}
	nominal := time.Second
	for n := 0; n < 20; n++ {
		d := b.next()
		if d < nominal/2 || d >= nominal {
			t.Fatalf("attempt %d: delay %v outside [%v, %v)", n, d, nominal/2, nominal)
		}
		nominal = min(nominal*2, 5*time.Minute)
	}
}

type nopSink struct{ memAttempts }

func (*nopSink) Reject(context.Context, Folder, uint32, Message, string) error { return nil }

func (*nopSink) Checkpoint(string) (Checkpoint, error) { return Checkpoint{}, nil }
func (*nopSink) Deliver(context.Context, Folder, uint32, []Message) ([]Outcome, error) {
	return nil, nil
}

func TestNewValidation(t *testing.T) {
	base := func() Options {
		return Options{Address: "127.0.0.1:143", TLS: TLSNone, Username: "u", Password: "p",
			Folders: []Folder{{Name: "INBOX"}}, ProcessedFolder: "Processed"}
	}
	tests := []struct {
		name    string
		mod     func(*Options)
		wantErr string // "" = valid
		insec   bool   // want ErrInsecure
	}{
		{"valid loopback plain", func(o *Options) {}, "", false},
		{"valid localhost plain", func(o *Options) { o.Address = "localhost:143" }, "", false},
		{"valid ipv6 loopback", func(o *Options) { o.Address = "[::1]:143" }, "", false},
		{"plain to remote refused", func(o *Options) { o.Address = "imap.example.org:143" }, "non-loopback", true},
		{"plain to remote ip refused", func(o *Options) { o.Address = "192.0.2.1:143" }, "non-loopback", true},
		{"plain to remote allowed", func(o *Options) { o.Address = "imap.example.org:143"; o.AllowInsecure = true }, "", false},
		{"tls to remote", func(o *Options) { o.Address = "imap.example.org:993"; o.TLS = TLSImplicit }, "", false},
		{"default tls mode", func(o *Options) { o.Address = "imap.example.org:993"; o.TLS = "" }, "", false},
		{"starttls to remote", func(o *Options) { o.Address = "imap.example.org:143"; o.TLS = TLSStartTLS }, "", false},
		{"unknown tls", func(o *Options) { o.TLS = "ssl" }, "unknown TLS mode", false},
		{"no port", func(o *Options) { o.Address = "127.0.0.1" }, "host:port", false},
		{"no user", func(o *Options) { o.Username = "" }, "username", false},
		{"no password", func(o *Options) { o.Password = "" }, "password", false},
		{"no folders", func(o *Options) { o.Folders = nil }, "no folders", false},
		{"empty folder", func(o *Options) { o.Folders = []Folder{{}} }, "empty name", false},
		{"duplicate folder", func(o *Options) { o.Folders = append(o.Folders, Folder{Name: "INBOX"}) }, "twice", false},
		{"processed is watched", func(o *Options) { o.ProcessedFolder = "INBOX" }, "destination", false},
		{"failed is watched", func(o *Options) { o.FailedFolder = "INBOX" }, "destination", false},
		{"idle restart too long", func(o *Options) { o.IdleRestart = 29 * time.Minute }, "below", false},
		{"negative batch", func(o *Options) { o.BatchSize = -1 }, "negative", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := base()
			tc.mod(&o)
			w, err := New(o, &nopSink{})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if w.opt.BatchSize != DefaultBatchSize || w.opt.IdleRestart != DefaultIdleRestart || w.opt.PollInterval != DefaultPollInterval {
					t.Fatalf("defaults not applied: %+v", w.opt)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New error = %v, want it to contain %q", err, tc.wantErr)
			}
			if got := errors.Is(err, ErrInsecure); got != tc.insec {
				t.Fatalf("errors.Is(err, ErrInsecure) = %v, want %v", got, tc.insec)
			}
		})
	}
	if _, err := New(base(), nil); err == nil {
		t.Fatal("New with a nil sink succeeded")
	}
}

func TestTLSServerNameDefaultsToHost(t *testing.T) {
	w, err := New(Options{Address: "imap.example.org:993", Username: "u", Password: "p",
		Folders: []Folder{{Name: "INBOX"}}}, &nopSink{})
	if err != nil {
		t.Fatal(err)
	}
	if w.opt.TLS != TLSImplicit || w.opt.TLSConfig.ServerName != "imap.example.org" {
		t.Fatalf("TLS = %q, ServerName = %q", w.opt.TLS, w.opt.TLSConfig.ServerName)
	}
}

func TestOptionsLogValueHidesPassword(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	o := Options{Address: "127.0.0.1:143", Username: "liaison", Password: "hunter2-secret", Folders: []Folder{{Name: "INBOX"}}}
	log.Info("starting", slog.Any("options", o))
	if strings.Contains(buf.String(), "hunter2") {
		t.Fatalf("password logged: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "liaison") || !strings.Contains(buf.String(), "INBOX") {
		t.Fatalf("log lacks the useful fields: %s", buf.String())
	}
}

func TestIsPermanent(t *testing.T) {
	authNo := &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "Authentication failed."}
	tempNo := &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeUnavailable, Text: "Temporary authentication failure."}
	tests := []struct {
		name      string
		err       error
		loginPerm bool
		perm      bool
	}{
		{"auth failed", authNo, true, false},
		{"temporary auth failure", tempNo, false, false},
		{"network", errors.New("connection reset"), false, false},
		{"marked permanent", permanent(errors.New("x")), false, true},
		{"wrapped permanent", errors.Join(errors.New("ctx"), permanent(errors.New("x"))), false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := loginFailed(tc.err); got != tc.loginPerm {
				t.Errorf("loginFailed = %v, want %v", got, tc.loginPerm)
			}
			if got := IsPermanent(tc.err); got != tc.perm {
				t.Errorf("IsPermanent = %v, want %v", got, tc.perm)
			}
		})
	}
}
