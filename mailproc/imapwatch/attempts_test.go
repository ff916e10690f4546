package imapwatch

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// memAttempts counts attempts in memory the way the store does on disk,
// for the test sinks.
type memAttempts struct {
	amu   sync.Mutex
	atts  map[string]Attempt
	begun []uint32 // every UID an attempt was begun at, in order
}

func attKey(folder string, uidv, uid uint32) string {
	return fmt.Sprintf("%s/%d/%d", folder, uidv, uid)
}

func (m *memAttempts) BeginAttempts(f Folder, uidv uint32, uids []uint32) ([]Attempt, error) {
	m.amu.Lock()
	defer m.amu.Unlock()
	if m.atts == nil {
		m.atts = map[string]Attempt{}
	}
	out := make([]Attempt, len(uids))
	for i, u := range uids {
		a := m.atts[attKey(f.Name, uidv, u)]
		a.Count++
		m.atts[attKey(f.Name, uidv, u)] = a
		m.begun = append(m.begun, u)
		out[i] = a
	}
	return out, nil
}

func (m *memAttempts) Attempts(f Folder, uidv uint32, uids []uint32) ([]Attempt, error) {
	m.amu.Lock()
	defer m.amu.Unlock()
	out := make([]Attempt, len(uids))
	for i, u := range uids {
		out[i] = m.atts[attKey(f.Name, uidv, u)]
	}
	return out, nil
}

func (m *memAttempts) EndAttempts(f Folder, uidv uint32, uids []uint32, failure string) error {
	m.amu.Lock()
	defer m.amu.Unlock()
	for _, u := range uids {
		k := attKey(f.Name, uidv, u)
		a, ok := m.atts[k]
		if !ok {
			continue
		}
		if failure == "" {
			a.Count--
		} else {
			a.Failures++
			a.LastError = failure
		}
		m.atts[k] = a
	}
	return nil
}

// clear forgets the attempts a checkpoint (uidv, upTo) covers.
func (m *memAttempts) clear(folder string, uidv, upTo uint32) {
	m.amu.Lock()
	defer m.amu.Unlock()
	for u := uint32(0); u <= upTo; u++ {
		delete(m.atts, attKey(folder, uidv, u))
	}
}

// attempt returns the pending attempt at uid.
func (m *memAttempts) attempt(folder string, uidv, uid uint32) Attempt {
	m.amu.Lock()
	defer m.amu.Unlock()
	return m.atts[attKey(folder, uidv, uid)]
}

func TestPlanBatchesByCountAndBytes(t *testing.T) {
	msgs := func(sizes ...int64) []sized {
		out := make([]sized, len(sizes))
		for i, s := range sizes {
			out[i] = sized{uid: imap.UID(i + 1), size: s}
		}
		return out
	}
	uids := func(batches [][]sized) [][]int {
		var out [][]int
		for _, b := range batches {
			var u []int
			for _, m := range b {
				u = append(u, int(m.uid))
			}
			out = append(out, u)
		}
		return out
	}
	tests := []struct {
		name     string
		sizes    []int64
		count    int
		bytes    int64
		want     [][]int
		describe string
	}{
		{"empty", nil, 10, 100, nil, "no batches"},
		{"count caps", []int64{1, 1, 1, 1, 1}, 2, 100, [][]int{{1, 2}, {3, 4}, {5}}, "two per batch"},
		{"bytes cap", []int64{40, 40, 40, 10}, 10, 100, [][]int{{1, 2}, {3, 4}}, "80 then 50 bytes"},
		{"exactly the cap fits", []int64{50, 50, 1}, 10, 100, [][]int{{1, 2}, {3}}, "100 bytes is allowed"},
		{"oversize alone", []int64{10, 500, 10}, 10, 100, [][]int{{1}, {2}, {3}}, "the 500-byte message alone"},
		{"oversize first", []int64{500, 10, 10}, 10, 100, [][]int{{1}, {2, 3}}, "the 500-byte message alone"},
		{"ten 30 MB by 32 MiB", []int64{30e6, 30e6, 30e6, 30e6, 30e6, 30e6, 30e6, 30e6, 30e6, 30e6}, 100, 32 << 20,
			[][]int{{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}}, "one per batch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := uids(planBatches(msgs(tc.sizes...), tc.count, tc.bytes))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("batches = %v, want %v (%s)", got, tc.want, tc.describe)
			}
		})
	}
}

func TestGivenUpSaysWhatHappened(t *testing.T) {
	tests := []struct {
		name string
		a    Attempt
		want []string
		not  []string
	}{
		{"three failures", Attempt{Count: 4, Failures: 3, LastError: "record: boom"},
			[]string{"given up after 3 attempts", "3 failed (last: record: boom)"}, []string{"did not finish"}},
		{"three crashes", Attempt{Count: 4},
			[]string{"given up after 3 attempts: 3 did not finish", "crash or a kill"}, []string{"failed"}},
		{"mixed", Attempt{Count: 4, Failures: 1, LastError: "x"},
			[]string{"1 failed (last: x), 2 did not finish"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := givenUp(tc.a, 3)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("%q says %q", got, n)
				}
			}
		})
	}
}
