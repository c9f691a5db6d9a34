package node_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers enforces the import rules (README.md, "How it works") on
// non-test code: imports only point down (cmd → node → protocol, storage),
// protocol packages never import node or a concrete store, and protocol/pb
// holds generated code only.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "github.com/pigeon-net/pigeon/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/pigeon-net/pigeon/"
	rules := []struct {
		pkg    string   // prefix of the importing package
		banned []string // prefixes it must not import
	}{
		{"protocol/", []string{"node", "storage/badger", "cmd", "examples"}},
		{"storage", []string{"node", "cmd", "examples"}},
		{"node", []string{"cmd", "examples"}},
		{"protocol/pb", []string{mod}},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			rel := strings.TrimPrefix(imp, mod)
			for _, r := range rules {
				if !strings.HasPrefix(pkg, r.pkg) {
					continue
				}
				for _, b := range r.banned {
					if strings.HasPrefix(rel, strings.TrimPrefix(b, mod)) || (b == mod && strings.HasPrefix(imp, mod)) {
						t.Errorf("%s imports %s, which its layer must not", pkg, rel)
					}
				}
			}
		}
	}
}
