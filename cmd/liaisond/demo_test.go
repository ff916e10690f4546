package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the README's zero-setup command in-process and checks it
// shows what it promises: every sample recorded, a routed statement, a
// manager-less one, a misdirected one, a duplicate, an auto-reply, and the
// mail sent.
func TestDemo(t *testing.T) {
	var out, errb bytes.Buffer
	code := runMain(&cmdEnv{stdout: &out, stderr: &errb, now: time.Now}, []string{"demo"})
	if code != 0 {
		t.Fatalf("demo exit %d: %s\n%s", code, errb.String(), out.String())
	}
	got := out.String()
	for _, want := range []string{
		"all 6 seeded messages recorded",
		"routed notice accepted by SMTP",
		"from itu-t-sg15 (ITU-T Study Group 15) -> ccamp",
		"no manager: IAB",
		"misdirected (not_to_liaison_address)",
		"duplicate of LS-",
		"autoreply",
		"== Mail sent (15)",
		"Needs the IAB",
		"== Follow-up:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("demo output:\n%s", got)
	}
}
