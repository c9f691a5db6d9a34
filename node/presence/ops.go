package presence

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	wire "github.com/pigeon-net/pigeon/protocol/presence"
	"github.com/pigeon-net/pigeon/storage"
)

// OpPrivacy ("presence.privacy", the body is "everyone", "contacts" or
// "nobody") is who may see the account online, as the user last set it
// on any device: the relays take the setting of whichever device
// announces last, so every device must announce the same.
const OpPrivacy = "presence.privacy"

// recordPrivacy stores v with the operation that tells our other devices,
// in one transaction.
func (s *Service) recordPrivacy(ctx context.Context, v wire.Visibility) error {
	var items []storage.OutboxItem
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		if err := s.d.Store.PutSetting(ctx, privacySetting, []byte(v.String())); err != nil {
			return err
		}
		var err error
		items, err = rt.AppendLatest(ctx, s.d.Ops, OpPrivacy, OpPrivacy, []byte(v.String()))
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

// foldPrivacy takes the privacy another device of ours set, when it is
// the latest setting.
func (s *Service) foldPrivacy(ctx context.Context, op rt.Op) (func(context.Context), error) {
	v, err := parseVisibility(string(op.Body))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpPrivacy, err)
	}
	if won, err := rt.Wins(ctx, s.d.Ops, OpPrivacy, op, nil); err != nil || !won {
		return nil, err
	}
	if err := s.d.Store.PutSetting(ctx, privacySetting, []byte(v.String())); err != nil {
		return nil, err
	}
	return func(ctx context.Context) {
		s.clients.mu.Lock()
		s.clients.privacy = v
		s.clients.mu.Unlock()
		s.updatePrivacy(ctx)
	}, nil
}

// Backfill records the privacy setting stored before the account log
// existed (a home from an older version), if the user set one.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	raw, err := s.d.Store.Setting(ctx, privacySetting)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("backfill presence privacy: %w", err)
	}
	v, err := parseVisibility(string(raw))
	if err != nil {
		return 0, nil
	}
	if err := s.recordPrivacy(ctx, v); err != nil {
		return 0, fmt.Errorf("backfill presence privacy: %w", err)
	}
	return 1, nil
}

// digest writes the privacy setting for the account's state hash.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	raw, err := s.d.Store.Setting(ctx, privacySetting)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", raw)
	return err
}
