package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// The relationship buckets. They are created idempotently on open (see
// migrate), so no schema change is needed.
var (
	// bRelEvents holds each relationship's history: organization id | 0 |
	// BE sequence -> JSON liaison.Event (appointments, handovers, reports).
	bRelEvents = []byte("rel_events")
	// bRelState holds, per organization id, the JSON Appointments the
	// daemon last acted on, so that a restart compares the configuration
	// with them.
	bRelState = []byte("rel_state")
)

func init() {
	allBuckets = append(allBuckets, bRelEvents, bRelState)
}

// Appointments are the liaison managers of a relationship as the daemon
// last acted on them (handing statements over when they change).
type Appointments struct {
	// Managers are the managers then in force (none: the IAB coordinators
	// handled the relationship).
	Managers []liaison.Contact `json:"managers"`
	// At is when they were recorded.
	At time.Time `json:"at"`
}

// Appointments returns the appointments last recorded for organization
// org (ok false when none ever were).
func (t *Tx) Appointments(org string) (Appointments, bool, error) {
	var a Appointments
	v := t.b(bRelState).Get([]byte(org))
	if v == nil {
		return a, false, nil
	}
	if err := json.Unmarshal(v, &a); err != nil {
		return a, false, fmt.Errorf("store: decode appointments of %s: %w", org, err)
	}
	return a, true, nil
}

// SetAppointments records the appointments of organization org.
func (t *Tx) SetAppointments(org string, a Appointments) error {
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("store: encode appointments of %s: %w", org, err)
	}
	return t.b(bRelState).Put([]byte(org), data)
}

// DeleteAppointments forgets the appointments of an organization no
// longer configured.
func (t *Tx) DeleteAppointments(org string) error {
	return t.b(bRelState).Delete([]byte(org))
}

// ForEachAppointments calls fn with every organization's recorded
// appointments, in id order.
func (t *Tx) ForEachAppointments(fn func(org string, a Appointments) error) error {
	return t.b(bRelState).ForEach(func(k, v []byte) error {
		var a Appointments
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("store: decode appointments of %s: %w", k, err)
		}
		return fn(string(k), a)
	})
}

// AddRelationshipEvent appends an event to the history of the
// relationship with organization org.
func (t *Tx) AddRelationshipEvent(org string, ev liaison.Event) error {
	if strings.TrimSpace(org) == "" {
		return fmt.Errorf("store: relationship event without an organization")
	}
	return t.addEvent(bRelEvents, org, ev)
}

// RelationshipEvents returns the history of the relationship with
// organization org, oldest first: all of it, or the last n events when n
// > 0.
func (t *Tx) RelationshipEvents(org string, n int) ([]liaison.Event, error) {
	return t.events(bRelEvents, org, n)
}

// bGroupIdx indexes incoming statements by target group and receipt, for
// coordination: group | 0 | BE unix seconds | id -> organization id.
var bGroupIdx = []byte("group_idx")

func init() { allBuckets = append(allBuckets, bGroupIdx) }

func groupKey(group string, at time.Time, id string) []byte {
	k := make([]byte, 0, len(group)+9+len(id))
	k = append(k, group...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint64(k, uint64(at.Unix()))
	return append(k, id...)
}

// IndexGroups lists statement id, received at from organization org,
// under each of its target groups (idempotent).
func (t *Tx) IndexGroups(id string, at time.Time, org string, groups []string) error {
	for _, g := range groups {
		if err := t.b(bGroupIdx).Put(groupKey(g, at, id), []byte(org)); err != nil {
			return fmt.Errorf("store: index %s under %s: %w", id, g, err)
		}
	}
	return nil
}

// GroupRecent calls fn with the id and organization of the statements
// indexed under group and received after from and at or before to, the
// most recent first, until fn returns false. It reads only that group's
// part of the index, from its end.
func (t *Tx) GroupRecent(group string, from, to time.Time, fn func(id, org string) bool) {
	prefix := append([]byte(group), 0)
	lo := uint64(from.Unix())
	c := t.b(bGroupIdx).Cursor()
	// Just past the last key at or before to, then backwards.
	k, v := c.Seek(binary.BigEndian.AppendUint64(slices.Clone(prefix), uint64(to.Unix())+1))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		rest := k[len(prefix):]
		if len(rest) < 8 || binary.BigEndian.Uint64(rest[:8]) <= lo {
			return
		}
		if !fn(string(rest[8:]), string(v)) {
			return
		}
	}
}

// bCoordTold records when a manager was last told, in a coordination note,
// that an organization's statements go to a group:
// manager address (lower case) | 0 | organization id | 0 | group -> BE
// unix seconds.
var bCoordTold = []byte("coord_told")

func init() { allBuckets = append(allBuckets, bCoordTold) }

func coordToldKey(manager, org, group string) []byte {
	k := make([]byte, 0, len(manager)+len(org)+len(group)+2)
	k = append(k, strings.ToLower(manager)...)
	k = append(k, 0)
	k = append(k, org...)
	k = append(k, 0)
	return append(k, group...)
}

// CoordinationTold returns when manager was last told that organization
// org's statements go to group (ok false: never).
func (t *Tx) CoordinationTold(manager, org, group string) (at time.Time, ok bool) {
	v := t.b(bCoordTold).Get(coordToldKey(manager, org, group))
	if len(v) != 8 {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(v)), 0), true
}

// SetCoordinationTold records that manager was told at at that
// organization org's statements go to group.
func (t *Tx) SetCoordinationTold(manager, org, group string, at time.Time) error {
	if err := t.b(bCoordTold).Put(coordToldKey(manager, org, group), binary.BigEndian.AppendUint64(nil, uint64(at.Unix()))); err != nil {
		return fmt.Errorf("store: record the coordination note to %s about %s in %s: %w", manager, org, group, err)
	}
	return nil
}
