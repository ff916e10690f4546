package mailproc

import (
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

// readBlock runs one reader on text as the mail body with the given
// subject, the way extractStatement does, and returns what it filled.
func readBlock(t *testing.T, r reader, text, subject string) *liaison.Extraction {
	t.Helper()
	x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
	b := newBlock(normText(text), string(r.shape()), "")
	b.reader = r
	f := newFiller(x)
	r.readTitle(f, b, view{subject: subject, text: b.text})
	r.readFields(f, b)
	return x
}

// recognisedBy returns the shape of the sheet reader that recognises text
// ("" for none).
func recognisedBy(text, subject string) liaison.Shape {
	b := newBlock(normText(text), "", "")
	if r := recogniseBlock(b, subject); r != nil {
		return r.shape()
	}
	return ""
}

// fieldCase is one expected field value of a reader table test.
type fieldCase struct{ field, want string }

// fieldsOf renders the fields readers fill, for table tests.
func fieldsOf(x *liaison.Extraction) map[string]string {
	emails := func(cs []liaison.Contact) string {
		s := ""
		for i, c := range cs {
			if i > 0 {
				s += ","
			}
			s += c.Email
		}
		return s
	}
	join := func(l []string) string {
		s := ""
		for i, v := range l {
			if i > 0 {
				s += " | "
			}
			s += v
		}
		return s
	}
	return map[string]string{
		"title": x.Title, "purpose": string(x.Purpose), "deadline": x.Deadline.String(),
		"from_org_text": x.FromOrgText, "from_group": x.FromGroup, "to": join(x.ToText), "cc": join(x.CcText),
		"response_contacts": emails(x.ResponseContacts), "technical_contacts": emails(x.TechnicalContacts),
		"in_response_to": x.InResponseTo, "url": x.URL, "body": x.Body, "direction": string(x.Direction),
	}
}

func checkFields(t *testing.T, name string, x *liaison.Extraction, want []fieldCase) {
	t.Helper()
	got := fieldsOf(x)
	for _, w := range want {
		if g, ok := got[w.field]; !ok {
			t.Errorf("%s: unknown field %q in test", name, w.field)
		} else if g != w.want {
			t.Errorf("%s: %s = %q, want %q", name, w.field, g, w.want)
		}
	}
}
