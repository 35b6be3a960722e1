// Package vendorfs reads the vendors' documented example responses that
// each fake server embeds, so the three fakes share one way to list and
// read them.
package vendorfs

import (
	"embed"
	"fmt"
	"strings"
)

// File returns one embedded example body, by file name.
func File(fs embed.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile("vendor/" + name)
	if err != nil {
		return nil, fmt.Errorf("vendor example %s: %w", name, err)
	}
	return b, nil
}

// Files lists the embedded JSON examples.
func Files(fs embed.FS) []string {
	entries, _ := fs.ReadDir("vendor")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, e.Name())
		}
	}
	return out
}
