package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/ietf-tools/liaisond/internal/testsvc"
	"github.com/ietf-tools/liaisond/liaison"
)

// TestBrowser drives a real headless Chromium through the pages: list,
// filter, statement, a linked record; it fails on any console error or CSP
// violation and saves a screenshot.
func TestBrowser(t *testing.T) {
	ctx, problems := startBrowser(t)
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()

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
	if p := problems(); len(p) > 0 {
		t.Errorf("browser reported problems: %v", p)
	}
}

// startBrowser starts a headless Chromium for the test, with a deadline.
// problems drains what its console said and returns the errors, warnings,
// exceptions and CSP violations, but the browser's report of a 403 for one
// of the URLs refused (a refusal the test asked for); call it once, at the
// end.
func startBrowser(t *testing.T) (ctx context.Context, problems func(refused ...string) []string) {
	t.Helper()
	chromium := testsvc.Require(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 915),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	console, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(console)
	return ctx, func(refused ...string) []string {
		// Drain what the console said, then stop listening.
		time.AfterFunc(500*time.Millisecond, stopConsole)
		var out []string
		for m, err := range messages {
			if err != nil {
				break
			}
			if slices.Contains(refused, m.URL) && strings.Contains(m.Text, "status of 403") {
				continue
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				out = append(out, m.String())
			}
		}
		return out
	}
}

// signInAs makes the browser send user's basic-auth credentials (of the
// action tests' people) with every request.
func signInAs(ctx context.Context, user string) error {
	_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Authorization": basicAuth(user, "pw-"+user)}})
	return err
}

// TestBrowserActions signs in to a real Chromium (basic auth, sent by the
// browser with every request) as the manager of a statement, acknowledges
// it, corrects its deadline and closes it with a reason through the
// statement page's forms; then as someone without a role, who is offered no
// form; then forges the form from another site, as both, and is refused.
// Console errors and CSP violations fail it, as in TestBrowser.
func TestBrowserActions(t *testing.T) {
	ctx, problems := startBrowser(t)
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	page := ts.URL + "/statements/" + sg15

	signIn := func(user string) error { return signInAs(ctx, user) }
	// submit clicks a form's button and returns the HTTP status of the page
	// the browser lands on (after the redirect, if any).
	submit := func(form string) (int64, error) {
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#"+form+` button[type="submit"]`)))
		if err != nil {
			return 0, err
		}
		return resp.Status, nil
	}
	flash := func() string {
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("flash")))
		if err != nil {
			t.Fatalf("no flash: %v", err)
		}
		return text
	}

	// The manager.
	if err := signIn("jane"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("form-ack"))); err != nil {
		t.Fatalf("the manager's statement page: %v", err)
	}
	if who, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("who"))); err != nil || who != "jane.doe@example.org" {
		t.Errorf("signed in as %q (%v)", who, err)
	}
	stolen, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#form-close input[name="csrf"]`)))
	if err != nil || stolen == "" {
		t.Fatalf("form token %q: %v", stolen, err)
	}
	if st, err := submit("form-ack"); err != nil || st != 200 {
		t.Fatalf("acknowledge: %d %v", st, err)
	}
	if fl := flash(); !strings.Contains(fl, "acknowledged") {
		t.Errorf("flash after acknowledging: %q", fl)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("set-field"), "deadline"), chromedp.SendKeys(chromedp.ID("set-value"), "2027-06-01")); err != nil {
		t.Fatal(err)
	}
	if st, err := submit("form-set"); err != nil || st != 200 {
		t.Fatalf("correct the deadline: %d %v", st, err)
	}
	if fl := flash(); !strings.Contains(fl, "deadline") {
		t.Errorf("flash after correcting: %q", fl)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("close-reason"), "no reply will be sent")); err != nil {
		t.Fatal(err)
	}
	if st, err := submit("form-close"); err != nil || st != 200 {
		t.Fatalf("close: %d %v", st, err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
	if err != nil || status != "closed" {
		t.Errorf("status after closing: %q (%v)", status, err)
	}
	history, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.history")))
	if err != nil || strings.Count(history, "jane.doe@example.org web") < 3 || !strings.Contains(history, "no reply will be sent") {
		t.Errorf("history after the actions:\n%s (%v)", history, err)
	}
	rec, _ := recordOf(f, sg15)
	if rec.State != liaison.StateClosed || rec.Acked == nil || rec.Extraction.Deadline.String() != "2027-06-01" {
		t.Errorf("record: state %s acked %v deadline %s", rec.State, rec.Acked, rec.Extraction.Deadline)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil || len(shot) < 1000 {
		t.Errorf("screenshot (%d bytes): %v", len(shot), err)
	}
	out := filepath.Join(t.TempDir(), "actions.jpg")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))

	// Someone without a role: no form.
	if err := signIn("dana"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("no-actions"))); err != nil {
		t.Fatalf("dana's statement page: %v", err)
	}
	main, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if err != nil || strings.Contains(main, `method="post"`) {
		t.Errorf("dana is offered a form (%v)", err)
	}

	// A page on another site posts the form with the manager's token,
	// sent by the browser with the manager's, then dana's, credentials.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>win a prize</title><form id="forged" method="post" action="%s/actions">
