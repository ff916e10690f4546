package mailproc

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// htmlToText renders HTML as plain text: block elements and <br> end lines,
// table cells are separated by a space (so a "Title:" cell and its value cell
// read as "Title: value"), list items get "- ", and script, style, head and
// other invisible content is dropped. Entities are decoded.
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	nl := func() {
		str := b.String()
		if len(str) > 0 && !strings.HasSuffix(str, "\n") {
			b.WriteByte('\n')
		}
	}
	pre := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return cleanHTMLText(b.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if pre == 0 {
				t = wsRun.ReplaceAllString(t, " ")
			}
			b.WriteString(t)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			start := tt != html.EndTagToken
			switch tag {
			case "script", "style", "head", "title", "noscript", "template", "svg":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "pre":
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
				nl()
			case "br":
				b.WriteByte('\n')
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote", "ul", "ol", "dl", "dt", "dd", "hr", "section", "article", "header", "footer", "address":
				nl()
				if tag == "p" && !start {
					b.WriteByte('\n')
				}
			case "li":
				if start {
					nl()
					b.WriteString("- ")
				}
			case "td", "th":
				if start {
					if str := b.String(); len(str) > 0 && !strings.HasSuffix(str, "\n") && !strings.HasSuffix(str, " ") {
						b.WriteByte(' ')
					}
				}
			}
		}
	}
}

var wsRun = regexp.MustCompile(`[ \t\r\n\f]+`)
var spaceRun = regexp.MustCompile(`[ \t]{2,}`)

// cleanHTMLText trims each line and collapses runs of blank lines.
func cleanHTMLText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\u00a0", " "), "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		l = strings.TrimLeft(l, " ")
		l = spaceRun.ReplaceAllString(l, " ")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
