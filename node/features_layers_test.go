package node_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFeatureLayers enforces the imports of the feature packages (package
// node's doc): a feature imports node/core, node/internal/rt, protocol/*,
// storage (types) and libraries; never node, another feature, the store
// or the runtime's internals.
func TestFeatureLayers(t *testing.T) {
	const mod = "github.com/pigeon-net/pigeon/"
	features := []string{"node/chats", "node/contacts", "node/presence"}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}",
		"github.com/pigeon-net/pigeon/node/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := func(imp string) bool {
		switch {
		case !strings.HasPrefix(imp, mod):
			return true // a library
		case imp == mod+"node/core", imp == mod+"node/internal/rt", imp == mod+"storage",
			strings.HasPrefix(imp, mod+"protocol/"):
			return true
		}
		return false
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		for _, f := range features {
			if pkg != f {
				continue
			}
			for _, imp := range fields[1:] {
				if !allowed(imp) {
					t.Errorf("%s imports %s, which a feature must not", pkg, strings.TrimPrefix(imp, mod))
				}
			}
		}
	}
}
