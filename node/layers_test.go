package node_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayers enforces the import rules (README.md, "How it works"; package
// node's doc) on non-test code:
//   - imports only point down: cmd and examples → node → protocol, storage;
//     protocol packages never import node or a concrete store, and
//     protocol/pb holds generated code only;
//   - a feature (node/chats, contacts, presence, media, groups, relays,
//     replies, prefs)
//     imports node/core, node/internal/rt, protocol/*, storage (types),
//     node/relay/push (the push protocol) and libraries: never node, another feature, the runtime (node/internal/
//     post, devices) or a concrete store;
//   - the runtime (node/internal/*) imports node/core, node/internal/rt,
//     protocol/*, storage and libraries: never node or a feature;
//   - only node imports the runtime; only node, the programs around it
//     (node/localapi, node/nodetest, cmd, examples) import the features;
//     storage/badger is opened by node and by the relay server (node/relay)
//     only.
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
	features := []string{"node/chats", "node/contacts", "node/presence", "node/media", "node/groups", "node/relays", "node/replies", "node/prefs"}
	runtime := []string{"node/internal/post", "node/internal/devlists"}
	// low is what features and the runtime may import of this module.
	// (node/relay/push is the push-registration protocol, beside the
	// relay server that serves it; the relays feature speaks it.)
	low := func(rel string) bool {
		return rel == "node/core" || rel == "node/internal/rt" || rel == "storage" || rel == "node/relay/push" ||
			strings.HasPrefix(rel, "protocol/")
	}
	featureUsers := []string{"node", "node/localapi", "node/nodetest"}
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
			switch {
			case (slices.Contains(features, pkg) || strings.HasPrefix(pkg, "node/internal/")) && !low(rel):
				t.Errorf("%s imports %s: a feature or the runtime imports only node/core, node/internal/rt, protocol/*, storage", pkg, rel)
			case slices.Contains(runtime, rel) && pkg != "node":
				t.Errorf("%s imports the runtime %s, which only node wires", pkg, rel)
			case slices.Contains(features, rel) && !slices.Contains(featureUsers, pkg) &&
				!strings.HasPrefix(pkg, "cmd/") && !strings.HasPrefix(pkg, "examples/"):
				t.Errorf("%s imports the feature %s, which only node and the programs around it use", pkg, rel)
			case rel == "storage/badger" && pkg != "node" && pkg != "node/relay":
				t.Errorf("%s imports storage/badger, which only node and the relay server open", pkg)
			}
		}
	}
}
