package node

import (
	"context"
	"fmt"
)

// Compact makes what was deleted (messages deleted for me or for everyone,
// expired) leave the files of this device's store now, then collects the
// media blocks no message references any more. The store does the same
// by itself shortly after deletions (storage/badger's Compact says what
// it does and what it cannot), then purges the search index's files, so
// this is for tests and for a user who
// wants it done at once.
func (n *Node) Compact(ctx context.Context) error {
	if err := n.ready(); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := n.store.Compact(ctx); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	return nil
}

// wireCompaction runs, after every compaction of the store, the media's
// block collection (a deleted file's blocks go with its text) and the
// search index's purge (deleted text leaves the index's files too).
func (n *Node) wireCompaction() {
	m, s, log := n.media, n.search, n.log.With("sub", "compact")
	n.store.OnCompact(func(ctx context.Context) {
		if _, _, err := m.Collect(ctx); err != nil {
			log.Debug("media collection after compaction failed", "err", err)
		}
		if err := s.Purge(ctx); err != nil {
			log.Debug("search index purge after compaction failed", "err", err)
		}
	})
}
