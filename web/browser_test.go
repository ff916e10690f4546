package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ietf-tools/liaisond/internal/testsvc"
)

// TestBrowser drives a real headless Chromium through the pages: list,
// filter, statement, a linked record; it fails on any console error or CSP
// violation and saves a screenshot.
func TestBrowser(t *testing.T) {
	chromium := testsvc.Require(t, "chromium")
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 915),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	console, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(console)

	ls1 := f.ids["1-sg15-otn.eml"]
	steps := []struct {
		name string
		run  func() error
	}{
		{"open the list", func() error {
			return chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/statements"), chromedp.WaitVisible(chromedp.CSS("table.list")))
		}},
		{"filter by state and group", func() error {
			return chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("state"), "all"), chromedp.SetValue(chromedp.ID("group"), "teas"),
				chromedp.Click(chromedp.ID("apply")),
				// The link is on the unfiltered page too: wait for the
				// filtered page, whose form has the group selected.
				chromedp.WaitReady(chromedp.CSS(`#group option[value="teas"][selected]`)),
				chromedp.WaitVisible(chromedp.CSS(`a[href="/statements/`+ls1+`"]`)))
		}},
		{"open a statement", func() error {
			return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/statements/`+ls1+`"]`)), chromedp.WaitVisible(chromedp.CSS("a.rel-link")))
		}},
		{"follow the reply link", func() error {
			return chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.rel-link")), chromedp.WaitVisible(chromedp.CSS("h1")))
		}},
	}
	var listText string
	for i, st := range steps {
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if i == 0 {
			var err error
			if listText, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.list"))); err != nil {
				t.Fatal(err)
			}
		}
		if i == 1 {
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil || !strings.Contains(loc, "group=teas") || !strings.Contains(loc, "state=all") {
				t.Errorf("after filtering: at %s (%v)", loc, err)
			}
		}
		if i == 2 {
			title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
			if err != nil || !strings.Contains(title, ls1) {
				t.Errorf("statement page title %q (%v)", title, err)
			}
		}
	}
	linked, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	// Drain what the console said, then stop listening.
	time.AfterFunc(500*time.Millisecond, stopConsole)
	var problems []string
	for m, err := range messages {
		if err != nil {
			break
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
			problems = append(problems, m.String())
		}
	}
	if !strings.HasSuffix(linked, "/statements/MSG-2026-0002") {
		t.Errorf("reply link led to %s", linked)
	}
	if !strings.Contains(listText, "days late") || !strings.Contains(listText, f.ids["hostile.eml"]) {
		t.Errorf("list text lacks the overdue hostile statement:\n%s", listText)
	}
	out := filepath.Join(t.TempDir(), "statement.jpg")
	if err := os.WriteFile(out, shot, 0o644); err != nil || len(shot) < 1000 {
		t.Errorf("screenshot (%d bytes): %v", len(shot), err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))
	if len(problems) > 0 {
		t.Errorf("browser reported problems: %v", problems)
	}
}
