package store

import (
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// OutboxView is an outbox entry without its raw bytes: the JSON shape of
// `liaisond outbox --json` and of the API's outbox.
type OutboxView struct {
	Key         string    `json:"key"`
	RecordID    string    `json:"record_id,omitempty"`
	Kind        string    `json:"kind"`
	Recipient   string    `json:"recipient"`
	Subject     string    `json:"subject"`
	MessageID   string    `json:"message_id"`
	State       string    `json:"state"`
	Created     time.Time `json:"created"`
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	Sent        time.Time `json:"sent,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Bounce      string    `json:"bounce,omitempty"`
}

// View flattens the entry for listings.
func (e *OutboxEntry) View() OutboxView {
	v := OutboxView{Key: e.Key, RecordID: e.RecordID, Kind: e.Kind, Recipient: e.Recipient, Subject: e.Subject, MessageID: e.MessageID,
		State: string(e.State), Created: e.Created, Attempts: e.Attempts, Sent: e.Sent, LastError: e.LastError, Bounce: e.Bounce}
	if e.State == OutboxQueued {
		v.NextAttempt = e.NextAttempt
	}
	return v
}

// Detail is one record with where each field came from, the routing
// reasons, its history and the mail sent about it: the JSON shape of
// `liaisond show --json` and of the API's statement detail.
type Detail struct {
	liaison.RecordView
	Sources map[string]liaison.Source `json:"sources"`
	Reasons []liaison.Reason          `json:"routing_reasons"`
	History []liaison.Event           `json:"history"`
	Outbox  []OutboxView              `json:"outbox"`
}

// Detail reads a record's detail.
func (t *Tx) Detail(id string) (*Detail, *liaison.Record, error) {
	r, err := t.Record(id)
	if err != nil {
		return nil, nil, err
	}
	d := &Detail{RecordView: r.View(), Sources: r.Extraction.Sources, Reasons: r.Routing.Reasons, Outbox: []OutboxView{}}
	if d.History, err = t.Events(id); err != nil {
		return nil, nil, err
	}
	sent, err := t.OutboxFor(id)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range sent {
		d.Outbox = append(d.Outbox, e.View())
	}
	return d, r, nil
}
