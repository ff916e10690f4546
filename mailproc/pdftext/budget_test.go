package pdftext

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeClock advances only when a fake read spends time.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestBudgetSharesOneAllowanceAmongAMessagesPDFs(t *testing.T) {
	tests := []struct {
		name      string
		costs     []time.Duration // what each PDF would take with no limit
		perDoc    time.Duration
		total     time.Duration
		wantLimit []time.Duration // the limit each read was given (0: not read)
	}{
		{"all fit", []time.Duration{time.Second, 2 * time.Second}, 10 * time.Second, 30 * time.Second,
			[]time.Duration{10 * time.Second, 10 * time.Second}},
		{"per-document cap", []time.Duration{time.Hour, time.Second}, 10 * time.Second, 30 * time.Second,
			[]time.Duration{10 * time.Second, 10 * time.Second}},
		{"five hostile PDFs: three and a third are read", []time.Duration{time.Hour, time.Hour, time.Hour, time.Hour, time.Hour}, 9 * time.Second, 30 * time.Second,
			[]time.Duration{9 * time.Second, 9 * time.Second, 9 * time.Second, 3 * time.Second, 0}},
		{"budget spent exactly", []time.Duration{15 * time.Second, 15 * time.Second, time.Second}, 20 * time.Second, 30 * time.Second,
			[]time.Duration{20 * time.Second, 15 * time.Second, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}
			var limits []time.Duration
			read := func(ctx context.Context, _ []byte) (string, error) {
				dl, _ := ctx.Deadline()
				limit := dl.Sub(time.Now()).Round(time.Second)
				limits = append(limits, limit)
				cost := tc.costs[len(limits)-1]
				if cost > limit {
					clk.t = clk.t.Add(limit)
					return "", errors.New("gave up")
				}
				clk.t = clk.t.Add(cost)
				return "text", nil
			}
			b := &Budget{Read: read, PerDocument: tc.perDoc, Total: tc.total, Now: clk.now}
			var got []time.Duration
			for range tc.costs {
				_, err := b.Text([]byte("%PDF"))
				if errors.Is(err, ErrBudgetSpent) {
					got = append(got, 0)
					continue
				}
				got = append(got, limits[len(limits)-1])
			}
			if len(got) != len(tc.wantLimit) {
				t.Fatalf("limits %v, want %v", got, tc.wantLimit)
			}
			for i := range got {
				if got[i] != tc.wantLimit[i] {
					t.Fatalf("limits %v, want %v", got, tc.wantLimit)
				}
			}
			if spent := clk.t.Sub(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)); spent > tc.total {
				t.Errorf("spent %v of a %v budget", spent, tc.total)
			}
		})
	}
}
