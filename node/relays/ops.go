package relays

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpRelay (pb.OpRelay) is a relay the account started or stopped using;
// the latest operation about a relay, in the account log's order, wins on
// every device.
const OpRelay = "relays.relay"

func relayKey(id peer.ID) string { return OpRelay + "/" + string(id) }

// saveAndRecord stores the relay set with the operation that tells our
// other devices of the change to relay id, in one transaction.
func (s *Service) saveAndRecord(ctx context.Context, body *pb.OpRelay, id peer.ID) error {
	raw, err := proto.Marshal(body)
	if err != nil {
		return err
	}
	var items []storage.OutboxItem
	err = s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := s.set.save(ctx, s.d.Store, s.d.Configured); err != nil {
			return err
		}
		var err error
		items, err = rt.AppendLatest(ctx, s.d.Ops, OpRelay, relayKey(id), raw)
		return err
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		s.d.Enqueue(it)
	}
	return nil
}

// foldRelay adds or removes a relay as another device of ours did, when
// that is the latest change about it.
func (s *Service) foldRelay(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpRelay
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpRelay, err)
	}
	info, err := parseAddr(body.Addr)
	if err != nil || info.ID == s.d.Host.ID() {
		return nil, fmt.Errorf("%w: %s address", rt.ErrBadContent, OpRelay)
	}
	if won, err := rt.Wins(ctx, s.d.Ops, relayKey(info.ID), op, nil); err != nil || !won {
		return nil, err
	}
	changed := false
	if body.Removed {
		changed = s.set.remove(info.ID)
	} else {
		changed = s.set.add(body.Addr, body.Invite, info)
	}
	if !changed {
		return nil, nil
	}
	if err := s.set.save(ctx, s.d.Store, s.d.Configured); err != nil {
		return nil, err
	}
	return func(context.Context) {
		s.rechoose()
		s.set.signal()
	}, nil
}

// Backfill records in the account log the relays stored before the log
// existed (a home from an older version). Node runs it once per home.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	count := 0
	for _, r := range s.set.stored(s.d.Configured) {
		info, err := parseAddr(r.addr)
		if err != nil {
			continue
		}
		if err := s.saveAndRecord(ctx, &pb.OpRelay{Addr: r.addr, Invite: r.invite}, info.ID); err != nil {
			return count, fmt.Errorf("backfill relays: %w", err)
		}
		count++
	}
	return count, nil
}

// digest writes the relays added (not configured) for the account's
// state hash, by address.
func (s *Service) digest(_ context.Context, w io.Writer) error {
	rs := s.set.stored(s.d.Configured)
	slices.SortFunc(rs, func(a, b storedRelay) int { return strings.Compare(a.addr, b.addr) })
	for _, r := range rs {
		fmt.Fprintf(w, "%q\n", r.addr)
	}
	return nil
}
