package contacts

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/storage"
)

// Device notices. When this device learns a newer device list of an
// account it chats with, and the list adds or removes devices, the chat
// gets a notice (core.KindDeviceNotice): messages go to a new device from
// then on (one restored from a backup, say), while safety numbers, over
// the account key, stay. Each device keeps the devices it last saw of
// each account (a device setting); the first list it sees of an account
// makes no notice.

// settingDevicesSeen, followed by the account (base64, to fit a
// setting's name), holds the devices last seen: the list's version, then
// each device number (uvarints).
const settingDevicesSeen = "devices-seen."

// maxSeenRecord bounds a stored record: a version and the devices of a
// list.
const maxSeenRecord = binary.MaxVarintLen64 * (identity.MaxDevices + 1)

// notices queues the lists the resolver learned for Run; DevicesChanged
// must not block.
type notices struct {
	mu      sync.Mutex // a leaf
	pending map[core.AccountID]deviceList
	wake    chan struct{}
}

// deviceList is what notices need of a device list.
type deviceList struct {
	account core.AccountID
	version uint64
	devices []uint32
}

// DevicesChanged hears that the node learned version version of account
// a's device list, naming devices (node's wiring: the resolver's hook);
// Run compares it with the last one seen. It does not block.
func (s *Service) DevicesChanged(a core.AccountID, version uint64, devices []uint32) {
	if a == s.d.Self {
		return
	}
	q := &s.notices
	q.mu.Lock()
	if old, ok := q.pending[a]; !ok || old.version < version {
		q.pending[a] = deviceList{account: a, version: version, devices: slices.Sorted(slices.Values(devices))}
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Run writes the device notices of the lists DevicesChanged heard of
// until ctx ends (node starts it and waits for it).
func (s *Service) Run(ctx context.Context) {
	q := &s.notices
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
		q.mu.Lock()
		lists := q.pending
		q.pending = make(map[core.AccountID]deviceList)
		q.mu.Unlock()
		for _, l := range lists {
			if err := s.noteDevices(ctx, l); err != nil && ctx.Err() == nil {
				s.d.Log.Warn("device notice", "account", l.account, "err", err)
			}
		}
	}
}

// noteDevices records l's devices and, when they differ from the last
// seen and a chat with the account exists, adds the notice to it.
func (s *Service) noteDevices(ctx context.Context, l deviceList) error {
	peer := storage.Account(l.account)
	key := settingDevicesSeen + base64.RawURLEncoding.EncodeToString(l.account[:])
	devices := l.devices
	var event *core.MessageReceived
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		raw, err := s.d.Store.Setting(ctx, key)
		first := errors.Is(err, storage.ErrNotFound)
		if err != nil && !first {
			return err
		}
		var version uint64
		var seen []uint32
		if !first {
			if version, seen, err = decodeSeen(raw); err != nil {
				first = true // a damaged record: start again from this list
			}
		}
		if !first && l.version <= version {
			return nil
		}
		if err := s.d.Store.PutSetting(ctx, key, encodeSeen(l.version, devices)); err != nil {
			return err
		}
		if first {
			return nil
		}
		added, removed := diff(seen, devices)
		if added == 0 && removed == 0 {
			return nil
		}
		if h, err := s.d.Store.History(ctx, peer, storage.MessageID{}, 1); err != nil || len(h) == 0 {
			return err // no chat to show it in
		}
		now := s.d.Now()
		m := storage.Message{
			ID: storage.NewMessageID(now), Peer: peer, Sender: peer, Kind: storage.KindDeviceNotice,
			Direction: storage.Incoming, State: storage.Read, // not unread, no receipt
			Text: DeviceNoticeText(added, removed), SentAt: now, StoredAt: now,
		}
		if err := s.d.Store.InsertMessage(ctx, m); err != nil {
			return err
		}
		event = &core.MessageReceived{Message: rt.Message(m)}
		return nil
	})
	if err == nil && event != nil {
		s.d.Publish(*event)
	}
	return err
}

// DeviceNoticeText says what a device notice records: "added a new
// device", "removed 2 devices", and so on (the client puts the account's
// name before it).
func DeviceNoticeText(added, removed int) string {
	count := func(n int, one string) string {
		if n == 1 {
			return one
		}
		return fmt.Sprintf("%d", n)
	}
	var parts []string
	if added > 0 {
		parts = append(parts, "added "+count(added, "a")+" new device"+plural(added))
	}
	if removed > 0 {
		parts = append(parts, "removed "+count(removed, "a")+" device"+plural(removed))
	}
	switch len(parts) {
	case 2:
		return parts[0] + " and " + parts[1]
	case 1:
		return parts[0]
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// diff counts the devices of now that were not in seen, and the reverse
// (both sorted).
func diff(seen, now []uint32) (added, removed int) {
	for _, d := range now {
		if _, ok := slices.BinarySearch(seen, d); !ok {
			added++
		}
	}
	for _, d := range seen {
		if _, ok := slices.BinarySearch(now, d); !ok {
			removed++
		}
	}
	return added, removed
}

func encodeSeen(version uint64, devices []uint32) []byte {
	b := binary.AppendUvarint(nil, version)
	for _, d := range devices {
		b = binary.AppendUvarint(b, uint64(d))
	}
	return b
}

func decodeSeen(b []byte) (uint64, []uint32, error) {
	if len(b) > maxSeenRecord {
		return 0, nil, errors.New("devices seen: record too long")
	}
	version, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, nil, errors.New("devices seen: bad version")
	}
	var devices []uint32
	for b = b[n:]; len(b) > 0; b = b[n:] {
		var d uint64
		if d, n = binary.Uvarint(b); n <= 0 || d > uint64(^uint32(0)) {
			return 0, nil, errors.New("devices seen: bad device")
		}
		devices = append(devices, uint32(d))
	}
	slices.Sort(devices)
	return version, devices, nil
}
