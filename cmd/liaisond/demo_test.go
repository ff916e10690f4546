package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
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
		"== Mail sent (21)",
		"Coordinate: 1 other relationship's statement to teas",
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

// TestDemoServe runs `demo --serve`: after the tour the daemon keeps
// running, the printed URL serves the dashboard and the API over what was
// recorded, and SIGTERM ends it cleanly.
func TestDemoServe(t *testing.T) {
	pr, pw := io.Pipe()
	var errb syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- runMain(&cmdEnv{stdout: pw, stderr: &errb, now: time.Now}, []string{"demo", "--serve", "--listen", freeAddr(t)})
		pw.Close()
	}()
	var url string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "Dashboard: "); ok {
			url = strings.Fields(rest)[0]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" {
		t.Fatalf("no dashboard URL printed (exit %d): %s", <-code, errb.String())
	}
	for path, want := range map[string]string{"statements": "LS-", "api/v1/statements": `"total":`} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %s, body lacks %q", path, resp.Status, want)
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("demo --serve exit %d: %s", c, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo --serve did not stop on SIGTERM")
	}
}
