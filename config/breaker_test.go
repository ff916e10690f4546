package config

import (
	"testing"
	"time"
)

func TestBreakerConfig(t *testing.T) {
	const smtp = "smtp:\n  address: localhost:25\n  tls: none\n  from: d@ietf.example\n"
	bad := []struct{ name, yaml, want string }{
		{"zero recipient limit", head + smtp + "  recipient_limit: 0\n", "t.yaml:7: smtp.recipient_limit: must be at least 1 (mails to one address per limit_window)"},
		{"global below recipient", head + smtp + "  recipient_limit: 50\n  global_limit: 10\n", "t.yaml:8: smtp.global_limit: must be at least recipient_limit (50)"},
		{"tiny window", head + smtp + "  limit_window: 10s\n", "t.yaml:7: smtp.limit_window: must be at least 1m"},
		{"negative cool-down", head + smtp + "  breaker_cooldown: -1h\n", "t.yaml:7: smtp.breaker_cooldown: negative duration"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	c, err := Parse("t.yaml", []byte(head+smtp))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.SMTP; s.RecipientLimit != 25 || s.GlobalLimit != 250 || s.LimitWindow.D() != time.Hour || s.BreakerCooldown.D() != time.Hour {
		t.Errorf("defaults: %+v", s)
	}
	c, err = Parse("t.yaml", []byte(head+smtp+"  recipient_limit: 5\n  global_limit: 40\n  limit_window: 10m\n  breaker_cooldown: 0s\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.SMTP; s.RecipientLimit != 5 || s.GlobalLimit != 40 || s.LimitWindow.D() != 10*time.Minute || s.BreakerCooldown != 0 {
		t.Errorf("values: %+v", s)
	}
}
