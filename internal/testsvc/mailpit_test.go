package testsvc

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

func sendRaw(t *testing.T, c *smtp.Client, subject string) {
	t.Helper()
	msg := "From: a@example.org\r\nTo: b@example.org\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", "-") + "@example.org>\r\n\r\nbody\r\n"
	if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("quit: %v", err)
	}
}

func TestMailpitLifecycle(t *testing.T) {
	mp := StartMailpit(t, MailpitOptions{})
	c, err := smtp.Dial(mp.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	sendRaw(t, c, "first message")
	msgs := mp.WaitFor(t, 1, 5*time.Second)
	if len(msgs) != 1 || msgs[0].Subject != "first message" || msgs[0].MessageID != "first-message@example.org" ||
		msgs[0].From != "a@example.org" || len(msgs[0].To) != 1 || msgs[0].To[0] != "b@example.org" {
		t.Fatalf("messages = %+v", msgs)
	}
	if raw := mp.Raw(t, msgs[0].ID); !bytes.Contains(raw, []byte("Subject: first message")) {
		t.Errorf("raw = %q", raw)
	}

	mp.Stop(t)
	if conn, err := net.DialTimeout("tcp", mp.SMTPAddr(), time.Second); err == nil {
		conn.Close()
		t.Fatal("SMTP port still open after Stop")
	}
	mp.Start(t)
	if got := mp.Messages(t); len(got) != 1 {
		t.Fatalf("after restart: %d messages, want the 1 kept in the database", len(got))
	}
	mp.DeleteAll(t)
	if got := mp.Messages(t); len(got) != 0 {
		t.Fatalf("after DeleteAll: %d messages", len(got))
	}
}

func TestMailpitTLSModes(t *testing.T) {
	tests := []struct {
		name string
		opt  MailpitOptions
		dial func(addr string, cfg *tls.Config) (*smtp.Client, error)
	}{
		{"starttls", MailpitOptions{STARTTLS: true}, smtp.DialStartTLS},
		{"implicit", MailpitOptions{ImplicitTLS: true}, smtp.DialTLS},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mp := StartMailpit(t, tc.opt)
			if mp.Cert == nil {
				t.Fatal("no certificate")
			}
			c, err := tc.dial(mp.SMTPAddr(), mp.Cert.ClientConfig())
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := c.TLSConnectionState(); !ok {
				t.Fatal("connection is not TLS")
			}
			sendRaw(t, c, "tls "+tc.name)
			if msgs := mp.WaitFor(t, 1, 5*time.Second); msgs[0].Subject != "tls "+tc.name {
				t.Errorf("subject %q", msgs[0].Subject)
			}
		})
	}
}

func TestMailpitAuthAndChaos(t *testing.T) {
	mp := StartMailpit(t, MailpitOptions{Users: map[string]string{"liaisond": "s3cret"}, Chaos: true})
	c, err := smtp.Dial(mp.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(sasl.NewPlainClient("", "liaisond", "wrong")); err == nil {
		t.Fatal("wrong password accepted")
	}
	c.Close()

	mp.SetChaos(t, Chaos{Recipient: ChaosTrigger{ErrorCode: 451, Probability: 100}})
	c, err = smtp.Dial(mp.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", "liaisond", "s3cret")); err != nil {
		t.Fatalf("auth: %v", err)
	}
	err = c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader("Subject: x\r\n\r\nx\r\n"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 451 {
		t.Fatalf("chaos: got %v, want a 451 reply", err)
	}
}
