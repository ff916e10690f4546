package actions

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
)

// doSet corrects one field. The record holds the corrected value; the
// correction keeps the value extraction (or routing) gave, so displays can
// say "corrected by X from Y" and Reapply can put the correction back
// after reprocessing.
func doSet(c *call) (change, error) {
	r, f := c.rec, c.args.field
	before := FieldValue(r, f)
	value, err := correct(c.s, r, f, c.args.value, c.actor.String(), c.now)
	if err != nil {
		return change{}, c.invalid("%v", err)
	}
	if value == before {
		return change{result: fmt.Sprintf("%s is already %q", f, value)}, nil
	}
	c.recordCorrection(f, before)
	ch := change{event: liaison.EventCorrected, save: true,
		detail: fmt.Sprintf("%s set to %q (was %q)", f, value, before),
		result: fmt.Sprintf("%s corrected to %q (was %q)", f, value, before),
		extra:  map[string]string{"field": string(f), "value": value, "was": before}}
	switch f {
	case liaison.FieldDeadline:
		ch.deadline = true
	case liaison.FieldFromOrg, liaison.FieldToGroups:
		// Whoever is now responsible hears about it (once: the keys).
		ch.mails = notify.StatementNotices(c.s, r)
	}
	return ch, nil
}

// recordCorrection notes on the record that the actor set field f, which
// was before; the correction keeps the extracted value, not an earlier
// correction's.
func (c *call) recordCorrection(f liaison.Field, before string) {
	r := c.rec
	original := before
	if prev, ok := r.Correction(f); ok {
		original = prev.Original
	}
	r.Corrections = append(r.Corrections, liaison.Correction{Field: f, Value: FieldValue(r, f), Original: original, By: c.actor.String(), Channel: c.actor.Channel, At: c.now})
}

// FieldValue is a correctable field's value on r, as a correction writes
// it: a date as YYYY-MM-DD, groups comma-separated, an organization id.
func FieldValue(r *liaison.Record, f liaison.Field) string {
	switch f {
	case liaison.FieldTitle:
		return r.Extraction.Title
	case liaison.FieldPurpose:
		return string(r.Extraction.Purpose)
	case liaison.FieldDeadline:
		return r.Extraction.Deadline.String()
	case liaison.FieldFromOrg:
		return r.Routing.OrgID
	case liaison.FieldToGroups:
		return strings.Join(r.Routing.Groups, ",")
	}
	return ""
}

// correct sets field f of r from text, as a person wrote it at time at,
// and returns the value as FieldValue now reads it.
func correct(s *settings.Snapshot, r *liaison.Record, f liaison.Field, text, by string, at time.Time) (string, error) {
	text = strings.TrimSpace(text)
	switch f {
	case liaison.FieldTitle:
		if t := oneLine(text); t == "" || len([]rune(t)) > maxTitle {
			return "", fmt.Errorf("a title is 1 to %d characters", maxTitle)
		}
		r.Extraction.Title = oneLine(text)
	case liaison.FieldPurpose:
		p, ok := parsePurpose(text)
		if !ok {
			return "", fmt.Errorf("purpose %q: want action, comment, info or response", text)
		}
		r.Extraction.Purpose = p
	case liaison.FieldDeadline:
		if strings.EqualFold(text, "none") {
			r.Extraction.Deadline = liaison.Date{}
			break
		}
		d, err := liaison.ParseISODate(text)
		if err != nil || !d.Valid() {
			return "", fmt.Errorf("deadline %q: want YYYY-MM-DD or none", text)
		}
		r.Extraction.Deadline = d
	case liaison.FieldFromOrg:
		id := strings.ToLower(text)
		if _, ok := s.Config.Org(id); !ok {
			var found bool
			if id, found = s.Router.ResolveOrg(text); !found {
				return "", fmt.Errorf("no organization %q in the configuration", text)
			}
		}
		rt, err := s.Router.WithOrg(r.Routing, id, by, at)
		if err != nil {
			return "", err
		}
		r.Routing = rt
	case liaison.FieldToGroups:
		groups, err := resolveGroups(s, splitList(text))
		if err != nil {
			return "", err
		}
		setGroups(r, groups, "groups corrected", by)
	default:
		return "", fmt.Errorf("field %q cannot be corrected", f)
	}
	return FieldValue(r, f), nil
}

// maxTitle bounds a corrected title, in runes.
const maxTitle = 300

// purposes reads a purpose as people write it.
var purposes = map[string]liaison.Purpose{
	"action": liaison.PurposeAction, "comment": liaison.PurposeComment, "comments": liaison.PurposeComment,
	"info": liaison.PurposeInfo, "information": liaison.PurposeInfo,
	"response": liaison.PurposeResponse, "in response": liaison.PurposeResponse, "reply": liaison.PurposeResponse,
}

// parsePurpose reads a purpose as people write it ("action", "For
// comment", "information", "in response").
func parsePurpose(text string) (liaison.Purpose, bool) {
	p, ok := purposes[oneLine(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(text)), "for "))]
	return p, ok
}

// splitList splits "ccamp, teas mpls" into its items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
}

// Reapply puts what people decided about prev back on next, a fresh
// extraction and routing of the same record (reprocessing): its
// corrections, in order, with the fresh values as their originals, and a
// hand-back to the IAB (not-ours). A correction that no longer applies (an
// organization or group removed from the configuration) is kept and
// reported.
func Reapply(s *settings.Snapshot, prev, next *liaison.Record) error {
	next.Corrections = slices.Clone(prev.Corrections)
	var errs []string
	fresh := map[liaison.Field]string{}
	for i := range next.Corrections {
		c := &next.Corrections[i]
		if _, ok := fresh[c.Field]; !ok {
			fresh[c.Field] = FieldValue(next, c.Field)
		}
		c.Original = fresh[c.Field]
		if _, err := correct(s, next, c.Field, c.Value, c.By, c.At); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", c.Field, err))
		}
	}
	if prev.Routing.EscalationReason == notOursReason {
		next.Routing.Escalate, next.Routing.EscalationReason = true, notOursReason
	}
	if len(errs) > 0 {
		return fmt.Errorf("actions: corrections of %s no longer apply: %s", next.ID, strings.Join(errs, "; "))
	}
	return nil
}
