package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/pigeon-net/pigeon/storage"
	repo "github.com/pigeon-net/pigeon/storage/backup"
)

// opsPerItem is how many of a device's account-log operations one item
// holds. The log only grows at each device's end, so every item but each
// device's last is the same in every backup and uploads nothing again.
// One item for the whole log cost more: its last chunk ends where the
// log ends, not at a content-defined boundary, so each backup uploaded
// it again, grown by what was added, until the chunker found a boundary
// in it (up to its largest chunk, 2 MiB: a third of an account of 20,000
// texts). An item of 256 operations (about 75 KiB of texts) is one
// chunk; what a backup uploads again is at most that. The price is in
// the manifest, which every backup uploads: about 100 bytes an item, so
// an unchanged account's backup passes 64 KiB at about 150,000
// operations (larger items for older operations would keep it smaller,
// at the cost of uploading them again once when they are merged).
const opsPerItem = 256

// opsItemName names the item of device's operations from first on:
// acctlog/DEVICE/FIRST.
func opsItemName(device uint32, first uint64) string {
	return ItemOps + "/" + strconv.FormatUint(uint64(device), 10) + "/" + strconv.FormatUint(first, 10)
}

// isOpsItem tells an item of the account log by its name (ItemOps alone:
// a backup made before the log was cut into items).
func isOpsItem(name string) bool {
	return name == ItemOps || strings.HasPrefix(name, ItemOps+"/")
}

// opsItems returns the account log as items: device by device, in
// sequence order, opsPerItem operations to an item, each signed
// operation length-prefixed (writeOp). A device's operations after a gap
// are left out (they come with a later backup, once the gap is filled),
// as are the items after it.
func (s *Service) opsItems(ctx context.Context) ([]repo.Item, error) {
	v, err := s.d.Store.Vector(ctx)
	if err != nil {
		return nil, fmt.Errorf("account log: %w", err)
	}
	devs := v.Devices()
	slices.Sort(devs)
	// Devices whose log has a gap. repo.Backup opens the items one at a
	// time, in order, on one goroutine: no lock needed.
	gap := make(map[uint32]bool)
	var items []repo.Item
	for _, dev := range devs {
		for first := uint64(1); first <= v[dev]; first += opsPerItem {
			last := min(first+opsPerItem-1, v[dev])
			items = append(items, repo.Item{Name: opsItemName(dev, first), Size: -1, Open: func() (io.ReadCloser, error) {
				var buf bytes.Buffer
				for seq := first; seq <= last && !gap[dev]; seq++ {
					raw, err := s.d.Store.AccountOp(ctx, dev, seq)
					if errors.Is(err, storage.ErrNotFound) {
						gap[dev] = true
						break
					}
					if err != nil {
						return nil, fmt.Errorf("account log: %w", err)
					}
					if err := writeOp(&buf, raw); err != nil {
						return nil, err
					}
				}
				return io.NopCloser(&buf), nil
			}})
		}
	}
	return items, nil
}
