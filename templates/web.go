package templates

import "embed"

// WebFS holds the web view's pages (html/template files) and its style
// sheet, under "web/". They are separate from the mail templates and are
// not overridable.
//
//go:embed web/*.html web/*.css
var WebFS embed.FS
