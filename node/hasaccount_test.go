package node_test

import (
	"testing"

	"github.com/pigeon-net/pigeon/node"
)

// HasAccount tells a fresh home from one with an account and creates
// nothing itself.
func TestHasAccount(t *testing.T) {
	home := t.TempDir()
	for range 2 {
		if has, err := node.HasAccount(home); err != nil || has {
			t.Fatalf("HasAccount of a fresh home: %v, %v", has, err)
		}
	}
	if _, _, err := node.Init(home); err != nil {
		t.Fatal(err)
	}
	if has, err := node.HasAccount(home); err != nil || !has {
		t.Fatalf("HasAccount after Init: %v, %v", has, err)
	}
}
