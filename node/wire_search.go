package node

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pigeon-net/pigeon/node/search"
)

// The search feature's wiring: its index directory and Deps.

// Search returns the node's message search (see package node/search). Its
// methods return ErrNotStarted before Start.
func (n *Node) Search() *search.Service {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.search
}

// newSearch opens the search index: in home/search, or for an in-memory
// node in a temporary directory that Close removes (searchTmp).
func (n *Node) newSearch(ctx context.Context) (*search.Service, error) {
	dir := filepath.Join(n.cfg.home, "search")
	if n.cfg.inMemory {
		tmp, err := os.MkdirTemp("", "pigeon-search-*")
		if err != nil {
			return nil, fmt.Errorf("search index directory: %w", err)
		}
		n.searchTmp, dir = tmp, tmp
	}
	return search.Open(ctx, search.Deps{
		Store: n.store, Dir: dir, Ready: n.ready, Log: n.log.With("sub", "search"),
	})
}

// closeSearch closes the index and removes an in-memory node's directory.
func (n *Node) closeSearch() {
	if n.search != nil {
		if err := n.search.Close(); err != nil {
			n.log.Warn("search index close failed", "err", err)
		}
	}
	if n.searchTmp != "" {
		os.RemoveAll(n.searchTmp)
		n.searchTmp = ""
	}
}
