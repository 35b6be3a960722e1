// Package vendorfs reads the vendors' documented example responses that
// each fake server embeds, so the three fakes share one way to list and
// read them.
package vendorfs

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// CheckShared compares the embedded copies with the project's shared
// originals (../shared/fixtures/vendor/<platform> beside the repository),
// when those are present.
func CheckShared(t testing.TB, platform string, files []string, file func(string) ([]byte, error)) {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "vendor", platform)
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared fixtures not present beside the repo")
	}
	shared, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(shared) == 0 || len(shared) != len(files) {
		t.Fatalf("shared has %d files, embedded %d", len(shared), len(files))
	}
	for _, f := range shared {
		want, _ := os.ReadFile(f)
		got, err := file(filepath.Base(f))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the shared original (%v)", filepath.Base(f), err)
		}
	}
}
