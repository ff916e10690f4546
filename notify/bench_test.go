package notify

import (
	"testing"

	"github.com/ietf-tools/liaisond/internal/samplemail"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// benchStatements parses and routes n distinct sample statements (60 KB
// with a .docx, as bench/ingest.sh loads them) over the example
// configuration.
func benchStatements(b *testing.B, f *fixture, n int) []*liaison.Record {
	b.Helper()
	s := f.set.Current()
	opt := mailproc.Options{LiaisonAddresses: s.LiaisonAddresses(), OwnAddresses: []string{s.From.Email}, Marker: s.Marker}
	recs := make([]*liaison.Record, n)
	for i := range recs {
		x := mailproc.Parse(samplemail.Statement(i, 45000, true), opt)
		recs[i] = &liaison.Record{ID: "LS-2026-" + string(rune('A'+i%26)) + string(rune('A'+i/26%26)), Received: testNow,
			State: liaison.StateOpen, Extraction: *x, Origin: "imap:INBOX", Routing: s.Router.Route(x, routing.Context{})}
	}
	return recs
}

// BenchmarkComposeNotices composes the notices of one newly recorded
// statement (a notice to each manager and chair, sharing the statement's
// view and details as QueueAll does), one after the other and without the
// store: one op is one statement.
func BenchmarkComposeNotices(b *testing.B) {
	f := newFixture(b, "", []byte("bench command key"))
	recs := benchStatements(b, f, 52)
	s := f.set.Current()
	mails, size := 0, 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := recs[i%len(recs)]
		rv := newRecordView(s, rec, testNow)
		for _, m := range StatementNotices(s, rec) {
			e, err := compose(s, m.Key(), m, rv, testNow)
			if err != nil {
				b.Fatal(err)
			}
			mails++
			size += len(e.Raw)
		}
	}
	b.ReportMetric(float64(mails)/float64(b.N), "mails/op")
	b.ReportMetric(float64(size)/float64(mails), "bytes/mail")
}

// BenchmarkQueueNotices is BenchmarkComposeNotices with the outbox, as
// the pipeline queues them: the notices of one statement queued together
// (QueueAll) in a transaction of their own.
func BenchmarkQueueNotices(b *testing.B) {
	f := newFixture(b, "", []byte("bench command key"))
	recs := benchStatements(b, f, 52)
	s := f.set.Current()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := *recs[i%len(recs)]
		rec.ID += "-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + string(rune('a'+i/17576%26))
		if err := f.db.Update(func(tx *store.Tx) error {
			_, err := f.n.QueueAll(tx, StatementNotices(s, &rec), testNow)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
