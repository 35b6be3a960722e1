// Package templates embeds the HTML templates of shadowscan's reports, so
// the binary carries them and a report is one self-contained file.
package templates

import "embed"

// FS holds every template, by file name.
//
//go:embed *.html.tmpl
var FS embed.FS