<input type="hidden" name="action" value="reopen"><input type="hidden" name="csrf" value="%s">
<button type="submit">claim</button></form>`, page, html.EscapeString(stolen))
	}))
	defer evil.Close()
	for _, user := range []string{"jane", "dana"} {
		if err := signIn(user); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.ID("forged"))); err != nil {
			t.Fatal(err)
		}
		if st, err := submit("forged"); err != nil || st != 403 {
			t.Errorf("forged post as %s: %d %v", user, st, err)
		}
	}
	if rec, _ := recordOf(f, sg15); rec.State != liaison.StateClosed {
		t.Errorf("a forged post reopened the statement: %s", rec.State)
	}
	if p := problems(page + "/actions"); len(p) > 0 {
		t.Errorf("browser reported problems: %v", p)
	}
}

// TestBrowserDraft drafts a statement to a peer in a real Chromium with a
// file chosen in the form's file field, then edits it from its page:
// takes that file off, attaches another and moves the deadline. The
// files reach the record as the browser sent them (multipart).
func TestBrowserDraft(t *testing.T) {
	ctx, problems := startBrowser(t)
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	first, second := filepath.Join(dir, "otn-topo.txt"), filepath.Join(dir, "otn-topo-v2.txt")
	for p, text := range map[string]string{first: "Internet-Draft text, version 1\n", second: "version 2\n"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := signInAs(ctx, "jane"); err != nil {
		t.Fatal(err)
	}
	save := func() (int64, error) {
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("draft-save")))
		if err != nil {
			return 0, err
		}
		return resp.Status, nil
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/drafts/new"), chromedp.WaitVisible(chromedp.ID("draft-form")),
		chromedp.SetValue(chromedp.ID("draft-to"), "itu-t-sg15"), chromedp.SetValue(chromedp.ID("draft-from"), "ccamp"),
		chromedp.SetValue(chromedp.ID("draft-purpose"), "info"), chromedp.SetValue(chromedp.ID("draft-deadline"), "2027-03-10"),
		chromedp.SendKeys(chromedp.ID("draft-title"), "LS on OTN topology"),
		chromedp.SendKeys(chromedp.ID("draft-body"), "CCAMP informs SG15 of its OTN topology model."),
		chromedp.SetUploadFiles(chromedp.ID("draft-attach"), []string{first})); err != nil {
		t.Fatalf("fill the draft form: %v", err)
	}
	if st, err := save(); err != nil || st != 200 {
		t.Fatalf("save the draft: %d %v", st, err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/statements/LS-") {
		t.Fatalf("after saving: at %s (%v)", loc, err)
	}
	id := loc[strings.LastIndex(loc, "/")+1:]
	if rec, _ := recordOf(f, id); len(rec.Extraction.Attachments) != 1 || rec.Extraction.Attachments[0].Name != "otn-topo.txt" || rec.Extraction.Attachments[0].Size != 31 {
		t.Fatalf("the draft's files: %+v", rec.Extraction.Attachments)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#edit-draft a")), chromedp.WaitVisible(chromedp.ID("draft-attached")),
		chromedp.SetValue(chromedp.ID("draft-deadline"), "2027-04-01"),
		chromedp.Click(chromedp.CSS(`#draft-attached input[value="otn-topo.txt"]`)),
		chromedp.SetUploadFiles(chromedp.ID("draft-attach"), []string{second})); err != nil {
		t.Fatalf("fill the edit form: %v", err)
	}
	if st, err := save(); err != nil || st != 200 {
		t.Fatalf("save the edit: %d %v", st, err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("flash")))
	if err != nil || !strings.Contains(flash, "deadline 2027-03-10 -> 2027-04-01") {
		t.Errorf("flash after the edit: %q (%v)", flash, err)
	}
	rec, _ := recordOf(f, id)
	if a := rec.Extraction.Attachments; len(a) != 1 || a[0].Name != "otn-topo-v2.txt" || rec.Extraction.Deadline.String() != "2027-04-01" {
		t.Errorf("after the edit: deadline %s, files %+v", rec.Extraction.Deadline, a)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser reported problems: %v", p)
	}
}
