package main

import (
	"testing"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
)

func TestBehind(t *testing.T) {
	claim := func(instance string, epoch uint64) *imapwatch.Claim {
		return &imapwatch.Claim{Holder: imapwatch.Holder{Instance: instance, Session: "s", Host: "h"}, Epoch: epoch}
	}
	tests := []struct {
		name       string
		prev       *imapwatch.Claim
		unfinished bool
		want       bool
	}{
		{"the first daemon ever on the mailbox", nil, false, false},
		{"this database's own claim (a restart)", claim("db-a", 4), false, false},
		{"this database's claim, the last one never recorded (killed at once)", claim("db-a", 9), false, false},
		{"another database's claim (a standby taking over)", claim("db-b", 5), false, true},
		{"a rebuild of this database cut short", claim("db-a", 4), true, true},
		{"a rebuild cut short, no claim left", nil, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := behind(tc.prev, "db-a", tc.unfinished); got != tc.want {
				t.Errorf("behind = %v, want %v", got, tc.want)
			}
		})
	}
}
