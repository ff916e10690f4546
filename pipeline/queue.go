package pipeline

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// Mail is one mail another part of the daemon (the scheduler) asks the
// pipeline to queue.
type Mail struct {
	// Key is the deterministic outbox key (see OutboxKey).
	Key string
	// Template is the mail kind to render.
	Template string
	// Record is the statement the mail is about (nil for digests).
	Record *liaison.Record
	To     liaison.Contact
	Cc     []liaison.Contact
	// Data is what the template receives.
	Data any
}

// QueueMail renders m and queues it in tx, unless a mail with the same key
// was ever queued. It reports whether it was added and, when it was,
// records a "queued" event on the statement. The rendered entry is
// returned either way when it was built (nil when the key existed).
func (p *Pipeline) QueueMail(tx *store.Tx, m Mail, now time.Time) (*store.OutboxEntry, bool, error) {
	if tx.HasOutbox(m.Key) {
		return nil, false, nil
	}
	s := p.snap()
	e, err := p.compose(s, m.Key, m.Template, m.Record, m.To, m.Cc, m.Data, now)
	if err != nil {
		return nil, false, fmt.Errorf("pipeline: queue %s: %w", m.Key, err)
	}
	added, err := tx.Enqueue(e)
	if err != nil {
		return nil, false, fmt.Errorf("pipeline: queue %s: %w", m.Key, err)
	}
	if added && m.Record != nil {
		if err := tx.AddEvent(m.Record.ID, liaison.Event{At: now, Type: "queued", Detail: m.Template + " to " + m.To.Email}); err != nil {
			return nil, false, err
		}
	}
	return e, added, nil
}

// Templates returns the templates in force.
func (p *Pipeline) Templates() *templates.Set { return p.snap().tmpl }

// Sender is the address the daemon sends from.
func (p *Pipeline) Sender() liaison.Contact { return p.snap().from }

// Wake tells whoever sends mail that some was queued (the Queued hook).
func (p *Pipeline) Wake() {
	if p.queued != nil {
		p.queued()
	}
}
