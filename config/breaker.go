package config

import "time"

// Defaults of the outbox's circuit breaker. A statement causes one mail
// per manager and chair and a reminder day one per open statement, so 25
// mails to one address within an hour is far above normal traffic and far
// below what a mail loop sends (64 mails in 24 s were measured).
const (
	DefaultRecipientLimit  = 25
	DefaultGlobalLimit     = 250
	DefaultLimitWindow     = Duration(time.Hour)
	DefaultBreakerCooldown = Duration(time.Hour)
)

func (s *SMTP) breakerDefaults(c *Config) {
	if !c.has("smtp.recipient_limit") {
		s.RecipientLimit = DefaultRecipientLimit
	}
	if !c.has("smtp.global_limit") {
		s.GlobalLimit = DefaultGlobalLimit
	}
	if !c.has("smtp.limit_window") {
		s.LimitWindow = DefaultLimitWindow
	}
	if !c.has("smtp.breaker_cooldown") {
		s.BreakerCooldown = DefaultBreakerCooldown
	}
}

func (s *SMTP) validateBreaker(v *checker) {
	if s.RecipientLimit < 1 {
		v.errf("smtp.recipient_limit", "must be at least 1 (mails to one address per limit_window)")
	}
	if s.GlobalLimit < s.RecipientLimit {
		v.errf("smtp.global_limit", "must be at least recipient_limit (%d)", s.RecipientLimit)
	}
	if s.LimitWindow < Duration(time.Minute) {
		v.errf("smtp.limit_window", "must be at least 1m")
	}
}
