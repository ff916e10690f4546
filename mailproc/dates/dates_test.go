package dates

import (
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestParse(t *testing.T) {
	d := func(y int, m time.Month, day int) liaison.Date { return liaison.Date{Year: y, Month: m, Day: day} }
	tests := []struct {
		in   string
		want liaison.Date
		ok   bool
	}{
		{"2027-03-15", d(2027, 3, 15), true},
		{"2027/03/15", d(2027, 3, 15), true},
		{"15 March 2027", d(2027, 3, 15), true},
		{"15th March 2027", d(2027, 3, 15), true},
		{"1st of April, 2027", d(2027, 4, 1), true},
		{"March 15, 2027", d(2027, 3, 15), true},
		{"March 15th, 2027", d(2027, 3, 15), true},
		{"Mar 15 2027", d(2027, 3, 15), true},
		{"15 Mar. 2027", d(2027, 3, 15), true},
		{"15-Mar-2027", d(2027, 3, 15), true},
		{"15/03/2027", d(2027, 3, 15), true},
		{"15.03.2027", d(2027, 3, 15), true},
		{"03/15/2027", d(2027, 3, 15), true}, // day-first impossible: month first
		{"04/05/2027", d(2027, 5, 4), true},  // ambiguous: day first, as SDOs write
		{"mid-May 2027", d(2027, 5, 15), true},
		{"middle of May 2027", d(2027, 5, 15), true},
		{"end of May 2027", d(2027, 5, 31), true},
		{"end of February 2028", d(2028, 2, 29), true},
		{"late June 2027", d(2027, 6, 30), true},
		{"early June 2027", d(2027, 6, 1), true},
		{"beginning of July 2027", d(2027, 7, 1), true},
		{"before the next meeting (Geneva, 4-8 May 2027)", d(2027, 5, 4), true},
		{"4–8 May 2027", d(2027, 5, 4), true},
		{"4 to 8 May 2027", d(2027, 5, 4), true},
		{"30 April - 2 May 2027", d(2027, 4, 30), true},
		{"May 4-8, 2027", d(2027, 5, 4), true},
		{"Friday, 15 March 2027", d(2027, 3, 15), true},
		{"Please reply by: Friday 15 March 2027.", d(2027, 3, 15), true},
		{"June 3rd, 2027", d(2027, 6, 3), true},
		{"Dienstag, 27. April 2027 15:30", d(2027, 4, 27), true},
		{"June 3rd,2027", d(2027, 6, 3), true},
		{"June the 3rd, 2027", d(2027, 6, 3), true},
		{"the 21st of October, 2027", d(2027, 10, 21), true},
		{"by\nthe 21st of October, 2027", d(2027, 10, 21), true},
		{"Deadline：2027年9月30日", d(2027, 9, 30), true},
		{"2027 年 2 月 30 日", liaison.Date{}, false},
		{"31/02/2027", liaison.Date{}, false},
		{"30 February 2027", liaison.Date{}, false},
		{"2027-13-01", liaison.Date{}, false},
		{"no date here", liaison.Date{}, false},
		{"", liaison.Date{}, false},
		{"Rel-19", liaison.Date{}, false},
		{"G.694.1 (10/2020)", liaison.Date{}, false},
		{"15 March 1850", liaison.Date{}, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && !got.Valid() {
			t.Errorf("Parse(%q) returned invalid date %v", tt.in, got)
		}
	}
}

func TestFindAll(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Meetings: 12 - 16 April 2027 and 24-28 May 2027.", []string{"2027-04-12", "2027-05-24"}},
		{"from 31/02/2027 to 2027-03-01", []string{"2027-03-01"}},
		{"sent 10 December 2026, reply by 15 January 2027", []string{"2026-12-10", "2027-01-15"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range FindAll(tt.in) {
			got = append(got, m.Date.String())
			if tt.in[m.Start:m.End] == "" {
				t.Errorf("FindAll(%q): empty span", tt.in)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("FindAll(%q) = %v; want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("FindAll(%q) = %v; want %v", tt.in, got, tt.want)
			}
		}
	}
}
