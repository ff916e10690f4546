package samplemail

import (
	"bytes"
	"testing"
)

func TestBigIsTheSizeAskedAndDistinct(t *testing.T) {
	a, b := Big(1, 3<<20), Big(2, 3<<20)
	for _, m := range [][]byte{a, b} {
		if d := len(m) - 3<<20; d < -160 || d > 160 {
			t.Errorf("size %d, want 3 MiB within two lines", len(m))
		}
		if !bytes.Contains(m, []byte("Source:         ")) || !bytes.HasSuffix(m, []byte("--\r\n")) {
			t.Errorf("not a statement with a closed multipart:\n%s", m[:600])
		}
	}
	if bytes.Equal(a[len(a)-4000:], b[len(b)-4000:]) {
		t.Error("two big statements share their annex")
	}
}
