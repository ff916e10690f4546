package outmail

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestTraceRoundTrip(t *testing.T) {
	k := NewMarker([]byte("instance secret"))
	sent := []byte("From: d@ietf.example\r\nTo: jane@example.org\r\nSubject: x\r\n\r\nbody\r\n")
	long := strings.Repeat("waiting for the WG's consensus call; ", 40)
	tests := []Trace{
		{Key: "LS-2026-0001|notice|jane@example.org|", Record: "LS-2026-0001", RecordMessageID: "abc@itu.int"},
		{Key: "|digest|jane@example.org|2026-W48"},
		{Key: "LS-2026-0007|confirm|jane@example.org|3", Record: "LS-2026-0007",
			Action: json.RawMessage(`{"id":"LS-2026-0007","request":{"action":"note","text":` + mustJSON(t, long) + `}}`)},
	}
	for _, tr := range tests {
		h, err := tr.Header(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(h, []byte("\r\n")) {
			if len(line) > 998 {
				t.Fatalf("header line of %d octets", len(line))
			}
		}
		got, raw, err := ReadTrace(append(append([]byte(nil), h...), sent...), k)
		if err != nil {
			t.Fatalf("%s: %v", tr.Key, err)
		}
		if !bytes.Equal(raw, sent) {
			t.Errorf("%s: mail after the trace = %q, want %q", tr.Key, raw, sent)
		}
		if got.Key != tr.Key || got.Record != tr.Record || got.RecordMessageID != tr.RecordMessageID || !bytes.Equal(got.Action, tr.Action) {
			t.Errorf("trace = %+v, want %+v", got, tr)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTraceRefused(t *testing.T) {
	k := NewMarker([]byte("instance secret"))
	sent := []byte("Subject: x\r\n\r\nbody\r\n")
	h, err := Trace{Key: "LS-2026-0001|notice|jane@example.org|"}.Header(k)
	if err != nil {
		t.Fatal(err)
	}
	filed := append(append([]byte(nil), h...), sent...)
	forged := bytes.Replace(filed, []byte("Seal: "), []byte("Seal: 0"), 1)
	tests := []struct {
		name    string
		filed   []byte
		k       *Marker
		noTrace bool
	}{
		{"another instance's key", filed, NewMarker([]byte("other")), false},
		{"the public key", filed, NewMarker(nil), false},
		{"a changed seal", forged, k, false},
		{"no seal", bytes.Replace(filed, []byte(TraceSealHeader), []byte("X-Other"), 1), k, false},
		{"a mail filed by someone else", sent, k, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, raw, err := ReadTrace(tc.filed, tc.k)
			if err == nil {
				t.Fatal("trace accepted")
			}
			if errors.Is(err, ErrNoTrace) != tc.noTrace {
				t.Errorf("err = %v, ErrNoTrace want %v", err, tc.noTrace)
			}
			if !bytes.Equal(raw, tc.filed) {
				t.Error("a refused trace must return the copy as it is")
			}
		})
	}
}
