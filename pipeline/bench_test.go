package pipeline

import (
	"testing"

	"github.com/ietf-tools/liaisond/internal/samplemail"
)

// BenchmarkProcess measures extract + route + store (with the notices it
// queues) of a typical 60 KB statement with a .docx attachment, one
// transaction per message as `ingest` of a single file would do.
func BenchmarkProcess(b *testing.B) {
	p, _, _ := newTest(b)
	msgs := make([][]byte, b.N)
	for i := range msgs {
		msgs[i] = samplemail.Statement(i, 45000, true)
	}
	b.SetBytes(int64(len(msgs[0])))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Process(Input{Raw: msgs[i], Origin: "bench"}, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessBatch is the same in batches of 100 per transaction, as
// the IMAP poller and `ingest` of an mbox commit them.
func BenchmarkProcessBatch(b *testing.B) {
	p, _, _ := newTest(b)
	const batch = 100
	msgs := make([]Input, b.N)
	for i := range msgs {
		msgs[i] = Input{Raw: samplemail.Statement(i, 45000, true), Origin: "bench"}
	}
	b.SetBytes(int64(len(msgs[0].Raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		end := min(i+batch, b.N)
		if _, err := p.ProcessBatch(msgs[i:end], nil, false); err != nil {
			b.Fatal(err)
		}
	}
}
