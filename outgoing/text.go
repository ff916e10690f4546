package outgoing

import (
	"strings"
	"unicode/utf8"
)

// TextWidth is the width of a sheet written as text.
const TextWidth = 78

// indentStep is how far an indented field's label is set in.
const indentStep = 4

// Text writes the sheet as plain text, TextWidth columns wide: letterhead
// lines with their right part flush right, the banner centred, each field
// value in a column after its label, running text with its line breaks;
// lines longer than the width are wrapped. Every line ends in "\n" and has no trailing blanks.
func (s Sheet) Text() string {
	var b strings.Builder
	emit := func(l string) {
		b.WriteString(strings.TrimRight(l, " \t"))
		b.WriteByte('\n')
	}
	for _, bl := range s.Blocks {
		switch bl.Kind {
		case BlockLine:
			gap := TextWidth - utf8.RuneCountInString(bl.Text) - utf8.RuneCountInString(bl.Right)
			emit(bl.Text + strings.Repeat(" ", max(gap, 1)) + bl.Right)
		case BlockBanner:
			emit(strings.Repeat(" ", max((TextWidth-utf8.RuneCountInString(bl.Text))/2, 0)) + bl.Text)
		case BlockField:
			for _, l := range s.fieldLines(bl) {
				emit(l)
			}
		case BlockHeading, BlockText:
			for _, l := range strings.Split(bl.Text, "\n") {
				for _, w := range wrap(l, TextWidth) {
					emit(w)
				}
			}
		case BlockSpace:
			emit("")
		}
	}
	return b.String()
}

// fieldLines lays one field out: the label, then the value from the label
// column on, each of its lines wrapped to the width and continued in that
// column.
func (s Sheet) fieldLines(bl Block) []string {
	label := bl.Label
	if bl.Indent {
		label = strings.Repeat(" ", indentStep) + label
	}
	col := max(s.LabelWidth, utf8.RuneCountInString(label)+1)
	var out []string
	prefix := label + strings.Repeat(" ", col-utf8.RuneCountInString(label))
	for _, vl := range strings.Split(bl.Text, "\n") {
		for _, w := range wrap(vl, TextWidth-col) {
			out = append(out, prefix+w)
			prefix = strings.Repeat(" ", col)
		}
	}
	return out
}

// wrap breaks a line at spaces so that each piece fits width columns where
// possible (a longer word stays whole). A line that fits is kept as it is,
// indentation included.
func wrap(line string, width int) []string {
	words := strings.Fields(line)
	if len(words) == 0 || width < 10 || utf8.RuneCountInString(line) <= width {
		return []string{line}
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}
