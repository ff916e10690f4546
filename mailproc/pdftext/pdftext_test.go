package pdftext

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

type line = Line

func makePDF(lines []line, kids string) []byte { return minimal(lines, kids) }

var coverSheet = []line{
	{72, 740, "LIAISON STATEMENT"},
	{72, 700, "Source:"}, {200, 700, "ITU-T Study Group 15"},
	{72, 680, "Title:"}, {200, 680, "LS on OTN YANG alignment"},
	{72, 660, "For action to:"}, {200, 660, "IETF CCAMP WG"},
	{72, 640, "Deadline:"}, {200, 640, "15 March 2027"},
}

func TestCoverSheetRowsReadAsLabels(t *testing.T) {
	got, err := Text(makePDF(coverSheet, ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LIAISON STATEMENT\n", "Source: ITU-T Study Group 15\n", "Title: LS on OTN YANG alignment\n", "For action to: IETF CCAMP WG\n", "Deadline: 15 March 2027\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "Source:") > strings.Index(got, "Deadline:") {
		t.Errorf("rows out of reading order:\n%s", got)
	}
}

func TestValueColumnLinesAreIndented(t *testing.T) {
	got, err := Text(makePDF([]line{
		{72, 716, "Title:"}, {200, 716, "LS on deterministic networking requirements for"},
		{200, 702, "IMT-2030 fronthaul"},
		{72, 680, "LIAISON STATEMENT"},
	}, ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Title: LS on deterministic networking requirements for\n    IMT-2030 fronthaul\nLIAISON STATEMENT\n"
	if got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
}

func TestBadPDFsAreErrors(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not a pdf": []byte("this is not a PDF at all"),
		"truncated": makePDF(nil, "")[:60],
	} {
		if _, err := Text(b, Limits{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Text(makePDF(nil, ""), Limits{}); !errors.Is(err, ErrNoText) {
		t.Errorf("a page without text: err = %v, want ErrNoText", err)
	}
}

// The sandbox is exercised with this test binary as the child: with
// PDFTEXT_CHILD set, TestMain serves instead of testing.
func TestMain(m *testing.M) {
	if os.Getenv("PDFTEXT_PARENT") != "" {
		// A stand-in daemon reading a PDF that never ends (see
		// TestKilledDaemonLeavesNoReader).
		os.Unsetenv("PDFTEXT_PARENT")
		os.Setenv("PDFTEXT_CHILD", "1")
		_, err := Sandbox{Name: os.Args[0]}.Read(context.Background(), makePDF(coverSheet, "[2 0 R]"))
		fmt.Fprintln(os.Stderr, "reader returned:", err)
		os.Exit(1)
	}
	if os.Getenv("PDFTEXT_CHILD") != "" {
		if err := Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestSandbox(t *testing.T) {
	t.Setenv("PDFTEXT_CHILD", "1")
	read := func(b []byte) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return Sandbox{Name: os.Args[0]}.Read(ctx, b)
	}
	got, err := read(makePDF(coverSheet, ""))
	if err != nil || !strings.Contains(got, "Deadline: 15 March 2027") {
		t.Fatalf("good PDF: %q, %v", got, err)
	}
	if _, err := read([]byte("garbage")); err == nil || !strings.Contains(err.Error(), "unreadable PDF") {
		t.Errorf("garbage: err = %v", err)
	}
	// A page tree whose Kids point back at itself makes the library loop
	// forever: the sandbox must give up and say so, the caller carries on.
	start := time.Now()
	_, err = read(makePDF(coverSheet, "[2 0 R]"))
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("looping PDF: err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("sandbox took %v to give up", d)
	}
}
