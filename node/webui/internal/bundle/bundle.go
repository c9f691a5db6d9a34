// Package bundle builds the web client's one script: the app's ES modules
// under static/js and the vendored Preact and htm, bundled and minified
// with esbuild's Go API into one ES module (static/app.js, committed; go
// generate in node/webui writes it).
//
// One file instead of twenty: a first visit fetched the modules import by
// import (index.html → main.js → its imports → the vendored framework),
// and the page painted only once the browser had a moment between them
// (BenchmarkFirstLoad). The sources stay in static/ as they were written;
// the bundle is what index.html loads.
package bundle

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Entry is the app's entry module, relative to the static directory.
const Entry = "js/main.js"

// Output is the bundle's path, relative to the static directory.
const Output = "app.js"

// banner credits the libraries the bundle holds (their licences ship
// beside it, in vendor/).
const banner = "/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */"

// Build bundles the modules of the static directory dir, from Entry, into
// one minified ES module and returns it. The result depends only on the
// files (and esbuild's version): building twice gives the same bytes.
func Build(dir string) ([]byte, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     abs,
		EntryPoints:       []string{Entry},
		Outfile:           Output,
		Bundle:            true,
		Write:             false,
		Format:            api.FormatESModule,
		Target:            api.ES2020,
		Platform:          api.PlatformBrowser,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Banner:            map[string]string{"js": banner},
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, fmt.Errorf("bundle %s: %s", Entry, strings.Join(msgs, ""))
	}
	if len(res.OutputFiles) != 1 {
		return nil, errors.New("bundle: esbuild wrote no single file")
	}
	return res.OutputFiles[0].Contents, nil
}
