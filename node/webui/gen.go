//go:build ignore

// gen writes static/app.js, the app's modules bundled into one (see
// package internal/bundle). Run it with go generate after changing
// anything under static/js or static/vendor; TestBundleCurrent fails
// until then.
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/pigeon-net/pigeon/node/webui/internal/bundle"
)

func main() {
	b, err := bundle.Build("static")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("static", bundle.Output), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
